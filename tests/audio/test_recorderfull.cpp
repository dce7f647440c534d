// A take that fills the disk, on a real full file system: the test runs its hidden half
// ("[recorderfull-child]") again inside a private mount namespace (unshare) where
// MUZE_FULL_DIR is a 256 KiB tmpfs, and records from the test server's microphone there.
// The recorder must stop the take itself (failed), finalize it on its own thread and report
// stopFailed with the cause, leaving a playable WAV of every frame it wrote and no marker.
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/recorder.h>
#include <muze/wav/wavformat.h>

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <string>
#include <vector>

#include <unistd.h>

using namespace muze;
using namespace muze::test;

TEST_CASE("recorder: a take on a full disk, inside the namespace", "[.][recorderfull-child]")
{
    const QString dir = qEnvironmentVariable("MUZE_FULL_DIR");
    REQUIRE_FALSE(dir.isEmpty());
    AudioServer server;
    const QString take = dir + QStringLiteral("/take.wav");
    audio::Recorder recorder;
    audio::RecordOptions options;
    options.device = QStringLiteral("muze_mic");
    options.sampleRate = 48000;
    options.channels = 2;
    options.format = wav::SampleFormat::Int24; // 288 kB a second: the disk is full within one
    StopLog log(&recorder);
    QString failure;
    QObject::connect(&recorder, &audio::Recorder::failed, &log.context, [&](const QString& m) {
        log.events.push_back("failed");
        failure = m;
    });
    REQUIRE(recorder.start(take, options));
    REQUIRE(waitForSignal(&recorder, &audio::Recorder::started, 15000));
    REQUIRE(log.wait(30000));
    CHECK(log.events == std::vector<std::string>{"failed", "stop failed"});
    REQUIRE(log.error);
    INFO(log.error->message.toStdString());
    CHECK(log.error->code == QStringLiteral("io_error"));
    CHECK(log.error->message.contains(QStringLiteral("write failed")));
    CHECK(log.error->message.contains(QStringLiteral("kept")));
    CHECK_FALSE(failure.isEmpty());
    CHECK_FALSE(recorder.isRecording());
    CHECK_FALSE(recorder.isStopping());
    CHECK_FALSE(QFile::exists(audio::recordingMarkerPath(take)));

    // The file is a playable WAV whose header names exactly the frames it holds.
    auto info = wav::probeWavFile(take);
    REQUIRE(info);
    CHECK(info->frames() > 0);
    CHECK_FALSE(info->truncated);
    CHECK(QFileInfo(take).size() == info->dataOffset + info->dataBytes);
}

TEST_CASE("recorder: a take that fills the disk ends with stopFailed and stays playable", "[server]")
{
    TempDir dir;
    const QString full = dir.filePath(QStringLiteral("full"));
    REQUIRE(QDir().mkpath(full));
    const QStringList unshare
        = ::geteuid() == 0 ? QStringList{QStringLiteral("-m")} : QStringList{QStringLiteral("-rm")};
    const QString script = QStringLiteral("mount -t tmpfs -o size=256k muzefull \"$MUZE_FULL_DIR\" || exit 90\n"
                                          "exec \"$SELF\" \"[recorderfull-child]\"\n");
    const ProcessResult r = run(QStringLiteral("unshare"),
        unshare + QStringList{QStringLiteral("bash"), QStringLiteral("-c"), script}, {}, 90000,
        {QStringLiteral("MUZE_FULL_DIR=") + full, QStringLiteral("SELF=") + QCoreApplication::applicationFilePath()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("1 test case")); // the hidden half ran, and passed
}
