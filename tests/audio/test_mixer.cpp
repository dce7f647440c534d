// Mixing and mixdown: exact against a sum computed by hand (no audio server needed).
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/mixdown.h>
#include <muze/audio/mixer.h>
#include <muze/wav/wavreader.h>

#include <cmath>
#include <numbers>
#include <random>

using namespace muze;
using namespace muze::test;

namespace {

std::vector<float> noise(size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> d(-0.5f, 0.5f);
    std::vector<float> v(n);
    for (auto& x : v)
        x = d(rng);
    return v;
}

std::vector<float> readBack(const QString& path)
{
    auto s = wav::WavReader::readAll(path);
    REQUIRE(s);
    return *s;
}

// The documented laws, written out independently of the implementation.
void gainsFor(double db, double pan, int channels, double master, double* l, double* r)
{
    const double g = std::pow(10.0, (db + master) / 20.0);
    if (channels == 1) {
        const double th = (pan + 1) * std::numbers::pi / 4;
        *l = g * std::cos(th);
        *r = g * std::sin(th);
    } else {
        *l = g * (pan > 0 ? 1 - pan : 1);
        *r = g * (pan < 0 ? 1 + pan : 1);
    }
}

struct Src {
    std::vector<float> samples; // as read back from the vault's WAV
    int channels;
    double db, pan;
    bool audible;
};

std::vector<double> expectedMix(const std::vector<Src>& srcs, size_t frames, double master)
{
    std::vector<double> out(frames * 2, 0.0);
    for (const Src& s : srcs) {
        if (!s.audible)
            continue;
        double gl, gr;
        gainsFor(s.db, s.pan, s.channels, master, &gl, &gr);
        const size_t n = s.samples.size() / size_t(s.channels);
        for (size_t i = 0; i < n; ++i) {
            const double a = s.samples[i * size_t(s.channels)];
            const double b = s.channels == 2 ? s.samples[i * 2 + 1] : a;
            out[2 * i] += a * gl;
            out[2 * i + 1] += b * gr;
        }
    }
    return out;
}

void requireClose(const std::vector<float>& got, const std::vector<double>& want)
{
    REQUIRE(got.size() == want.size());
    double worst = 0;
    for (size_t i = 0; i < got.size(); ++i)
        worst = std::max(worst, std::abs(double(got[i]) - want[i]));
    CHECK(worst < 2e-6);
}

} // namespace

TEST_CASE("mixdown equals the hand-computed sum: gain, pan, mute, solo, master")
{
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    // A: mono float, B: stereo 16-bit (longest), C: mono 24-bit (muted), D: stereo float, short.
    writeFloatWav(dir.filePath(QStringLiteral("a.wav")), noise(1000, 1), 1, 48000, 3);
    writeFloatWav(dir.filePath(QStringLiteral("b.wav")), noise(3000, 2), 2, 48000, 0);
    writeFloatWav(dir.filePath(QStringLiteral("c.wav")), noise(800, 3), 1, 48000, 1);
    writeFloatWav(dir.filePath(QStringLiteral("d.wav")), noise(600, 4), 2, 48000, 3);
    const QString a = mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    const QString b = mix.addTrack(dir.filePath(QStringLiteral("b.wav")), QStringLiteral("B"));
    const QString c = mix.addTrack(dir.filePath(QStringLiteral("c.wav")), QStringLiteral("C"));
    const QString d = mix.addTrack(dir.filePath(QStringLiteral("d.wav")), QStringLiteral("D"));
    mix.set(a, "gain_db", -6.0);
    mix.set(a, "pan", -0.5);
    mix.set(b, "gain_db", 3.0);
    mix.set(b, "pan", 0.3);
    mix.set(c, "muted", true);
    mix.set(d, "pan", -1.0);

    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    REQUIRE(spec->tracks.size() == 4);
    std::vector<Src> srcs;
    for (const auto& t : spec->tracks)
        srcs.push_back({readBack(t.wavPath), t.name == QLatin1String("B") || t.name == QLatin1String("D") ? 2 : 1,
            t.mix.gainDb, t.mix.pan, !t.mix.muted});

    const QString out = dir.filePath(QStringLiteral("out.wav"));
    auto result = audio::renderMixdown(*spec, out);
    REQUIRE(result);
    CHECK(result->frames == 1500);
    CHECK(result->sampleRate == 48000);
    requireClose(readBack(out), expectedMix(srcs, 1500, 0.0));

    SECTION("solo: only soloed tracks play, mute still wins")
    {
        mix.set(b, "solo", true);
        mix.set(c, "solo", true); // muted and soloed: silent
        auto soloSpec = audio::loadMixSpec(mix.root, mix.mixId);
        REQUIRE(soloSpec);
        REQUIRE(audio::renderMixdown(*soloSpec, out));
        for (auto& s : srcs)
            s.audible = false;
        srcs[1].audible = true;
        requireClose(readBack(out), expectedMix(srcs, 1500, 0.0));
    }
    SECTION("the mix's own gain is a master gain")
    {
        mix.set({}, "gain_db", -3.0);
        auto masterSpec = audio::loadMixSpec(mix.root, mix.mixId);
        REQUIRE(masterSpec);
        CHECK(masterSpec->masterGainDb == -3.0);
        REQUIRE(audio::renderMixdown(*masterSpec, out));
        requireClose(readBack(out), expectedMix(srcs, 1500, -3.0));
    }
    SECTION("playback renders the same samples from any seek position")
    {
        const std::vector<float> whole = readBack(out);
        audio::Mixer mixer;
        REQUIRE(mixer.open(*spec));
        mixer.seek(777);
        std::vector<float> part(2 * 500);
        REQUIRE(mixer.render(part.data(), 500) == 500);
        for (size_t i = 0; i < part.size(); ++i)
            REQUIRE(part[i] == whole[777 * 2 + i]);
        // Odd-sized blocks, as an audio device asks for them, give the same stream.
        mixer.seek(0);
        std::vector<float> streamed;
        std::vector<float> block(2 * 113);
        qint64 n;
        while ((n = mixer.render(block.data(), 113)) > 0)
            streamed.insert(streamed.end(), block.begin(), block.begin() + n * 2);
        CHECK(streamed == whole);
        CHECK(mixer.atEnd());
    }
}

TEST_CASE("pan laws: constant power for mono, balance for stereo")
{
    const auto centre = audio::trackGains({0.0, 0.0, false, false}, 1);
    CHECK(centre.left == Approx(std::sqrt(0.5)));
    CHECK(centre.right == Approx(std::sqrt(0.5)));
    const auto hardLeft = audio::trackGains({0.0, -1.0, false, false}, 1);
    CHECK(hardLeft.left == Approx(1.0));
    CHECK(std::abs(hardLeft.right) < 1e-7);
    for (double pan : {-0.9, -0.3, 0.2, 0.7}) {
        const auto g = audio::trackGains({0.0, pan, false, false}, 1);
        CHECK(double(g.left) * g.left + double(g.right) * g.right == Approx(1.0)); // constant power
    }
    const auto stereo = audio::trackGains({-6.0, 0.0, false, false}, 2);
    CHECK(stereo.left == Approx(std::pow(10.0, -6.0 / 20)));
    CHECK(stereo.left == stereo.right);
    const auto right = audio::trackGains({0.0, 0.25, false, false}, 2);
    CHECK(right.left == Approx(0.75));
    CHECK(right.right == Approx(1.0));
}

TEST_CASE("a track at another rate is resampled to the mix rate")
{
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeAll(dir.filePath(QStringLiteral("a.wav")), makeWav(48000, 1, 16, 4800, 300));
    writeAll(dir.filePath(QStringLiteral("b.wav")), makeWav(48000, 1, 16, 4800, 300));
    writeAll(dir.filePath(QStringLiteral("c.wav")), makeWav(44100, 1, 16, 44100, 1000));
    mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    const QString b = mix.addTrack(dir.filePath(QStringLiteral("b.wav")), QStringLiteral("B"));
    const QString c = mix.addTrack(dir.filePath(QStringLiteral("c.wav")), QStringLiteral("C"));
    mix.set(c, "solo", true);
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    const QString out = dir.filePath(QStringLiteral("out.wav"));
    auto result = audio::renderMixdown(*spec, out);
    REQUIRE(result);
    CHECK(result->sampleRate == 48000);
    CHECK(result->frames == 48000); // one second, at the mix rate
    int rate = 0;
    const auto mono = readMono(out, &rate);
    CHECK(rate == 48000);
    CHECK(std::abs(dominantFrequency(mono.data() + 4800, 24000, rate, 200, 3000, 2) - 1000) <= 2);
    (void)b;
}

TEST_CASE("missing audio: playback leaves the track out, mixdown refuses")
{
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeAll(dir.filePath(QStringLiteral("a.wav")), makeWav(48000, 2, 16, 100));
    const QString a = mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("A"));
    const QString b = mix.addTrack(dir.filePath(QStringLiteral("a.wav")), QStringLiteral("B"));
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    REQUIRE(QFile::remove(spec->tracks[1].wavPath)); // e.g. still only in the cloud
    audio::Mixer mixer;
    REQUIRE(mixer.open(*spec));
    CHECK(mixer.problems().size() == 1);
    CHECK(mixer.length() == 100);
    auto refused = audio::renderMixdown(*spec, dir.filePath(QStringLiteral("out.wav")));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message.contains(QStringLiteral("B")));
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("out.wav"))));
    // Muted, it is not needed.
    mix.set(b, "muted", true);
    auto muted = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(muted);
    auto ok = audio::renderMixdown(*muted, dir.filePath(QStringLiteral("out.wav")));
    REQUIRE(ok);
    CHECK(ok->problems.size() == 1);
    (void)a;
}

TEST_CASE("mixdown to 16-bit clips instead of wrapping")
{
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    writeFloatWav(dir.filePath(QStringLiteral("loud.wav")), std::vector<float>(200, 0.9f), 2, 48000, 3);
    const QString a = mix.addTrack(dir.filePath(QStringLiteral("loud.wav")), QStringLiteral("A"));
    mix.set(a, "gain_db", 12.0);
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    audio::MixdownOptions options;
    options.format = wav::SampleFormat::Int16;
    REQUIRE(audio::renderMixdown(*spec, dir.filePath(QStringLiteral("out.wav")), options));
    for (float v : readBack(dir.filePath(QStringLiteral("out.wav"))))
        REQUIRE(v == Approx(32767.0 / 32768.0));
}
