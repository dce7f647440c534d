#include "mixview.h"

#include "inputmonitor.h"
#include "mixviewparts.h"

#include "transportbar.h"
#include "waveformwidget.h"

#include <muze/audio/devices.h>
#include <muze/audio/mixdown.h>
#include <muze/audio/peaks.h>
#include <muze/audio/player.h>
#include <muze/audio/recorder.h>
#include <muze/audio/take.h>
#include <muze/model/vaultstore.h>
#include <muze/wav/wavformat.h>

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QPointer>
#include <QScrollArea>
#include <QSettings>
#include <QShortcut>
#include <QSlider>
#include <QThreadPool>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace muze::gui {

MixView::MixView(QWidget* parent)
    : QWidget(parent)
    , m_player(std::make_unique<audio::Player>())
    , m_recorder(std::make_unique<audio::Recorder>())
{
    setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);

    m_header = new QWidget(this); // hidden on a phone: the title bar names the mix
    auto* header = new QHBoxLayout(m_header);
    header->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(tr("Select a mix"), this);
    m_title->setObjectName(QStringLiteral("mixTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_inputs = new QComboBox(this);
    m_inputs->setAccessibleName(tr("Input device"));
    m_outputs = new QComboBox(this);
    m_outputs->setAccessibleName(tr("Output device"));
    header->addWidget(m_title, 1);
    header->addWidget(new QLabel(tr("Input:"), this));
    header->addWidget(m_inputs);
    header->addWidget(new QLabel(tr("Output:"), this));
    header->addWidget(m_outputs);
    layout->addWidget(m_header);

    auto* scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("trackScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    m_rowsHost = new QWidget(scroll);
    m_rowsLayout = new QVBoxLayout(m_rowsHost);
    m_rowsLayout->setContentsMargins(0, 0, 0, 0);
    m_empty = new QLabel(m_rowsHost);
    m_empty->setObjectName(QStringLiteral("mixEmpty"));
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_rowsLayout->addWidget(m_empty);
    m_rowsLayout->addStretch();
    scroll->setWidget(m_rowsHost);
    layout->addWidget(scroll, 1);

    m_transport = new TransportBar(this);
    layout->addWidget(m_transport);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_peaks = new audio::PeaksLoader(this);
    connect(m_peaks, &audio::PeaksLoader::ready, this, &MixView::onPeaks);
    connect(m_peaks, &audio::PeaksLoader::failed, this, [this](const QString& id, const QString& message) {
        for (TrackRow* r : m_rows) {
            if (r->id == id) {
                r->waveform->setMessage(message);
                r->hasAudio = false;
            }
        }
        checkWaveformsReady();
    });

    m_savePool = std::make_unique<QThreadPool>();
    m_savePool->setMaxThreadCount(1);
    m_saveTimer = new QTimer(this);
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(400); // slider drags and spin clicks become one write
    connect(m_saveTimer, &QTimer::timeout, this, [this] { flushSaves(); });
    m_tickTimer = new QTimer(this);
    m_tickTimer->setInterval(40);
    connect(m_tickTimer, &QTimer::timeout, this, &MixView::tick);
    m_tickTimer->start();

    connect(m_transport, &TransportBar::playToggled, this, &MixView::togglePlay);
    connect(m_transport, &TransportBar::recordToggled, this, &MixView::toggleRecord);
    connect(m_transport, &TransportBar::seekRequested, this,
        [this](double s) { m_player->seek(qint64(s * m_player->sampleRate())); });
    connect(m_transport, &TransportBar::exportRequested, this, [this] {
        const QString suggestion = (m_spec.name.isEmpty() ? tr("Mixdown") : m_spec.name) + QStringLiteral(".wav");
        const QString path
            = QFileDialog::getSaveFileName(this, tr("Export mixdown"), suggestion, tr("WAV audio (*.wav)"));
        if (!path.isEmpty())
            startExport(path);
    });
    connect(m_player.get(), &audio::Player::playingChanged, this,
        [this](bool playing) { m_transport->setPlaying(playing); });
    connect(m_player.get(), &audio::Player::failed, this, [this](const QString& m) { showStatus(m, true); });
    connect(m_player.get(), &audio::Player::startFailed, this,
        [this](const Error& e) { showStatus(tr("Cannot play: %1").arg(e.message), true); });
    connect(m_recorder.get(), &audio::Recorder::started, this, &MixView::onRecordingStarted);
    connect(m_recorder.get(), &audio::Recorder::startFailed, this, &MixView::onRecordingStartFailed);
    connect(m_recorder.get(), &audio::Recorder::failed, this, [this](const QString& m) {
        // The recorder stopped the take itself and finalizes it: keep what was recorded.
        showStatus(tr("Recording stopped: %1").arg(m), true);
        stopRecording();
    });
    connect(m_recorder.get(), &audio::Recorder::finished, this, [this](const audio::RecordingStats& st) {
        const qint64 lost = st.framesDropped + st.gapFrames;
        commitStoppedTake(lost > 0 ? tr("%1 frames were lost while recording").arg(lost) : QString());
    });
    connect(
        m_recorder.get(), &audio::Recorder::stopFailed, this, [this](const Error& e) { commitStoppedTake(e.message); });
    connect(m_recorder.get(), &audio::Recorder::gapDetected, this, [this](qint64 frames) {
        showStatus(tr("The input device skipped about %1 ms of audio")
                       .arg(frames * 1000 / std::max(1, m_recorder->stats().sampleRate)),
            true);
    });

    auto* space = new QShortcut(QKeySequence(Qt::Key_Space), this, [this] { togglePlay(); });
    space->setContext(Qt::WidgetWithChildrenShortcut);
    auto* rec = new QShortcut(QKeySequence(Qt::Key_R), this, [this] { toggleRecord(); });
    rec->setContext(Qt::WidgetWithChildrenShortcut);

    populateDevices();
    auto* devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::audioInputsChanged, this, &MixView::populateDevices);
    connect(devices, &QMediaDevices::audioOutputsChanged, this, &MixView::populateDevices);
    connect(m_inputs, &QComboBox::activated, this, [this] { setInputDevice(m_inputs->currentData().toString()); });
    connect(m_outputs, &QComboBox::activated, this, [this] { setOutputDevice(m_outputs->currentData().toString()); });

    setupMonitor();
    showMix({}, {});
}

MixView::~MixView()
{
    delete m_monitor; // and its timer: nothing polls the recorder while the view goes
    m_monitor = nullptr;
    stopRecording(); // a take under way still joins its mix
    if (m_take) { // being finalized: the view closes, so wait for it here, then commit it
        const audio::TakeTarget target = m_take->target;
        m_take.reset();
        m_recorder->disconnect(this);
        m_recorder.reset(); // ~Recorder waits for the WAV to be finalized
        QThreadPool::globalInstance()->start([target] { (void)audio::commitTake(target); });
    }
    flushSaves(false); // no signals from a dying widget
}

int MixView::trackCount() const
{
    return int(m_rows.size());
}
bool MixView::isRecording() const
{
    return m_recorder->isRecording();
}
bool MixView::isPlaying() const
{
    return m_player->isPlaying();
}

void MixView::populateDevices()
{
    QSettings settings;
    auto fill = [](QComboBox* box, audio::DeviceMode mode, const QString& saved) {
        const QSignalBlocker block(box);
        box->clear();
        box->addItem(tr("Default"), QString());
        for (const auto& d : audio::listDevices(mode))
            box->addItem(d.description, d.id);
        const int at = box->findData(saved);
        box->setCurrentIndex(at < 0 ? 0 : at);
    };
    fill(m_inputs, audio::DeviceMode::Input, settings.value(QStringLiteral("audio/input_device")).toString());
    fill(m_outputs, audio::DeviceMode::Output, settings.value(QStringLiteral("audio/output_device")).toString());
    m_inputDevice = m_inputs->currentData().toString();
    m_player->setOutputDevice(m_outputs->currentData().toString());
}

void MixView::setInputDevice(const QString& deviceId)
{
    m_inputDevice = deviceId;
    QSettings().setValue(QStringLiteral("audio/input_device"), deviceId);
    const int at = m_inputs->findData(deviceId);
    if (at >= 0)
        m_inputs->setCurrentIndex(at);
}

void MixView::setOutputDevice(const QString& deviceId)
{
    QSettings().setValue(QStringLiteral("audio/output_device"), deviceId);
    m_player->setOutputDevice(deviceId);
    const int at = m_outputs->findData(deviceId);
    if (at >= 0)
        m_outputs->setCurrentIndex(at);
}

void MixView::showMix(const QString& vaultRoot, const QString& mixId)
{
    if (vaultRoot == m_root && mixId == m_mixId && !mixId.isEmpty()) {
        reload(); // the tree reloaded: pick up edits without interrupting playback
        return;
    }
    stopRecording(); // a take under way still joins the mix it was recorded for
    flushSaves();
    m_player->stop();
    m_peaks->cancelAll();
    m_root = vaultRoot;
    m_mixId = mixId;
    m_spec = {};
    // Another mix: the old cards go now. An empty mix's spec equals the cleared one, so
    // reload() alone would keep the previous mix's tracks on screen.
    qDeleteAll(m_rows);
    m_rows.clear();
    m_status->clear();
    (void)m_player->load(m_spec); // an empty mix: nothing can fail
    if (mixId.isEmpty()) {
        m_title->setText(tr("Select a mix"));
        rebuildRows();
        m_transport->setEnabled(false);
        return;
    }
    m_transport->setEnabled(true);
    reload();
    recoverOrphans();
}

void MixView::reload()
{
    auto spec = audio::loadMixSpec(m_root, m_mixId);
    if (!spec) {
        m_title->setText(tr("Mix unavailable"));
        showStatus(spec.errorString(), true);
        return;
    }
    auto ids = [](const audio::MixSpec& s) {
        QStringList out;
        for (const auto& t : s.tracks)
            out << t.id + t.wavPath;
        return out;
    };
    const bool sameTracks = ids(*spec) == ids(m_spec) && !m_rows.isEmpty();
    m_spec = std::move(*spec);
    m_title->setText(m_spec.name);
    if (sameTracks) {
        for (size_t i = 0; i < m_spec.tracks.size(); ++i) {
            m_rows[qsizetype(i)]->set(m_spec.tracks[i].mix);
            m_player->setTrackMix(m_spec.tracks[i].id, m_spec.tracks[i].mix);
        }
        m_player->setMasterGainDb(m_spec.masterGainDb);
    } else {
        if (Status s = m_player->load(m_spec); !s)
            showStatus(s.errorString(), true);
        rebuildRows();
    }
    updateAudible();
}

void MixView::rebuildRows()
{
    qDeleteAll(m_rows);
    m_rows.clear();
    for (const auto& t : m_spec.tracks) {
        auto* row = new TrackRow(t, m_rowsHost);
        if (m_form != MixForm::Desktop)
            row->layOut(true);
        const QString id = t.id;
        connect(row->gain, &QDoubleSpinBox::valueChanged, this, [this, row, id](double v) {
            applyMix(id, row->mix());
            scheduleSave(id, "gain_db", v);
        });
        connect(row->pan, &QSlider::valueChanged, this, [this, row, id](int v) {
            applyMix(id, row->mix());
            scheduleSave(id, "pan", v / 100.0);
        });
        connect(row->mute, &QToolButton::toggled, this, [this, row, id](bool on) {
            applyMix(id, row->mix());
            scheduleSave(id, "muted", on);
        });
        connect(row->solo, &QToolButton::toggled, this, [this, row, id](bool on) {
            applyMix(id, row->mix());
            scheduleSave(id, "solo", on);
        });
        connect(row->waveform, &WaveformWidget::seekRequested, this,
            [this](double s) { m_player->seek(qint64(s * m_player->sampleRate())); });
        m_rowsLayout->insertWidget(m_rowsLayout->count() - 2, row);
        m_rows << row;
        if (row->hasAudio)
            m_peaks->request(m_root, t.id, t.wavPath);
    }
    m_empty->setVisible(m_rows.isEmpty());
    m_empty->setText(emptyText());
    const double span = lengthSeconds();
    for (TrackRow* r : m_rows)
        r->waveform->setTimeSpan(span);
    Q_EMIT rowsRebuilt();
    checkWaveformsReady();
}

double MixView::lengthSeconds() const
{
    return m_player->sampleRate() > 0 ? double(m_player->length()) / m_player->sampleRate() : 0.0;
}

void MixView::applyMix(const QString& trackId, const audio::TrackMix& mix)
{
    for (auto& t : m_spec.tracks) {
        if (t.id == trackId)
            t.mix = mix;
    }
    m_player->setTrackMix(trackId, mix);
    updateAudible();
}

void MixView::updateAudible()
{
    const bool anySolo
        = std::any_of(m_spec.tracks.begin(), m_spec.tracks.end(), [](const auto& t) { return t.mix.solo; });
    for (size_t i = 0; i < m_spec.tracks.size() && qsizetype(i) < m_rows.size(); ++i) {
        const auto& m = m_spec.tracks[i].mix;
        m_rows[qsizetype(i)]->waveform->setAudible(!m.muted && (!anySolo || m.solo));
    }
}

void MixView::togglePlay()
{
    if (m_take) {
        stopRecording();
        return;
    }
    // Playing or still starting: Stop (which also cancels the start). The transport shows
    // Stop only once the device plays (playingChanged); a failure arrives as startFailed.
    if (m_player->isPlaying() || m_player->isStarting()) {
        m_player->stop();
    } else if (Status s = m_player->play(); !s) {
        showStatus(s.errorString(), true);
    }
}

void MixView::startExport(const QString& path)
{
    if (m_mixId.isEmpty())
        return;
    flushSaves();
    m_transport->setBusy(tr("Exporting…"));
    QPointer<MixView> self(this);
    const audio::MixSpec spec = m_spec;
    QThreadPool::globalInstance()->start([self, spec, path] {
        auto result = audio::renderMixdown(spec, path);
        const bool ok = result.ok();
        const QString message = ok
            ? tr("Exported %1 (%2)").arg(path, formatTime(double(result->frames) / result->sampleRate))
            : result.errorString();
        QMetaObject::invokeMethod(qApp, [self, ok, message] {
            if (!self)
                return;
            self->m_transport->setBusy({});
            self->showStatus(message, !ok);
            Q_EMIT self->exportFinished(ok, message);
        });
    });
}

void MixView::onPeaks(const QString& trackId, std::shared_ptr<const audio::PeakData> peaks)
{
    for (TrackRow* r : m_rows) {
        if (r->id == trackId)
            r->waveform->setPeaks(peaks);
    }
    checkWaveformsReady();
}

void MixView::checkWaveformsReady()
{
    for (TrackRow* r : m_rows) {
        if (r->hasAudio && !r->waveform->hasPeaks())
            return;
    }
    Q_EMIT waveformsReady();
}

void MixView::tick()
{
    const int rate = std::max(1, m_player->sampleRate());
    const double length = lengthSeconds();
    const double pos = double(m_player->position()) / rate;
    m_transport->setPosition(pos, length);
    for (TrackRow* r : m_rows) {
        r->waveform->setTimeSpan(length);
        r->waveform->setPlayhead(pos);
    }
    if (m_recorder->isRecording()) {
        const auto st = m_recorder->stats();
        if (m_playAlongPending && st.framesCaptured > 0) {
            m_playAlongPending = false;
            m_player->seek(0);
            if (Status s = m_player->play(); !s)
                showStatus(s.errorString(), true);
        }
        m_transport->setRecordElapsed(st.sampleRate ? double(st.framesCaptured) / st.sampleRate : 0.0);
        m_transport->setInputLevel(m_recorder->takePeakLevel());
    }
}

void MixView::showStatus(const QString& text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

} // namespace muze::gui
