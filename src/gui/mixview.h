#pragma once
// The open mix: its tracks (name, waveform, gain, pan, mute, solo), the transport with
// recording and the input meter, device pickers, and mixdown export.
// Shortcuts while the view has focus: Space plays/stops, R starts/stops recording.
//
// Audio runs on the Player's and Recorder's own threads; this widget only sends commands
// and polls their atomics. Take commits, peaks and exports run on the global thread pool.

#include "transportbar.h"

#include <muze/audio/mixer.h>
#include <muze/util/result.h>

#include <QHash>
#include <QStringList>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QThreadPool;
class QTimer;
class QVBoxLayout;

namespace muze::audio {
class PeaksLoader;
class Player;
class Recorder;
struct PeakData;
} // namespace muze::audio

namespace muze::gui {

class InputMonitor;
class TrackRow;

class MixView : public QWidget {
    Q_OBJECT
public:
    explicit MixView(QWidget* parent = nullptr);
    ~MixView() override;
    void showMix(const QString& vaultRoot, const QString& mixId); // empty mixId clears the view

    // What the buttons and shortcuts do (also for menus and tests).
    void togglePlay();
    void toggleRecord();
    /// Renders the mix to `path` in the background; exportFinished() reports.
    void startExport(const QString& path);
    void setInputDevice(const QString& deviceId); // "" = default
    void setOutputDevice(const QString& deviceId); // "" = default

    QString mixId() const { return m_mixId; }
    int trackCount() const;
    bool isRecording() const; // the device records (after the recorder's started())
    bool isPlaying() const;
    TransportBar* transport() const { return m_transport; }

    /// Desktop row per track, or the phone's stacked track cards (phonemix.cpp).
    void setForm(MixForm form);
    MixForm form() const { return m_form; }
    /// True while the input meter shows the microphone before a take (an empty mix, or the
    /// phone's mix page), so the level can be set before pressing Record.
    bool isMonitoringInput() const;

Q_SIGNALS:
    /// The view changed this mix (record, gain, mute...): its row in the tree follows.
    void mixChanged(const QString& mixId);
    void exportFinished(bool ok, const QString& message);
    /// A take was stopped and committed (trackId) or failed (error).
    void recordingFinished(const QString& trackId, const QString& error);
    /// The track rows were made again (another mix, tracks added or removed).
    void rowsRebuilt();
    /// Every track's waveform is drawn (or known to be unavailable).
    void waveformsReady();

private:
    void reload();
    void rebuildRows();
    void applyMix(const QString& trackId, const audio::TrackMix& mix);
    void scheduleSave(const QString& trackId, const char* key, double value);
    void scheduleSave(const QString& trackId, const char* key, bool value);
    void flushSaves(bool notify = true);
    void updateAudible();
    void tick();
    void startRecording();
    void stopRecording(); // ends a take under way, or cancels one still starting
    void onRecordingStarted();
    void onRecordingStartFailed(const Error& error);
    void commitStoppedTake(const QString& warning); // mixviewrecord.cpp
    void recoverOrphans();
    void populateDevices();
    void showStatus(const QString& text, bool error = false);
    void onPeaks(const QString& trackId, std::shared_ptr<const audio::PeakData> peaks);
    void checkWaveformsReady();
    double lengthSeconds() const;
    QString emptyText() const; // phonemix.cpp
    void setupMonitor();
    void updateMonitor();

    QString m_root;
    QString m_mixId;
    audio::MixSpec m_spec;
    std::unique_ptr<audio::Player> m_player;
    std::unique_ptr<audio::Recorder> m_recorder;
    audio::PeaksLoader* m_peaks = nullptr;
    struct PendingTake;
    std::unique_ptr<PendingTake> m_take;
    QStringList m_savingTakes; // mix ids of stopped takes on their way into their mix
    QHash<QString, QHash<QString, QVariant>> m_pendingSaves; // track id ("" = mix) → key → value
    QTimer* m_saveTimer = nullptr;
    std::unique_ptr<QThreadPool> m_savePool; // one thread: saves land in the order made
    QTimer* m_tickTimer = nullptr;
    QString m_inputDevice;
    bool m_playAlong = false;
    bool m_playAlongPending = false;

    MixForm m_form = MixForm::Desktop;
    InputMonitor* m_monitor = nullptr;
    QWidget* m_header = nullptr;
    QLabel* m_title = nullptr;
    QComboBox* m_inputs = nullptr;
    QComboBox* m_outputs = nullptr;
    QWidget* m_rowsHost = nullptr;
    QVBoxLayout* m_rowsLayout = nullptr;
    QLabel* m_empty = nullptr;
    QList<TrackRow*> m_rows;
    TransportBar* m_transport = nullptr;
    QLabel* m_status = nullptr;
};

} // namespace muze::gui
