// Golden scenarios, part 1: two and three devices (separate vault folders, journals and
// engines) on one folder remote. Classes after rclone bisync's and Unison's test suites.
#include "catch.h"
#include "devices.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/syncpaths.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>

using namespace muze;
using namespace muze::test;
using namespace muze::sync;

namespace {
const QString kMix = QStringLiteral("collections/c1/projects/p1/mixes/m1.json");
const QString kTake = QStringLiteral("collections/c1/projects/p1/audio/t1.wav");
const QString kTake2 = QStringLiteral("collections/c1/projects/p1/audio/t2.wav");

QByteArray wav(int seconds10ths, double freq = 440) { return makeWav(8000, 1, 16, 800 * seconds10ths, freq); }

void seed(Device& a, Device& b)
{
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1), {trackJson(QStringLiteral("t1"), QStringLiteral("Take"))}));
    a.write(kTake, wav(10));
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
}

QStringList conflictedCopies(const Device& d)
{
    QStringList out;
    for (const QString& f : d.files()) {
        if (f.contains(QLatin1String("(conflicted copy")))
            out << f;
    }
    return out;
}
} // namespace

TEST_CASE("scenario: first sync uploads everything and a second device downloads it")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a.write(kTake, wav(10));
    const SyncReport up = a.sync();
    CHECK(up.uploaded == 2);
    CHECK(up.converged);
    CHECK(QFile::exists(w.remoteDir() + QLatin1Char('/') + kTake));
    const SyncReport down = b.sync();
    CHECK(down.downloaded == 2);
    CHECK(down.converged);
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: a no-op resync transfers nothing and hashes nothing")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    for (Device* d : {&a, &b}) {
        const SyncReport r = d->sync();
        CHECK(r.converged);
        CHECK(r.passes == 1);
        CHECK(r.uploaded + r.downloaded + r.deletedLocal + r.deletedRemote + r.recorded == 0);
        CHECK(r.hashedFiles == 0);
    }
}

TEST_CASE("scenario: new/new with equal content is recorded, never a conflict")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(kTake, wav(5));
    b.write(kTake, wav(5));
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.recorded == 1);
    CHECK(r.conflicts == 0);
    CHECK(r.downloaded == 0);
    CHECK(conflictedCopies(b).isEmpty());
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: changed/changed to the same content is recorded, never a conflict")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    const Json same = mixJson(QStringLiteral("m1"), QStringLiteral("Same edit"), timeAt(2));
    a.writeJson(kMix, same);
    b.writeJson(kMix, same);
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.recorded == 1);
    CHECK(r.conflicts == 0);
    CHECK(ConflictStore(b.root()).list().empty());
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: JSON fields edited on different devices both survive")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    Json ja = a.readJson(kMix);
    ja["name"] = "Song (A)";
    ja["modified_at"] = toStd(timeAt(2));
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tempo"] = 96;
    jb["notes"] = "from B";
    jb["modified_at"] = toStd(timeAt(3));
    b.writeJson(kMix, jb);
    a.sync();
    const SyncReport rb = b.sync();
    CHECK(rb.merged == 1);
    CHECK(rb.conflicts == 0);
    a.sync();
    requireSameFiles({&a, &b});
    const Json m = a.readJson(kMix);
    CHECK(m["name"] == "Song (A)");
    CHECK(m["tempo"] == 96);
    CHECK(m["notes"] == "from B");
    CHECK(ConflictStore(a.root()).list().empty());
}

TEST_CASE("scenario: one JSON field edited on both devices — later modified_at wins, the other is a conflict to flip")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    Json ja = a.readJson(kMix);
    ja["name"] = "Title A";
    ja["modified_at"] = toStd(timeAt(3));
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["name"] = "Title B";
    jb["modified_at"] = toStd(timeAt(2));
    b.writeJson(kMix, jb);
    a.sync();
    const SyncReport rb = b.sync();
    CHECK(rb.conflicts == 1);
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.readJson(kMix)["name"] == "Title A");

    // Both devices list the conflict (it is synced metadata); resolving on A flips the value.
    const std::vector<ConflictRecord> onA = ConflictStore(a.root()).list();
    REQUIRE(onA.size() == 1);
    CHECK(onA[0].field == QStringLiteral("/name"));
    CHECK(onA[0].kept == QStringLiteral("remote")); // B merged: A's (remote) value is at the path
    CHECK(onA[0].local.value == "Title B");
    REQUIRE(ConflictStore(a.root()).resolve(onA[0].id, Keep::Local).ok());
    CHECK(a.readJson(kMix)["name"] == "Title B");
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(b.readJson(kMix)["name"] == "Title B");
    CHECK(ConflictStore(b.root()).list().empty());
}

TEST_CASE("scenario: tracks added on both devices merge by id")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    Json ja = a.readJson(kMix);
    ja["tracks"].push_back(trackJson(QStringLiteral("ta"), QStringLiteral("Guitar")));
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tracks"].push_back(trackJson(QStringLiteral("tb"), QStringLiteral("Vocals")));
    b.writeJson(kMix, jb);
    a.sync();
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
    const Json m = a.readJson(kMix);
    REQUIRE(m["tracks"].size() == 3);
    CHECK(m["tracks"][1]["id"] == "ta");
    CHECK(m["tracks"][2]["id"] == "tb");
}

TEST_CASE("scenario: a track deleted on one device and changed on the other — the change wins")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    Json ja = a.readJson(kMix);
    ja["tracks"] = Json::array();
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tracks"][0]["gain_db"] = -4.5;
    b.writeJson(kMix, jb);
    a.sync();
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
    const Json m = a.readJson(kMix);
    REQUIRE(m["tracks"].size() == 1);
    CHECK(m["tracks"][0]["gain_db"] == -4.5);
}

TEST_CASE("scenario: a WAV recorded over on both devices — the newer write keeps the path, the other is a conflicted copy")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QByteArray va = wav(6, 220), vb = wav(7, 330);
    a.write(kTake, va, 0, t0);
    b.write(kTake, vb, 0, t0.addSecs(60)); // B's take is newer
    a.sync();
    const SyncReport rb = b.sync(); // local (B) newer: keeps the path, A's take becomes the copy
    CHECK(rb.conflicts == 1);
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(a.read(kTake) == vb);
    const QStringList copies = conflictedCopies(a);
    REQUIRE(copies.size() == 1);
    static const QRegularExpression name(QStringLiteral(
        R"(audio/t1 \(conflicted copy B \d{4}-\d{2}-\d{2} \d{6}\)\.wav$)"));
    CHECK(name.match(copies[0]).hasMatch());
    CHECK(a.read(copies[0]) == va);
    const std::vector<ConflictRecord> recs = ConflictStore(a.root()).list();
    REQUIRE(recs.size() == 1);
    CHECK(recs[0].kind == QStringLiteral("file"));
    CHECK(recs[0].copy == copies[0]);
}

TEST_CASE("scenario: the device with the older take moves its own take to the conflicted copy")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QByteArray va = wav(6, 220), vb = wav(7, 330);
    a.write(kTake, va, 0, t0.addSecs(60)); // A newer
    b.write(kTake, vb, 0, t0);
    a.sync();
    const SyncReport rb = b.sync(); // remote (A) newer: B's own take → copy
    CHECK(rb.conflicts == 1);
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(b.read(kTake) == va);
    const QStringList copies = conflictedCopies(b);
    REQUIRE(copies.size() == 1);
    CHECK(b.read(copies[0]) == vb);
    // Resolving by keeping the other version puts it back at the path on every device.
    const std::vector<ConflictRecord> recs = ConflictStore(b.root()).list();
    REQUIRE(recs.size() == 1);
    REQUIRE(ConflictStore(b.root()).resolve(recs[0].id, Keep::Local).ok());
    CHECK(b.read(kTake) == vb);
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.read(kTake) == vb);
    CHECK(conflictedCopies(a).isEmpty());
}

TEST_CASE("scenario: a delete propagates")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    a.write(kTake2, wav(3));
    a.sync();
    b.sync();
    a.remove(kTake2);
    CHECK(a.sync().deletedRemote == 1);
    CHECK(b.sync().deletedLocal == 1);
    CHECK_FALSE(b.has(kTake2));
    requireSameFiles({&a, &b});
    // The local delete went to the trash, not into the void.
    QDir trash(b.root() + QStringLiteral("/.muze-state/trash"));
    CHECK_FALSE(trash.entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
}

TEST_CASE("scenario: deleted here, changed there — the change wins and the file comes back")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    a.remove(kTake);
    b.write(kTake, wav(4, 880));
    a.sync(); // deletes remotely
    b.sync(); // local change vs remote delete: uploads again
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.read(kTake) == wav(4, 880));
}

TEST_CASE("scenario: changed here, deleted there (the other order) — the change still wins")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    b.write(kTake, wav(4, 660));
    b.sync();
    a.remove(kTake);
    const SyncReport r = a.sync(); // local delete vs remote change: download
    CHECK(r.downloaded == 1);
    CHECK(r.deletedRemote == 0);
    requireSameFiles({&a, &b});
    CHECK(a.read(kTake) == wav(4, 660));
}

TEST_CASE("scenario: deleted on both devices is forgotten quietly")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    a.write(kTake2, wav(2));
    a.sync();
    b.sync();
    a.remove(kTake2);
    b.remove(kTake2);
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.converged);
    CHECK(r.errors.isEmpty());
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: a rename (move to a new path) propagates as add + delete")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    const QString moved = QStringLiteral("collections/c1/projects/p2/audio/t1.wav");
    a.rename(kTake, moved);
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(b.has(moved));
    CHECK_FALSE(b.has(kTake));
    // Empty folders left behind on the other device are removed too.
    CHECK_FALSE(QDir(b.abs(QStringLiteral("collections/c1/projects/p1/audio"))).exists());
}

TEST_CASE("scenario: empty files sync")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("empty.txt"), QByteArray());
    a.sync();
    b.sync();
    REQUIRE(b.has(QStringLiteral("empty.txt")));
    CHECK(b.read(QStringLiteral("empty.txt")).isEmpty());
    b.write(QStringLiteral("empty.txt"), "now full");
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: a big multi-block take syncs with verified hashes")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    QByteArray big(9 * 1024 * 1024 + 123, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 2654435761u) >> 13);
    a.write(kTake, big);
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.bytesDown == big.size());
    CHECK(remote::contentHashFile(b.abs(kTake)).value() == remote::contentHash(big));
}

TEST_CASE("scenario: a take still being recorded is skipped until its marker goes")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    a.write(kTake2, wav(2));
    a.write(recordingMarkerFor(kTake2), QByteArray());
    SyncReport r = a.sync();
    CHECK_FALSE(r.converged);
    CHECK(r.skipped.join(QLatin1Char(' ')).contains(QStringLiteral("recording")));
    CHECK_FALSE(QFile::exists(w.remoteDir() + QLatin1Char('/') + kTake2));
    CHECK_FALSE(QFile::exists(w.remoteDir() + QLatin1Char('/') + recordingMarkerFor(kTake2)));
    // A remote change to a file being recorded waits too.
    a.remove(recordingMarkerFor(kTake2));
    r = a.sync();
    CHECK(r.converged);
    CHECK(r.uploaded == 1);
    b.sync();
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: a recording marker left by a crashed recorder does not hold the take forever")
{
    World w;
    Device a(w, QStringLiteral("A"));
    QProcess p;
    p.start(QStringLiteral("true"), {});
    REQUIRE(p.waitForStarted());
    const qint64 deadPid = p.processId();
    p.waitForFinished();
    a.write(kTake2, wav(2));
    a.write(recordingMarkerFor(kTake2), QStringLiteral("{\"pid\": %1}").arg(deadPid).toUtf8());
    const SyncReport r = a.sync();
    CHECK(r.uploaded == 1);
    CHECK(r.converged);
}

TEST_CASE("scenario: a file written less than 2 seconds ago waits for the next round")
{
    World w;
    Device a(w, QStringLiteral("A"), makePlainCodec(), {}, 2000);
    a.write(QStringLiteral("fresh.txt"), "x", 0);
    SyncOptions noWait;
    noWait.waitForSettling = false; // what the worker does: come back later
    SyncReport r = a.sync(noWait);
    CHECK(r.uploaded == 0);
    CHECK_FALSE(r.converged);
    REQUIRE(remote::fs::setMtime(a.abs(QStringLiteral("fresh.txt")), QDateTime::currentDateTimeUtc().addSecs(-10)).ok());
    r = a.sync(noWait);
    CHECK(r.uploaded == 1);
    CHECK(r.converged);
    // A one-shot sync (muze-cli) waits the window out instead.
    a.write(QStringLiteral("fresh2.txt"), "y", 0);
    r = a.sync();
    CHECK(r.uploaded == 1);
    CHECK(r.converged);
}
