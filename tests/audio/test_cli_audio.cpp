// muze-cli record / mixdown / devices-audio, run as child processes against the PulseAudio
// of tools/test-env.sh — including a recorder killed with SIGKILL in the middle of a take.
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/recorder.h>
#include <muze/audio/take.h>
#include <muze/model/vaultstore.h>
#include <muze/util/json.h>
#include <muze/wav/wavformat.h>

#include <QDirIterator>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QProcess>
#include <QThread>
#include <QTimer>

using namespace muze;
using namespace muze::test;

namespace {

struct CliVault {
    TempDir dir;
    QString config() const { return dir.filePath(QStringLiteral("config")); }
    QString root() const { return dir.filePath(QStringLiteral("vault")); }
    QString mixId;

    CliVault()
    {
        REQUIRE(cli({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"),
                        QStringLiteral("--provider"), QStringLiteral("local"), QStringLiteral("--path"), root()})
                    .exitCode
            == 0);
        const QString c
            = QString::fromUtf8(cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")}).out)
                  .trimmed();
        const QString p
            = QString::fromUtf8(cli({QStringLiteral("project"), QStringLiteral("add"), c, QStringLiteral("Demo")}).out)
                  .trimmed();
        mixId = QString::fromUtf8(cli({QStringLiteral("mix"), QStringLiteral("add"), p, QStringLiteral("Rough")}).out)
                    .trimmed();
        REQUIRE(!mixId.isEmpty());
    }

    QStringList args(const QStringList& rest) const
    {
        return QStringList{QStringLiteral("--config-dir"), config()} + rest;
    }
    ProcessResult cli(const QStringList& rest, int timeoutMs = 60000) const
    {
        return run(builtBinary(QStringLiteral("muze-cli")), args(rest), {}, timeoutMs);
    }
    std::vector<model::TrackNode> tracks() const
    {
        auto tree = model::VaultStore(root()).load();
        REQUIRE(tree);
        for (const auto& c : tree->collections)
            for (const auto& p : c.projects)
                for (const auto& m : p.mixes)
                    if (m.id == mixId)
                        return m.tracks;
        FAIL("mix not found");
        return {};
    }
    QStringList filesMatching(const QString& pattern) const
    {
        QStringList out;
        QDirIterator it(root(), {pattern}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            out << it.next();
        return out;
    }
};

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

TEST_CASE("muze-cli record adds a take of the requested length to the mix", "[server]")
{
    AudioServer server;
    CliVault v;
    const QString tone = v.dir.filePath(QStringLiteral("tone.wav"));
    makeTone(tone, 880, 20);
    auto player = startPlaying(tone);
    spin(300);
    auto r = v.cli({QStringLiteral("--json"), QStringLiteral("record"), v.mixId, QStringLiteral("--seconds"),
        QStringLiteral("2"), QStringLiteral("--device"), QStringLiteral("muze_mic"), QStringLiteral("--name"),
        QStringLiteral("Guitar")});
    stopProcess(*player);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    auto json = parseJson(r.out, QStringLiteral("stdout"));
    REQUIRE(json);
    const QString id = jsonString(*json, "id");
    CHECK(jsonNumber(*json, "dropped_frames", -1) == 0);
    CHECK(jsonNumber(*json, "gap_frames", -1) == 0);

    const auto tracks = v.tracks();
    REQUIRE(tracks.size() == 1);
    CHECK(tracks[0].id() == id);
    CHECK(tracks[0].name() == QStringLiteral("Guitar"));
    const QString wavPath = model::VaultStore(v.root()).absolute(tracks[0].audioFile);
    auto info = wav::probeWavFile(wavPath);
    REQUIRE(info);
    CHECK(info->frames() == 2 * info->sampleRate);
    CHECK(jsonNumber(tracks[0].data, "frames") == double(info->frames()));
    int rate = 0;
    const auto mono = readMono(wavPath, &rate);
    CHECK(std::abs(dominantFrequency(mono.data() + rate / 4, size_t(rate), rate) - 880) <= 5);
    // Nothing of the take is left behind: one WAV, no marker.
    CHECK(v.filesMatching(QStringLiteral("*.wav")).size() == 1);
    CHECK(v.filesMatching(QStringLiteral("*.recording")).isEmpty());
}

TEST_CASE("a recorder killed mid-take leaves a WAV that opens with the audio up to the kill", "[server]")
{
    AudioServer server;
    CliVault v;
    const QString tone = v.dir.filePath(QStringLiteral("tone.wav"));
    makeTone(tone, 500, 30);
    auto player = startPlaying(tone);

    QProcess child;
    child.start(builtBinary(QStringLiteral("muze-cli")),
        v.args({QStringLiteral("record"), v.mixId, QStringLiteral("--seconds"), QStringLiteral("60"),
            QStringLiteral("--name"), QStringLiteral("Doomed")}));
    REQUIRE(child.waitForStarted(10000));
    // The marker appears before the first byte; then wait for ~3 s of audio on disk.
    QString wavPath;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < 20000) {
        const QStringList markers = v.filesMatching(QStringLiteral("*.wav.recording"));
        if (!markers.isEmpty()) {
            wavPath = markers.front().chopped(int(QStringLiteral(".recording").size()));
            break;
        }
        QThread::msleep(20);
    }
    REQUIRE(!wavPath.isEmpty());
    const qint64 bytesPerSecond = 48000 * 2 * 3; // default take: 48 kHz stereo 24-bit
    while (clock.elapsed() < 30000 && QFileInfo(wavPath).size() < 44 + 3 * bytesPerSecond)
        QThread::msleep(20);
    REQUIRE(QFileInfo(wavPath).size() >= 44 + 3 * bytesPerSecond);
    spin(400); // somewhere between two header updates
    const qint64 sizeAtKill = QFileInfo(wavPath).size();
    child.kill(); // SIGKILL: no chance to finalize
    REQUIRE(child.waitForFinished(10000));
    stopProcess(*player);

    const qint64 sizeAfter = QFileInfo(wavPath).size();
    CHECK(sizeAfter >= sizeAtKill);
    auto info = wav::probeWavFile(wavPath);
    INFO((info ? QString() : info.error().message).toStdString());
    REQUIRE(info);
    CHECK(info->format == wav::SampleFormat::Int24);
    const qint64 framesOnDisk = (sizeAfter - info->dataOffset) / info->blockAlign();
    // The header was rewritten at most ~1 s of audio before the kill.
    CHECK(info->frames() <= framesOnDisk);
    CHECK(info->frames() >= framesOnDisk - qint64(1.2 * info->sampleRate));
    CHECK(info->frames() >= 2 * info->sampleRate);
    int rate = 0;
    const auto mono = readMono(wavPath, &rate);
    CHECK(std::abs(dominantFrequency(mono.data() + mono.size() - size_t(rate), size_t(rate), rate) - 500) <= 5);

    // The orphan is found and recovered into the mix with every whole frame on disk.
    CHECK(QFile::exists(audio::recordingMarkerPath(wavPath)));
    const QStringList orphans = audio::findOrphanTakes(v.root());
    REQUIRE(orphans == QStringList{wavPath});
    auto id = audio::recoverTake(v.root(), wavPath);
    INFO((id ? QString() : id.error().message).toStdString());
    REQUIRE(id);
    const auto tracks = v.tracks();
    REQUIRE(tracks.size() == 1);
    CHECK(tracks[0].name() == QStringLiteral("Doomed"));
    CHECK(qint64(jsonNumber(tracks[0].data, "frames")) == framesOnDisk);
    CHECK_FALSE(QFile::exists(wavPath));
    CHECK(v.filesMatching(QStringLiteral("*.recording")).isEmpty());
    CHECK(audio::findOrphanTakes(v.root()).isEmpty());
}

TEST_CASE("muze-cli mixdown and devices-audio", "[server]")
{
    AudioServer server;
    CliVault v;
    writeAll(v.dir.filePath(QStringLiteral("a.wav")), makeWav(44100, 2, 16, 44100, 440));
    REQUIRE(v.cli({QStringLiteral("track"), QStringLiteral("import"), v.mixId, v.dir.filePath(QStringLiteral("a.wav"))})
                .exitCode
        == 0);
    const QString out = v.dir.filePath(QStringLiteral("mix.wav"));
    auto r = v.cli({QStringLiteral("--json"), QStringLiteral("mixdown"), v.mixId, out, QStringLiteral("--format"),
        QStringLiteral("pcm16")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    auto json = parseJson(r.out, QStringLiteral("stdout"));
    REQUIRE(json);
    CHECK(jsonNumber(*json, "frames") == 44100);
    auto info = wav::probeWavFile(out);
    REQUIRE(info);
    CHECK(info->format == wav::SampleFormat::Int16);
    CHECK(info->frames() == 44100);

    auto devices = v.cli({QStringLiteral("--json"), QStringLiteral("devices-audio")});
    REQUIRE(devices.exitCode == 0);
    auto dj = parseJson(devices.out, QStringLiteral("stdout"));
    REQUIRE(dj);
    bool mic = false, sink = false;
    for (const auto& d : (*dj)["inputs"])
        mic = mic || (jsonString(d, "id") == QStringLiteral("muze_mic") && jsonBool(d, "default"));
    for (const auto& d : (*dj)["outputs"])
        sink = sink || (jsonString(d, "id") == QStringLiteral("muze_sink") && jsonBool(d, "default"));
    CHECK(mic);
    CHECK(sink);

    // Usage and user errors follow the CLI contract.
    CHECK(v.cli({QStringLiteral("record"), v.mixId}).exitCode == 2);
    CHECK(v.cli({QStringLiteral("record"), v.mixId, QStringLiteral("--seconds"), QStringLiteral("-1")}).exitCode == 2);
    CHECK(v.cli({QStringLiteral("mixdown"), v.mixId}).exitCode == 2);
    auto missing = v.cli(
        {QStringLiteral("record"), QStringLiteral("no-such-mix"), QStringLiteral("--seconds"), QStringLiteral("1")});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.startsWith("muze-cli: error: "));
    auto badDevice = v.cli({QStringLiteral("record"), v.mixId, QStringLiteral("--seconds"), QStringLiteral("1"),
        QStringLiteral("--device"), QStringLiteral("nope-nope")});
    CHECK(badDevice.exitCode == 1);
    CHECK(badDevice.err.contains("nope-nope"));
    CHECK(v.filesMatching(QStringLiteral("*.wav.recording")).isEmpty());
}
