// Platforms whose audio needs no session and asks no permission (Linux: PulseAudio or
// PipeWire let every app record). platform/apple/audiosession.mm is the Apple one; CMake
// compiles exactly one.
#include <muze/audio/audiosession.h>

namespace muze::audio {

namespace {
class NoAudioSession final : public AudioSession {
public:
    MicrophonePermission microphonePermission() const override { return MicrophonePermission::Granted; }
    void requestMicrophonePermission(std::function<void(bool)> done) override
    {
        if (done)
            done(true);
    }
    Status activateForRecording() override { return {}; }
    void deactivate() override {}
};
} // namespace

AudioSession* createPlatformAudioSession() { return new NoAudioSession; }

} // namespace muze::audio
