#include "conflictworld.h"

#include "catch.h"

#include <muze/model/vaultstore.h>
#include <muze/util/clock.h>
#include <muze/util/ids.h>

#include <QFile>

namespace muze::test {

QByteArray bandTake(int seconds, double freq) { return makeWav(44100, 2, 16, 44100 * seconds, freq); }

Band seedBand(World& w, Device& a, Device& b)
{
    const model::VaultStore store(a.root());
    REQUIRE(store.initialize(newId(), QStringLiteral("Band")).ok());
    Result<QString> cid = store.addCollection(QStringLiteral("Songs"));
    REQUIRE(cid.ok());
    Result<QString> pid = store.addProject(*cid, QStringLiteral("Demo"));
    REQUIRE(pid.ok());
    Result<QString> mid = store.addMix(*pid, QStringLiteral("Opening song"));
    REQUIRE(mid.ok());
    const QString wavFile = w.path(QStringLiteral("guitar.wav"));
    {
        QFile f(wavFile);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(bandTake(12, 220));
    }
    Result<QString> tid = store.importTrack(*mid, wavFile, QStringLiteral("Guitar"));
    REQUIRE(tid.ok());
    Band band;
    band.mixId = *mid;
    band.trackId = *tid;
    band.mixFile = model::mixFile(*cid, *pid, *mid);
    band.take = model::trackAudioFile(*cid, *pid, *tid);
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    return band;
}

namespace {
void editMix(Device& d, const Band& band, const QString& name, double gain, const QString& stamp)
{
    Json mix = d.readJson(band.mixFile);
    mix["name"] = toStd(name);
    mix["modified_at"] = toStd(stamp);
    for (Json& t : mix["tracks"]) {
        t["gain_db"] = gain;
        t["modified_at"] = toStd(stamp);
    }
    d.writeJson(band.mixFile, mix);
}
} // namespace

void makeFieldConflicts(Device& a, Device& b, const Band& band)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    editMix(a, band, QStringLiteral("Opening song (live)"), -3.0, isoTimestamp(now.addSecs(-120)));
    editMix(b, band, QStringLiteral("Opening song — final"), 2.5, isoTimestamp(now.addSecs(-60)));
    a.sync();
    REQUIRE(b.sync().conflicts == 2);
    a.sync();
    requireSameFiles({&a, &b});
}

void makeTakeConflict(Device& a, Device& b, const Band& band)
{
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-600);
    a.write(band.take, bandTake(8, 330), 0, t0);
    b.write(band.take, bandTake(10, 440), 0, t0.addSecs(60)); // B's take is newer
    a.sync();
    REQUIRE(b.sync().conflicts == 1);
    a.sync();
    requireSameFiles({&a, &b});
}

} // namespace muze::test
