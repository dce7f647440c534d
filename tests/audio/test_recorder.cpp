// Recording through the real PulseAudio of tools/test-env.sh: a tone played into the null
// sink with paplay comes back through the remapped source "muze_mic".
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/devices.h>
#include <muze/audio/recorder.h>
#include <muze/wav/wavformat.h>

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTimer>

#include <string>
#include <vector>

using namespace muze;
using namespace muze::test;

TEST_CASE("the test server's devices are listed and found by name", "[server]")
{
    AudioServer server;
    const auto inputs = audio::listDevices(audio::DeviceMode::Input);
    const auto outputs = audio::listDevices(audio::DeviceMode::Output);
    auto has = [](const QList<audio::DeviceDescription>& list, const char* id) {
        return std::any_of(list.begin(), list.end(), [&](const auto& d) { return d.id == QLatin1String(id); });
    };
    CHECK(has(inputs, "muze_mic"));
    CHECK(has(outputs, "muze_sink"));
    auto mic = audio::findDevice(audio::DeviceMode::Input, QStringLiteral("muze_mic"));
    REQUIRE(mic);
    CHECK(mic->id() == "muze_mic");
    auto byDefault = audio::findDevice(audio::DeviceMode::Input, {});
    REQUIRE(byDefault);
    CHECK(byDefault->id() == "muze_mic");
    auto none = audio::findDevice(audio::DeviceMode::Input, QStringLiteral("no such microphone"));
    REQUIRE_FALSE(none);
    CHECK(none.error().code == QStringLiteral("no_device"));
}

TEST_CASE("a tone played into the sink is recorded with the right length and pitch", "[server]")
{
    AudioServer server;
    TempDir dir;
    const QString tone = dir.filePath(QStringLiteral("tone.wav"));
    // Longer than needed: the null sink may swallow up to ~2 s of what paplay queued before
    // the first recording stream lowered its latency.
    makeTone(tone, 1000, 20);
    auto player = startPlaying(tone);
    QEventLoop settle;
    QTimer::singleShot(500, &settle, &QEventLoop::quit);
    settle.exec();

    struct Case {
        wav::SampleFormat format;
        int channels;
        int rate;
    };
    const Case cases[] = {{wav::SampleFormat::Int24, 2, 48000}, {wav::SampleFormat::Int16, 1, 44100}};
    for (const Case& c : cases) {
        const QString take = dir.filePath(QStringLiteral("take-%1.wav").arg(wav::sampleFormatName(c.format)));
        audio::Recorder recorder;
        audio::RecordOptions options;
        options.device = QStringLiteral("muze_mic");
        options.maxSeconds = 2.0;
        options.format = c.format;
        options.channels = c.channels;
        options.sampleRate = c.rate;
        options.marker = nlohmann::ordered_json{{"mix", "m1"}};
        // start() returns before the device records: started() comes afterwards, through
        // this thread's event loop, and only then does the take count as recording.
        StartLog log(&recorder);
        Status started = recorder.start(take, options);
        INFO(started.errorString().toStdString());
        REQUIRE(started);
        log.returned();
        CHECK_FALSE(recorder.isRecording());
        qint64 capturedAtStart = -1;
        QObject::connect(&recorder, &audio::Recorder::started, &recorder,
            [&] { capturedAtStart = recorder.stats().framesCaptured; });
        CHECK(waitForSignal(&recorder, &audio::Recorder::started, 15000));
        INFO((log.error ? log.error->message.toStdString() : std::string()));
        CHECK(log.events == std::vector<std::string>{"returned", "started"});
        // started() means audio flows (the null sink's monitor takes ~2 s to deliver its first
        // block; the take used to count as recording, and the GUI's clock ran, before that).
        CHECK(capturedAtStart > 0);
        CHECK(QFile::exists(audio::recordingMarkerPath(take)));
        REQUIRE(recorder.isRecording());
        // The meter sees the tone once audio flows (the null sink can take a second or so to
        // deliver the first fragment).
        QElapsedTimer clock;
        clock.start();
        float peak = 0.0f;
        while (peak < 0.2f && recorder.isRecording() && clock.elapsed() < 10000) {
            QEventLoop wait;
            QTimer::singleShot(20, &wait, &QEventLoop::quit);
            wait.exec();
            peak = std::max(peak, recorder.takePeakLevel());
        }
        CHECK(peak > 0.2f);
        CHECK(peak < 0.6f);
        REQUIRE(waitForSignal(&recorder, &audio::Recorder::limitReached, 15000));
        // stop() returns before the take is finalized: finished() follows, with the stats.
        StopLog stopLog(&recorder);
        REQUIRE(recorder.stop());
        stopLog.returned();
        CHECK_FALSE(recorder.isRecording());
        CHECK(recorder.isStopping());
        const Status again = recorder.start(take, options); // the take is still being saved
        REQUIRE_FALSE(again);
        CHECK(again.error().code == QStringLiteral("busy"));
        REQUIRE(stopLog.wait(15000));
        INFO((stopLog.error ? stopLog.error->message.toStdString() : std::string()));
        CHECK(stopLog.events == std::vector<std::string>{"returned", "finished"});
        REQUIRE(stopLog.stats);
        const audio::RecordingStats* stats = &*stopLog.stats;
        CHECK_FALSE(recorder.isStopping());
        CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));
        CHECK(stats->framesWritten == qint64(2 * c.rate));
        CHECK(stats->framesDropped == 0);
        CHECK(stats->gapFrames == 0);

        auto info = wav::probeWavFile(take);
        REQUIRE(info);
        CHECK(info->format == c.format);
        CHECK(info->channels == c.channels);
        CHECK(info->sampleRate == c.rate);
        CHECK(info->frames() == qint64(2 * c.rate));
        int rate = 0;
        const auto mono = readMono(take, &rate);
        const size_t from = mono.size() - size_t(rate) - size_t(rate) / 10, n = size_t(rate); // the last second
        CHECK(std::abs(dominantFrequency(mono.data() + from, n, rate) - 1000) <= 5);
        // sox's "vol 0.5" sine: RMS 0.35 (the null sink passes it through unchanged).
        CHECK(rms(mono.data() + from, n) == Approx(0.354).margin(0.05));
    }
    stopProcess(*player);
}

TEST_CASE("a device that does not exist is reported after start returned, and leaves no files", "[server]")
{
    AudioServer server;
    TempDir dir;
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = QStringLiteral("definitely-not-a-device");
    const QString take = dir.filePath(QStringLiteral("x.wav"));
    StartLog log(&recorder);
    REQUIRE(recorder.start(take, options));
    log.returned();
    REQUIRE(waitForSignal(&recorder, &audio::Recorder::startFailed, 15000));
    CHECK(log.events == std::vector<std::string>{"returned", "start failed"});
    REQUIRE(log.error);
    CHECK(log.error->code == QStringLiteral("no_device"));
    CHECK(log.error->message.contains(QStringLiteral("definitely-not-a-device")));
    CHECK_FALSE(recorder.isRecording());
    CHECK_FALSE(recorder.isStarting());
    CHECK_FALSE(QFile::exists(take));
    CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));
    CHECK_FALSE(recorder.stop());
}

TEST_CASE("a take into a folder that does not exist is refused at once")
{
    TempDir dir;
    audio::Recorder recorder;
    Status s = recorder.start(dir.filePath(QStringLiteral("no/such/folder/x.wav")));
    REQUIRE_FALSE(s);
    CHECK(s.error().code == QStringLiteral("bad_path"));
    CHECK(s.errorString().contains(QStringLiteral("folder")));
    CHECK_FALSE(recorder.isStarting());
    CHECK(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).isEmpty());
}

TEST_CASE("stop while the recorder starts cancels the take and leaves no files", "[server]")
{
    AudioServer server;
    TempDir dir;
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = QStringLiteral("muze_mic");
    const QString take = dir.filePath(QStringLiteral("x.wav"));
    StartLog log(&recorder);
    REQUIRE(recorder.start(take, options));
    CHECK(recorder.isStarting());
    auto stopped = recorder.stop();
    REQUIRE_FALSE(stopped);
    CHECK(stopped.error().code == QStringLiteral("not_started"));
    CHECK_FALSE(recorder.isStarting());
    CHECK_FALSE(recorder.isRecording());
    QEventLoop wait; // anything the capture thread had queued has arrived by then
    QTimer::singleShot(1000, &wait, &QEventLoop::quit);
    wait.exec();
    CHECK(log.events.empty());
    CHECK_FALSE(QFile::exists(take));
    CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));

    // The recorder is free for the next take.
    REQUIRE(recorder.start(take, options));
    REQUIRE(waitForSignal(&recorder, &audio::Recorder::started, 15000));
    CHECK(recorder.isRecording());
    StopLog stopLog(&recorder);
    REQUIRE(recorder.stop());
    REQUIRE(stopLog.wait(15000));
    REQUIRE(stopLog.stats);
    CHECK(QFile::exists(take));
    CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));
    auto info = wav::probeWavFile(take);
    REQUIRE(info);
    CHECK(info->frames() == stopLog.stats->framesWritten);
}

// RAII: a null sink of its own, suspended, and a microphone made from its monitor (Qt does
// not list monitors): an input that opens and never delivers, as a USB interface in a bad
// state does.
namespace {
QString loadModule(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("pactl"), QStringList{QStringLiteral("load-module")} + args);
    return p.waitForFinished(5000) && p.exitCode() == 0 ? QString::fromUtf8(p.readAllStandardOutput()).trimmed()
                                                        : QString();
}

struct SilentInput {
    QStringList modules;
    SilentInput()
    {
        modules << loadModule({QStringLiteral("module-null-sink"), QStringLiteral("sink_name=muze_quiet"),
            QStringLiteral("rate=48000"), QStringLiteral("channels=2")});
        QProcess::execute(
            QStringLiteral("pactl"), {QStringLiteral("suspend-sink"), QStringLiteral("muze_quiet"), QStringLiteral("1")});
        modules << loadModule({QStringLiteral("module-remap-source"), QStringLiteral("master=muze_quiet.monitor"),
            QStringLiteral("source_name=muze_quiet_mic")});
    }
    ~SilentInput()
    {
        for (auto it = modules.crbegin(); it != modules.crend(); ++it)
            if (!it->isEmpty())
                QProcess::execute(QStringLiteral("pactl"), {QStringLiteral("unload-module"), *it});
    }
    bool ok() const { return modules.size() == 2 && !modules.contains(QString()); }
};
} // namespace

TEST_CASE("an input that opens and never delivers fails the start, leaving no files", "[server]")
{
    AudioServer server;
    SilentInput quiet;
    REQUIRE(quiet.ok());
    const QString id = QStringLiteral("muze_quiet_mic");
    // Qt hears about the new device through the server's events.
    QElapsedTimer clock;
    clock.start();
    while (!audio::findDevice(audio::DeviceMode::Input, id) && clock.elapsed() < 10000) {
        QEventLoop wait;
        QTimer::singleShot(50, &wait, &QEventLoop::quit);
        wait.exec();
    }
    REQUIRE(audio::findDevice(audio::DeviceMode::Input, id));

    TempDir dir;
    const QString take = dir.filePath(QStringLiteral("take.wav"));
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = id;
    options.firstAudioTimeoutMs = 2000;
    StartLog log(&recorder);
    REQUIRE(recorder.start(take, options));
    log.returned();
    clock.restart();
    REQUIRE(waitForSignal(&recorder, &audio::Recorder::startFailed, 15000));
    // Not recording at any point: the user never saw a take counting that holds nothing.
    CHECK(log.events == std::vector<std::string>{"returned", "start failed"});
    CHECK(clock.elapsed() >= 1500);
    REQUIRE(log.error);
    CHECK(log.error->code == QStringLiteral("device_error"));
    CHECK(log.error->message.contains(QStringLiteral("delivered no audio")));
    CHECK_FALSE(recorder.isStarting());
    CHECK_FALSE(recorder.isRecording());
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    // The recorder is free for the next take.
    CHECK(recorder.start(take, options));
    CHECK(recorder.stop().error().code == QStringLiteral("not_started"));
    CHECK(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
}
