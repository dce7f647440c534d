// The OS audio session seam (audiosession.h): a call that takes the microphone mid-take, and a
// microphone the user refused. The platform session here is Linux's; the interruption is the
// signal Apple's session emits on AVAudioSessionInterruptionNotification.
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/audiosession.h>
#include <muze/audio/recorder.h>
#include <muze/wav/wavformat.h>

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

using namespace muze;
using namespace muze::test;

namespace {

class RefusedMicrophone final : public audio::AudioSession {
public:
    int asked = 0;
    audio::MicrophonePermission permission = audio::MicrophonePermission::Denied;
    audio::MicrophonePermission microphonePermission() const override { return permission; }
    void requestMicrophonePermission(std::function<void(bool)> done) override
    {
        ++asked;
        if (done)
            done(false);
    }
    Status activateForRecording() override { return {}; }
    void deactivate() override {}
};

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

TEST_CASE("a call during a take ends it cleanly, keeping what was recorded", "[server]")
{
    AudioServer server;
    TempDir dir;
    const QString take = dir.filePath(QStringLiteral("take.wav"));
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = QStringLiteral("muze_mic");
    options.sampleRate = 48000;
    Status started = recorder.start(take, options);
    INFO(started.errorString().toStdString());
    REQUIRE(started);
    REQUIRE(waitUntil([&] { return recorder.stats().framesWritten >= 48000; }, 15000));

    QString message;
    StopLog log(&recorder);
    QObject::connect(&recorder, &audio::Recorder::failed, &log.context, [&](const QString& m) {
        log.events.push_back("failed");
        message = m;
    });
    Q_EMIT audio::AudioSession::instance().interruptionBegan(); // the phone rings
    CHECK_FALSE(recorder.isRecording());
    CHECK(message.contains(QStringLiteral("microphone")));
    // The recorder finalizes the take on its own thread, then says so.
    REQUIRE(log.wait(15000));
    CHECK(log.events == std::vector<std::string>{"failed", "finished"});
    REQUIRE(log.stats);
    CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));

    // The WAV is whole: its header names exactly the frames the file holds.
    auto info = wav::probeWavFile(take);
    REQUIRE(info);
    CHECK(info->frames() >= 48000);
    CHECK(info->frames() == log.stats->framesWritten);
    CHECK_FALSE(info->truncated);
    const qint64 unaccounted = QFileInfo(take).size() - (info->dataOffset + info->dataBytes);
    CHECK(unaccounted >= 0);
    CHECK(unaccounted <= 1); // at most the pad byte of an odd-sized data chunk
    // And nothing is written after the call.
    const qint64 size = QFileInfo(take).size();
    spin(300);
    CHECK(QFileInfo(take).size() == size);
}

TEST_CASE("a call while the take is still starting ends it with startFailed and no files", "[server]")
{
    AudioServer server;
    TempDir dir;
    const QString take = dir.filePath(QStringLiteral("take.wav"));
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = QStringLiteral("muze_mic");
    StartLog log(&recorder);
    QString takeError;
    QObject::connect(&recorder, &audio::Recorder::failed, [&](const QString& m) { takeError = m; });
    REQUIRE(recorder.start(take, options));
    log.returned();
    REQUIRE(recorder.isStarting());
    Q_EMIT audio::AudioSession::instance().interruptionBegan(); // the phone rings first
    CHECK(log.events == std::vector<std::string>{"returned", "start failed"});
    REQUIRE(log.error);
    CHECK(log.error->message.contains(QStringLiteral("microphone")));
    CHECK(takeError.isEmpty()); // no take was under way
    CHECK_FALSE(recorder.isStarting());
    spin(1000); // what the capture thread had queued arrives, and is dropped
    CHECK(log.events.size() == 2); // no started() after all
    CHECK_FALSE(recorder.isRecording());
    CHECK(QDir(dir.path()).entryList(QDir::Files).isEmpty());
}

TEST_CASE("a refused microphone is a clear error and leaves no files")
{
    TempDir dir;
    RefusedMicrophone refused;
    audio::AudioSession::setInstance(&refused);
    const QString take = dir.filePath(QStringLiteral("take.wav"));
    audio::Recorder recorder;
    Status started = recorder.start(take);
    REQUIRE_FALSE(started);
    CHECK(started.error().code == QStringLiteral("mic_denied"));
    CHECK(started.errorString().contains(QStringLiteral("Privacy")));
    CHECK_FALSE(recorder.isRecording());
    CHECK(QDir(dir.path()).entryList(QDir::Files).isEmpty());

    // Not asked yet: the OS prompt is shown, and the take waits for the answer.
    refused.permission = audio::MicrophonePermission::Undetermined;
    started = recorder.start(take);
    REQUIRE_FALSE(started);
    CHECK(started.error().code == QStringLiteral("mic_undetermined"));
    CHECK(refused.asked == 1);
    CHECK(QDir(dir.path()).entryList(QDir::Files).isEmpty());
    audio::AudioSession::setInstance(nullptr);
}
