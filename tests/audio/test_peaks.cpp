#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include <muze/audio/peaks.h>

#include <QEventLoop>
#include <QFile>
#include <QTimer>

#include <cmath>

using namespace muze;
using namespace muze::test;

TEST_CASE("peaks follow the waveform and are cached beside local state")
{
    TempDir dir;
    // 2 s of silence then 1 s of a half-scale tone.
    std::vector<float> samples(96000, 0.0f); // mono: 2 s of silence
    for (int i = 0; i < 48000; ++i)
        samples.push_back(0.5f * float(std::sin(i * 0.05)));
    const QString wav = dir.filePath(QStringLiteral("t.wav"));
    writeFloatWav(wav, samples, 1, 48000, 0);

    auto peaks = audio::computePeaks(wav, 480);
    REQUIRE(peaks);
    CHECK(peaks->count() == 300);
    CHECK(peaks->frames == 144000);
    CHECK(peaks->minMax[0] == 0);
    CHECK(peaks->minMax[1] == 0);
    CHECK(peaks->minMax[2 * 250] < -16000);
    CHECK(peaks->minMax[2 * 250 + 1] > 16000);
    CHECK(peaks->minMax[2 * 199 + 1] == 0);

    const QString cache = audio::peaksCachePath(dir.path(), QStringLiteral("t1"));
    CHECK(cache.endsWith(QStringLiteral("/.muze-state/peaks/t1.peaks")));
    REQUIRE(audio::saveCachedPeaks(cache, wav, *peaks));
    auto cached = audio::loadCachedPeaks(cache, wav);
    REQUIRE(cached);
    CHECK(cached->minMax == peaks->minMax);
    CHECK(cached->framesPerPeak == 480);

    // A changed WAV makes the cache stale; a corrupt cache is refused, never trusted.
    {
        QFile f(wav);
        REQUIRE(f.open(QIODevice::Append));
        f.write(QByteArray(2, '\0'));
    }
    CHECK_FALSE(audio::loadCachedPeaks(cache, wav));
    QByteArray junk = readAll(cache);
    junk.chop(7);
    writeAll(cache, junk);
    CHECK_FALSE(audio::loadCachedPeaks(cache, wav));
}

TEST_CASE("PeaksLoader computes in the background and reports on the owner's thread")
{
    TempDir dir;
    const QString wav = dir.filePath(QStringLiteral("t.wav"));
    writeAll(wav, makeWav(48000, 2, 24, 48000 * 3, 220));
    audio::PeaksLoader loader;
    std::shared_ptr<const audio::PeakData> got;
    QString gotId;
    QEventLoop loop;
    QObject::connect(
        &loader, &audio::PeaksLoader::ready, &loop, [&](const QString& id, std::shared_ptr<const audio::PeakData> p) {
            gotId = id;
            got = std::move(p);
            loop.quit();
        });
    QTimer::singleShot(20000, &loop, &QEventLoop::quit);
    loader.request(dir.path(), QStringLiteral("trk"), wav);
    loop.exec();
    REQUIRE(got);
    CHECK(gotId == QStringLiteral("trk"));
    CHECK(got->frames == 48000 * 3);
    CHECK(QFile::exists(audio::peaksCachePath(dir.path(), QStringLiteral("trk"))));

    QStringList failures;
    QObject::connect(&loader, &audio::PeaksLoader::failed, &loop, [&](const QString& id, const QString&) {
        failures << id;
        loop.quit();
    });
    loader.request(dir.path(), QStringLiteral("gone"), dir.filePath(QStringLiteral("missing.wav")));
    loop.exec();
    CHECK(failures == QStringList{QStringLiteral("gone")});
}
