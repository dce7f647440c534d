#pragma once
// Records from an input device into a WAV file, streaming (never the whole take in memory).
//
// Threads: the QAudioSource lives on the recorder's own capture thread, which only copies
// buffers into a lock-free ring, measures the level and counts frames against the clock.
// A disk thread drains the ring into a WavWriter (header rewritten and fsynced about once a
// second). The thread that owns the Recorder (GUI or CLI) never sits on the audio path; it
// reads level and counters through atomics. While a take is written, a marker file
// `<wav>.recording` sits beside it (sync skips such files); stop() removes it.

#include <muze/util/json.h>
#include <muze/util/result.h>
#include <muze/wav/wavformat.h>

#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace muze::audio {

struct RecordOptions {
    QString device; // input device name or id ("" = the default input)
    int sampleRate = 0; // 0 = the device's preferred rate if 44.1/48 kHz, else 48 kHz
    int channels = 0; // 0 = the device's preferred count, at most 2
    std::optional<wav::SampleFormat> format; // default: pcm24 when the device delivers more than 16 bits
    double maxSeconds = 0; // stop accepting audio after this much (0 = no limit); exact to the frame
    Json marker = Json::object(); // extra fields for the .recording marker (mix id, name, ...)
    int firstAudioTimeoutMs = 10000; // an open device silent this long fails the start
};

struct RecordingStats {
    qint64 framesCaptured = 0; // delivered by the device
    qint64 framesWritten = 0; // in the WAV
    qint64 framesDropped = 0; // lost because the disk could not keep up (ring overflow)
    qint64 gapFrames = 0; // frames the device failed to deliver, judged against the clock
    qint64 maxClockDeficitFrames = 0; // largest lag of delivered frames behind the clock
    int sampleRate = 0;
    int channels = 0;
    wav::SampleFormat format = wav::SampleFormat::Int16;
    QString deviceDescription;
    double seconds() const { return sampleRate ? double(framesWritten) / sampleRate : 0.0; }
};

/// Path of the marker that flags a WAV as being recorded.
QString recordingMarkerPath(const QString& wavPath);

class Recorder : public QObject {
    Q_OBJECT
public:
    explicit Recorder(QObject* parent = nullptr);
    /// Stops and finalizes a running take, waiting for it (the one place the owner waits on
    /// the disk); no finished() follows.
    ~Recorder() override;

    /// Starts a take into `wavPath` (created; its folder must exist) and returns at once
    /// (issue 14): the marker, the WAV and the device are opened on the capture thread, then
    /// started() or startFailed() follows, unless stop() comes first. Fails at once only for
    /// what is wrong before any device is touched: "busy" (a take is under way), "bad_path",
    /// "mic_denied" (microphoneDeniedMessage()) when the user refused the microphone, and
    /// "mic_undetermined" after showing the OS prompt (audiosession.h). Everything about the
    /// device (not found, format refused, the server refusing the stream) and the disk
    /// arrives as startFailed(), with no file left behind. A server that refuses the first
    /// stream is retried a few times with timers on the capture thread, never asleep.
    /// started() waits for the device's first audio, so the take is as long as the time the
    /// user saw it recording (a device may take a second or two to deliver).
    Status start(const QString& wavPath, const RecordOptions& options = {});
    /// Ends the take and returns at once: the capture thread stops the device, writes the
    /// rest, finalizes and fsyncs the WAV and removes the marker, then finished() or
    /// stopFailed() follows on the owner's thread (never before stop() returned). Until then
    /// isStopping() is true and start() fails with "busy". Whatever happens, the file holds a
    /// playable take of every frame written so far. During a start it cancels it instead (no
    /// file left, no signal; fails with "not_started"); with no take (or one already stopping)
    /// it fails "not_recording".
    Status stop();

    bool isStarting() const { return m_state == State::Starting; } // from start() to started()/startFailed()
    bool isRecording() const { return m_state == State::Recording; } // from started() until stop()/failed()
    bool isStopping() const { return m_state == State::Stopping; } // from stop() to finished()/stopFailed()
    QString wavPath() const;
    /// Live counters (any thread, lock-free).
    RecordingStats stats() const;
    /// Peak level (0..1) since the previous call: for a meter polled by the GUI.
    float takePeakLevel();

Q_SIGNALS:
    /// The device delivered its first audio and the take is being written. An open device
    /// that stays silent (RecordOptions::firstAudioTimeoutMs) ends the start with
    /// startFailed() ("device_error").
    void started();
    /// The take could not start; nothing was written. `error.message` is readable.
    void startFailed(const muze::Error& error);
    /// The take was finalized after stop() (or after failed()): the WAV is complete, its
    /// header names every frame, the marker is gone. `stats.framesWritten` frames are in it.
    void finished(const muze::audio::RecordingStats& stats);
    /// Finalizing the take failed, or the disk had failed mid-take ("io_error"); the file keeps
    /// every whole frame written before the failure, playable. `error.message` is readable.
    void stopFailed(const muze::Error& error);
    /// The device or the disk failed mid-take, or the OS took the microphone (a call,
    /// AudioSession::interruptionBegan): the recorder stops the take itself, as stop() does,
    /// and finished() or stopFailed() follows.
    void failed(const QString& message);
    /// The length limit (RecordOptions::maxSeconds) was reached.
    void limitReached();
    /// The device fell behind the clock by more than the tolerance (frames lost upstream).
    void gapDetected(qint64 frames);

private:
    struct Session;
    enum class State { Idle, Starting, Recording, Stopping };
    struct Outcome;
    Status prepareAudioSession();
    void openOnCaptureThread(Session* session, int generation);
    void onOpened(int generation, const std::optional<Error>& error);
    void failStartLater(const Error& error);
    void cancelStart();
    void poll();
    bool pollStarting();
    static Outcome finishOnCaptureThread(Session* session);
    void onFinished(const std::shared_ptr<Outcome>& outcome);
    std::unique_ptr<Session> m_session;
    State m_state = State::Idle;
    int m_generation = 0; // start() and stop() bump it; older start reports are dropped
};

} // namespace muze::audio
