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

#include <string>
#include <vector>

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

// A vault whose mix holds one stereo tone track.
audio::MixSpec toneMix(const TempDir& dir, int rate, int bits, int seconds, double hz)
{
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeAll(dir.filePath(QStringLiteral("a.wav")), makeWav(rate, 2, bits, rate * seconds, hz));
    mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    return *spec;
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
    auto recorder = listenToSink(capture);
    // play() returns before the device plays: started() comes afterwards, through this
    // thread's event loop, never from inside the call.
    StartLog log(&player);
    REQUIRE(player.play());
    log.returned();
    CHECK(waitForSignal(&player, &audio::Player::started, 15000));
    INFO((log.error ? log.error->message.toStdString() : std::string()));
    CHECK(log.events == std::vector<std::string>{"returned", "started"});
    REQUIRE(player.isPlaying());
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
    audio::Player player;
    REQUIRE(player.load(toneMix(dir, 44100, 24, 3, 300)));
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

TEST_CASE("a player sent to a missing speaker says so after play returned, then plays on the right one", "[server]")
{
    AudioServer server;
    TempDir dir;
    audio::Player player;
    // Nothing loaded yet: refused at once, without touching a device.
    Status nothing = player.play();
    REQUIRE_FALSE(nothing);
    CHECK(nothing.error().code == QStringLiteral("empty"));
    CHECK_FALSE(player.isStarting());

    REQUIRE(player.load(toneMix(dir, 48000, 16, 4, 440)));
    player.setOutputDevice(QStringLiteral("definitely-not-a-speaker"));
    StartLog failing(&player);
    REQUIRE(player.play());
    failing.returned();
    REQUIRE(waitForSignal(&player, &audio::Player::startFailed, 15000));
    CHECK(failing.events == std::vector<std::string>{"returned", "start failed"});
    REQUIRE(failing.error);
    CHECK(failing.error->code == QStringLiteral("no_device"));
    CHECK(failing.error->message.contains(QStringLiteral("definitely-not-a-speaker")));
    CHECK_FALSE(player.isPlaying());
    CHECK_FALSE(player.isStarting());

    // The right speaker: the sink hears the mix.
    const QString capture = dir.filePath(QStringLiteral("monitor.wav"));
    auto monitor = listenToSink(capture);
    player.setOutputDevice(QStringLiteral("muze_sink"));
    StartLog playing(&player);
    REQUIRE(player.play());
    playing.returned();
    REQUIRE(waitForSignal(&player, &audio::Player::started, 15000));
    CHECK(playing.events == std::vector<std::string>{"returned", "started"});
    CHECK(player.isPlaying());
    REQUIRE(waitUntil([&] { return player.position() >= 48000 * 2; }, 15000));
    player.stop();
    spin(300);
    stopProcess(*monitor);
    int rate = 0;
    const auto heard = readMono(capture, &rate);
    const auto [first, last] = audibleSpan(heard, rate);
    REQUIRE(first + size_t(rate) / 2 < last);
    const size_t from = first + size_t(rate) / 4;
    const size_t n = std::min(size_t(rate) / 2, last - from);
    CHECK(std::abs(dominantFrequency(heard.data() + from, n, rate) - 440) <= 5);
}

TEST_CASE("stop while the player starts cancels it, and neither started nor startFailed comes", "[server]")
{
    AudioServer server;
    TempDir dir;
    audio::Player player;
    player.setOutputDevice(QStringLiteral("muze_sink"));
    REQUIRE(player.load(toneMix(dir, 48000, 16, 2, 440)));
    StartLog log(&player);
    REQUIRE(player.play());
    player.stop();
    CHECK_FALSE(player.isPlaying());
    CHECK_FALSE(player.isStarting());
    spin(1000); // anything the audio thread had queued has arrived by now
    CHECK(log.events.empty());
    CHECK_FALSE(player.isPlaying());
}
