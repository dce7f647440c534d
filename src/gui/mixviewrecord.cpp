// The mix view's recording: start and stop a take (playing the mix along), commit it to the mix
// off the GUI thread, and recover takes a crash left behind.
#include "mixview.h"

#include "mixviewparts.h"
#include "transportbar.h"

#include <muze/audio/player.h>
#include <muze/audio/recorder.h>
#include <muze/audio/take.h>

#include <QApplication>
#include <QPointer>
#include <QThreadPool>

namespace muze::gui {

void MixView::toggleRecord()
{
    if (m_take)
        stopRecording();
    else
        startRecording();
}

// Asks for a take; the recorder opens the device on its own thread and answers with
// started() (onRecordingStarted) or startFailed() (onRecordingStartFailed). Until then the
// Record button stays as it is, and pressing it again cancels.
void MixView::startRecording()
{
    if (m_mixId.isEmpty())
        return;
    flushSaves();
    auto take = audio::prepareTake(m_root, m_mixId);
    if (!take) {
        showStatus(take.errorString(), true);
        return;
    }
    audio::RecordOptions options;
    options.device = m_inputDevice;
    options.marker = audio::takeMarker(*take);
    if (Status s = m_recorder->start(take->wavPath, options); !s) {
        showStatus(s.errorString(), true);
        return;
    }
    m_take = std::make_unique<PendingTake>(PendingTake{*take});
    updateMonitor(); // the take gets the microphone
    showStatus(tr("Opening the microphone…"));
}

void MixView::onRecordingStarted()
{
    if (!m_take)
        return;
    m_transport->setRecording(true);
    m_empty->setText(emptyText());
    updateMonitor(); // the recorder feeds the meter now
    showStatus(tr("Recording %1…").arg(m_take->target.trackName));
    // Play along: the other tracks from the top, where the new take starts. Playback starts
    // with the first captured audio (tick()) so the take lines up with what was heard, give or
    // take the devices' latencies (not compensated).
    m_player->stop();
    m_playAlong = m_player->length() > 0;
    m_playAlongPending = m_playAlong;
}

void MixView::onRecordingStartFailed(const Error& error)
{
    if (!m_take)
        return;
    m_take.reset(); // the recorder left no file
    showStatus(tr("Cannot record: %1").arg(error.message), true);
    m_empty->setText(emptyText());
    updateMonitor();
}

// Stop: the recorder finalizes the WAV on its own thread and answers with finished() or
// stopFailed() (commitStoppedTake); until then the take is "Saving…" and Record waits.
void MixView::stopRecording()
{
    if (!m_take || m_take->stopping)
        return;
    if (m_recorder->isStarting()) { // nothing recorded yet: cancel, no take
        (void)m_recorder->stop();
        m_take.reset();
        m_status->clear();
        updateMonitor();
        return;
    }
    if (m_playAlong)
        m_player->stop();
    m_playAlong = m_playAlongPending = false;
    m_take->stopping = true;
    if (m_recorder->isRecording())
        (void)m_recorder->stop(); // after failed() the recorder is already stopping
    m_transport->setRecording(false);
    m_empty->setText(emptyText());
    showStatus(tr("Saving %1…").arg(m_take->target.trackName));
    if (!m_recorder->isStopping()) // no report will come
        commitStoppedTake({});
}

void MixView::commitStoppedTake(const QString& warning)
{
    if (!m_take || !m_take->stopping)
        return;
    const audio::TakeTarget target = m_take->target;
    m_take.reset();
    m_savingTakes.append(target.mixId); // its empty mix says "Saving the take…" until it arrives
    m_empty->setText(emptyText());
    updateMonitor();
    // Copying a long take into the mix can take a moment: off the GUI thread.
    QPointer<MixView> self(this);
    QThreadPool::globalInstance()->start([self, target, warning] {
        auto id = audio::commitTake(target);
        const QString trackId = id ? *id : QString();
        const QString error = id ? QString() : id.errorString();
        QMetaObject::invokeMethod(qApp, [self, target, trackId, error, warning] {
            if (!self)
                return;
            self->m_savingTakes.removeOne(target.mixId);
            if (!error.isEmpty()) {
                self->showStatus(
                    tr("The take could not join the mix: %1 (it is kept in %2)").arg(error, target.wavPath), true);
            } else {
                self->showStatus(
                    warning.isEmpty() ? tr("Recorded %1").arg(target.trackName) : warning, !warning.isEmpty());
                if (self->m_mixId == target.mixId)
                    self->reload();
                Q_EMIT self->mixChanged(target.mixId);
            }
            self->m_empty->setText(self->emptyText());
            Q_EMIT self->recordingFinished(trackId, error);
        });
    });
}

void MixView::recoverOrphans()
{
    const QStringList orphans = audio::findOrphanTakes(m_root, m_mixId);
    if (orphans.isEmpty())
        return;
    QPointer<MixView> self(this);
    const QString root = m_root;
    const QString mixId = m_mixId;
    QThreadPool::globalInstance()->start([self, root, mixId, orphans] {
        int recovered = 0;
        for (const QString& wavPath : orphans) {
            if (audio::recoverTake(root, wavPath))
                ++recovered;
        }
        QMetaObject::invokeMethod(qApp, [self, mixId, recovered] {
            if (!self || recovered == 0)
                return;
            self->showStatus(recovered == 1 ? tr("Recovered 1 interrupted take.")
                                            : tr("Recovered %1 interrupted takes.").arg(recovered));
            if (self->m_mixId == mixId)
                self->reload();
            Q_EMIT self->mixChanged(mixId);
        });
    });
}

} // namespace muze::gui
