#pragma once
// The OS side of recording, behind a small interface so no file outside it needs a platform
// #if (docs/BUILDING-APPLE.md): the microphone permission, the audio session a take needs, and
// interruptions (a phone call, Siri, an alarm) that take the microphone away mid-take.
//
// Implementations: platform/apple/audiosession.mm (iOS: AVAudioSession playAndRecord and its
// interruption notification; macOS: AVCaptureDevice's microphone authorization) and
// src/audio/audiosession_none.cpp (elsewhere: the microphone is always allowed, nothing to set up).
// The Recorder consults instance() on start() and stops, finalizing the WAV, on
// interruptionBegan(), so a call never leaves a half-written take.
//
// Threading: use from the GUI (or CLI) thread. The signals may be emitted on any thread;
// connect with a receiver so they are queued to it.

#include <muze/util/result.h>

#include <QObject>

#include <functional>

namespace muze::audio {

enum class MicrophonePermission { Granted, Denied, Undetermined };

class AudioSession : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// The session recorders use: the platform's, or the one a test set.
    static AudioSession& instance();
    /// Replaces the session (tests); nullptr restores the platform's. Not owned.
    static void setInstance(AudioSession* session);

    virtual MicrophonePermission microphonePermission() const = 0;
    /// Shows the OS prompt when the user has not been asked yet; `done(granted)` runs on the
    /// thread that asked, later.
    virtual void requestMicrophonePermission(std::function<void(bool granted)> done) = 0;
    /// Prepares the OS for recording while playing (iOS: category playAndRecord, active).
    virtual Status activateForRecording() = 0;
    /// Lets other apps' audio resume (iOS: deactivates the session).
    virtual void deactivate() = 0;

Q_SIGNALS:
    /// The OS took the microphone away (a call): recording must stop now.
    void interruptionBegan();
    /// The interruption is over; a take may start again.
    void interruptionEnded();
};

/// The platform's session (audiosession_none.cpp or platform/apple/audiosession.mm).
AudioSession* createPlatformAudioSession();

/// What a user who refused the microphone reads, with where to allow it again.
QString microphoneDeniedMessage();

} // namespace muze::audio
