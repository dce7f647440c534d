// Playback through the real PulseAudio of tools/test-env.sh: Muze plays a mix into the null
// sink while parecord records the sink's monitor.
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/player.h>

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>

using namespace muze;
using namespace muze::test;

namespace {

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// [first, last) frames of the part of a recording that is louder than `threshold` (RMS per 10 ms).
std::pair<size_t, size_t> audibleSpan(const std::vector<double>& x, int rate, double threshold = 0.05)
{
    const size_t win = size_t(rate) / 100;
    size_t first = x.size(), last = 0;
    for (size_t i = 0; i + win <= x.size(); i += win) {
        if (rms(x.data() + i, win) > threshold) {
            first = std::min(first, i);
            last = i + win;
        }
    }
    return {first, last};
}

} // namespace

TEST_CASE("a mix played into the sink comes out with the right pitch, level and mute", "[server]")
{
    AudioServer server;
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeAll(dir.filePath(QStringLiteral("a.wav")), makeWav(48000, 1, 16, 48000 * 6, 440)); // 0.5 amplitude
    writeAll(dir.filePath(QStringLiteral("b.wav")), makeWav(48000, 2, 16, 48000 * 6, 1200));
    mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    const QString b = mix.addTrack(dir.filePath(QStringLiteral("b.wav")), QStringLiteral("B"));
    mix.set(b, "muted", true);
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);

    audio::Player player;
    player.setOutputDevice(QStringLiteral("muze_sink"));
    REQUIRE(player.load(*spec));
    CHECK(player.length() == 48000 * 6);
    CHECK(player.sampleRate() == 48000);

    const QString capture = dir.filePath(QStringLiteral("monitor.wav"));
    auto recorder = startRecordingMonitor(capture);
    // Start the mix once the monitor delivers: until a low-latency stream listens, the null
    // sink may consume seconds of audio in one block.
    QElapsedTimer clock;
    clock.start();
    while (QFileInfo(capture).size() < 44 + 48000 * 4 / 2 && clock.elapsed() < 15000)
        spin(20);
    REQUIRE(QFileInfo(capture).size() >= 44 + 48000 * 4 / 2);
    spin(200);
    REQUIRE(player.play());
    CHECK(player.isPlaying());
    // Wait on the position (what the sink consumed), not on the wall clock: the null sink can
    // take a second or two to switch to low latency before it plays anything.
    auto waitPosition = [&](qint64 frames) {
        QElapsedTimer wait;
        wait.start();
        while (player.position() < frames && wait.elapsed() < 15000)
            spin(20);
        return player.position();
    };
    const qint64 pos = waitPosition(48000);
    CHECK(pos >= 48000);
    CHECK(pos < 48000 * 3);
    CHECK(player.isPlaying());
    CHECK(waitPosition(2 * 48000) >= 2 * 48000);
    player.stop();
    CHECK_FALSE(player.isPlaying());
    const qint64 stoppedAt = player.position();
    CHECK(stoppedAt >= 2 * 48000);
    spin(500);
    stopProcess(*recorder);

    int rate = 0;
    const auto heard = readMono(capture, &rate);
    const auto [first, last] = audibleSpan(heard, rate);
    REQUIRE(first < last);
    const double seconds = double(last - first) / rate;
    CHECK(seconds == Approx(double(stoppedAt) / 48000).margin(0.4));
    const size_t from = first + size_t(rate) / 4;
    const size_t n = std::min<size_t>(size_t(rate), last - from);
    CHECK(std::abs(dominantFrequency(heard.data() + from, n, rate) - 440) <= 5);
    // The muted 1200 Hz track is not there.
    CHECK(goertzelPower(heard.data() + from, n, rate, 1200) < goertzelPower(heard.data() + from, n, rate, 440) * 1e-3);
    // A centred mono track at 0 dB: 0.5 · cos(π/4) in each channel, RMS 0.25.
    CHECK(rms(heard.data() + from, n) == Approx(0.25).margin(0.04));
}

TEST_CASE("playback reaches the end, reports it, and seeks", "[server]")
{
    AudioServer server;
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeAll(dir.filePath(QStringLiteral("a.wav")), makeWav(44100, 2, 24, 44100 * 3, 300));
    mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    audio::Player player;
    REQUIRE(player.load(*spec));
    CHECK(player.sampleRate() == 44100);
    player.seek(44100 * 2); // one second before the end
    bool finished = false;
    QEventLoop loop;
    QObject::connect(&player, &audio::Player::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QElapsedTimer clock;
    clock.start();
    REQUIRE(player.play());
    QTimer::singleShot(15000, &loop, &QEventLoop::quit);
    loop.exec();
    REQUIRE(finished);
    CHECK(clock.elapsed() > 700); // it played the last second rather than skipping it
    CHECK_FALSE(player.isPlaying());
    CHECK(player.position() == player.length());
    // Playing again starts over.
    REQUIRE(player.play());
    spin(300);
    CHECK(player.position() < 44100);
    player.stop();
}
