#pragma once
// Plays a mix through an output device. The QAudioSink, the Mixer and the WAV readers live
// on the player's own audio thread; this object (on the GUI/CLI thread) only sends commands
// there and reads the position through an atomic. Signals arrive on this object's thread.
//
// Starting never blocks the caller (issue 14): play() returns at once and started() or
// startFailed() follows once the device plays or gave up. Nothing here waits for the audio
// server on the caller's thread except stop(), load() and loadComparison(), which wait for
// the audio thread to finish the command (no device retries happen inside them).

#include <muze/audio/mixer.h>
#include <muze/util/result.h>

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace muze::audio {

class Player : public QObject {
    Q_OBJECT
public:
    explicit Player(QObject* parent = nullptr);
    ~Player() override; // stops playback and joins the audio thread

    /// Loads a mix (stops playback, keeps the position when it is still inside the mix).
    Status load(const MixSpec& spec);
    /// A/B (issue 12): `current` and an earlier version `other` rendered side by side at the
    /// same position (audio/abswitch.h); hearOther() switches between them without a gap.
    /// Keeps playing if it was. load() ends the comparison.
    Status loadComparison(const MixSpec& current, const MixSpec& other);
    /// Hear the other version (true) or the current one (false); heard within one audio buffer.
    void hearOther(bool other);
    bool hearingOther() const { return m_hearingOther.load(); }

    /// Output device by name or id ("" = the default); takes effect at the next play().
    void setOutputDevice(const QString& device);

    /// Changes one track's mix settings; heard within one audio buffer.
    void setTrackMix(const QString& trackId, const TrackMix& mix);
    void setMasterGainDb(double db);

    /// Starts playing from the position and returns at once. Fails at once only when there
    /// is nothing to play (code "empty"). Then exactly one of started() or startFailed()
    /// follows, unless stop() comes first: everything about the device (not found, format
    /// refused, the server refusing the stream) arrives as startFailed(). A server that
    /// refuses the first stream is retried a few times with timers on the audio thread.
    /// Does nothing while playing or starting.
    Status play();
    /// Stops playing, or cancels a start under way (neither started() nor startFailed() follows).
    void stop();
    /// Moves the position (frames at sampleRate()); keeps playing if it was.
    void seek(qint64 frame);

    bool isPlaying() const; // true from started() until stop(), finished() or failed()
    bool isStarting() const; // true from play() until started() or startFailed()
    qint64 position() const; // frames, what the listener hears now (latency accounted)
    qint64 length() const;
    int sampleRate() const;
    QStringList problems() const; // tracks left out of the loaded mix

Q_SIGNALS:
    /// The device plays: after play(), or after a seek or load that restarted playback.
    void started();
    /// The device could not be started; the player is stopped. `error.message` is readable.
    void startFailed(const muze::Error& error);
    void playingChanged(bool playing);
    /// Playback reached the end of the mix.
    void finished();
    /// The device stopped while playing.
    void failed(const QString& message);

private:
    struct Shared;
    class Engine;
    std::shared_ptr<Shared> m_shared;
    Engine* m_engine = nullptr; // lives on m_thread
    QString m_deviceName;
    int m_generation = 0; // play() and stop() bump it; older start reports are dropped
    std::atomic<bool> m_hearingOther{false};
    class QThread* m_thread = nullptr;
};

} // namespace muze::audio
