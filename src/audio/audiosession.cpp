// The audio session every platform shares (audiosession.h): which one is in use, and the words.
#include <muze/audio/audiosession.h>

#include <QPointer>

#include <memory>

namespace muze::audio {

namespace {
QPointer<AudioSession> g_override;
}

AudioSession& AudioSession::instance()
{
    if (g_override)
        return *g_override;
    static std::unique_ptr<AudioSession> platform(createPlatformAudioSession());
    return *platform;
}

void AudioSession::setInstance(AudioSession* session) { g_override = session; }

QString microphoneDeniedMessage()
{
    return QObject::tr("Muze may not use the microphone. Allow it in Settings › Privacy › Microphone (on a Mac: "
                       "System Settings › Privacy & Security › Microphone), then record again.");
}

} // namespace muze::audio
