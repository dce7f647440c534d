// A/B by ear (issue 12), offline: two versions of a mix rendered side by side by AbSwitch are,
// sample for sample, version A before a switch and version B after it, at the same position,
// with only a 10 ms crossfade between (no server needed).
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/abswitch.h>

#include <cmath>

using namespace muze;
using namespace muze::test;

namespace {

audio::MixSpec oneTrackMix(const TempDir& dir, const QString& name, double freq, double gainDb)
{
    MixFixture mix = makeMixVault(dir.filePath(name));
    writeAll(dir.filePath(name + QStringLiteral(".wav")), makeWav(48000, 1, 16, 48000 * 3, freq));
    const QString t = mix.addTrack(dir.filePath(name + QStringLiteral(".wav")), QStringLiteral("Bass"));
    mix.set(t, "gain_db", gainDb);
    auto spec = audio::loadMixSpec(mix.root, mix.mixId);
    REQUIRE(spec);
    return *spec;
}

// What one mix alone renders over [from, from + n).
std::vector<float> alone(const audio::MixSpec& spec, qint64 from, qint64 n)
{
    audio::Mixer m;
    REQUIRE(m.open(spec, true));
    m.seek(from);
    std::vector<float> out(size_t(n * 2));
    REQUIRE(m.render(out.data(), n) == n);
    return out;
}

} // namespace

TEST_CASE("A/B switch: A before, B after, same position, no gap")
{
    TempDir dir;
    const audio::MixSpec a = oneTrackMix(dir, QStringLiteral("a"), 440, 0);
    const audio::MixSpec b = oneTrackMix(dir, QStringLiteral("b"), 1000, -12);
    audio::Mixer ma, mb;
    REQUIRE(ma.open(a, true));
    REQUIRE(mb.open(b, true));
    audio::AbSwitch ab;
    ab.attach(&ma, &mb);

    const qint64 block = 1000, before = 24000, after = 48000;
    std::vector<float> out;
    qint64 rendered = 0;
    auto renderTo = [&](qint64 end) {
        std::vector<float> buf(size_t(block * 2));
        while (rendered < end) {
            const qint64 n = ab.render(buf.data(), std::min(block, end - rendered));
            REQUIRE(n > 0);
            out.insert(out.end(), buf.begin(), buf.begin() + n * 2);
            rendered += n;
        }
    };
    renderTo(before);
    CHECK_FALSE(ab.selected());
    ab.select(true);
    renderTo(before + after);
    CHECK(ma.position() == before + after);
    CHECK(mb.position() == before + after);

    const std::vector<float> onlyA = alone(a, 0, before);
    const std::vector<float> onlyB = alone(b, before + audio::AbSwitch::kFadeFrames, after - audio::AbSwitch::kFadeFrames);
    CHECK(std::equal(onlyA.begin(), onlyA.end(), out.begin()));
    CHECK(std::equal(onlyB.begin(), onlyB.end(), out.begin() + (before + audio::AbSwitch::kFadeFrames) * 2));
    // The crossfade is a mix of the two at the same frames, never silence.
    const std::vector<float> fadeA = alone(a, before, audio::AbSwitch::kFadeFrames);
    const std::vector<float> fadeB = alone(b, before, audio::AbSwitch::kFadeFrames);
    for (qint64 i = 0; i < audio::AbSwitch::kFadeFrames; ++i) {
        const float w = float(i + 1) / float(audio::AbSwitch::kFadeFrames);
        const float expected = fadeA[size_t(2 * i)] * (1 - w) + fadeB[size_t(2 * i)] * w;
        REQUIRE(std::abs(out[size_t((before + i) * 2)] - expected) < 1e-4f);
    }

    // Back to A after a seek: both follow the same position.
    ab.select(false);
    ab.seek(96000);
    std::vector<float> buf(size_t(4000 * 2));
    REQUIRE(ab.render(buf.data(), 4000) == 4000);
    const std::vector<float> tailA = alone(a, 96000 + audio::AbSwitch::kFadeFrames, 4000 - audio::AbSwitch::kFadeFrames);
    CHECK(std::equal(tailA.begin(), tailA.end(), buf.begin() + audio::AbSwitch::kFadeFrames * 2));
}
