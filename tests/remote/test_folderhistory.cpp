// The folder remote's versions area (docs/FORMAT.md §7): replaced and deleted files are kept,
// listed, downloaded, restored and pruned by retention; the area itself never syncs.
#include "catch.h"
#include "testsupport.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/remotehistory.h>
#include <muze/util/clock.h>

#include <QBuffer>
#include <QDir>
#include <QDirIterator>

using namespace muze;
using namespace muze::remote;

namespace {

struct ManualClock : Clock {
    QDateTime t = QDateTime(QDate(2026, 6, 1), QTime(12, 0), Qt::UTC);
    QDateTime now() const override { return t; }
};

struct ClockGuard {
    ManualClock clock;
    ClockGuard() { setClock(&clock); }
    ~ClockGuard() { setClock(nullptr); }
};

void put(FolderRemote& r, const QString& path, const QByteArray& data)
{
    QBuffer b;
    b.setData(data);
    b.open(QIODevice::ReadOnly);
    WriteSpec spec;
    spec.mode = WriteMode::Overwrite;
    REQUIRE(r.upload(path, b, data.size(), spec).ok());
}

QByteArray version(RemoteHistory& h, const QString& path, const QString& rev)
{
    QBuffer b;
    b.open(QIODevice::WriteOnly);
    REQUIRE(h.downloadVersion(path, rev, b).ok());
    return b.data();
}

int keptFiles(const QString& root)
{
    int n = 0;
    QDirIterator it(root + QStringLiteral("/.muze-versions"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        ++n;
    }
    return n;
}

} // namespace

TEST_CASE("folder history keeps every replaced and deleted version, out of the listing")
{
    ClockGuard g;
    test::TempDir dir;
    FolderRemote remote(dir.filePath(QStringLiteral("remote")));
    REQUIRE(remote.listChanges({}).ok());
    const QString path = QStringLiteral("collections/c1/projects/p1/mixes/m1.json");
    for (int i = 1; i <= 3; ++i) {
        put(remote, path, QByteArray("version ") + QByteArray::number(i));
        g.clock.t = g.clock.t.addSecs(3600);
    }
    auto history = openHistory(remote);
    REQUIRE(history.ok());
    auto versions = (*history)->listVersions(path);
    REQUIRE(versions.ok());
    REQUIRE(versions->size() == 3);
    CHECK(versions->back().current);
    for (int i = 0; i < 3; ++i)
        CHECK(
            version(**history, path, (*versions)[size_t(i)].rev) == QByteArray("version ") + QByteArray::number(i + 1));
    CHECK((*versions)[0].replaced < (*versions)[1].replaced);
    CHECK_FALSE((*versions)[0].contentHash.isEmpty());

    // The versions area is the remote's own: a listing never shows it.
    auto listed = remote.listChanges({});
    REQUIRE(listed.ok());
    for (const RemoteEntry& e : listed->entries)
        CHECK_FALSE(e.path.startsWith(QLatin1String(".muze-versions")));
    CHECK(listed->entries.size() == 1);

    // A delete keeps the last version; the file shows up as recently deleted.
    REQUIRE(remote.remove(path).ok());
    CHECK(keptFiles(remote.root()) == 3);
    auto deleted = (*history)->listDeleted();
    REQUIRE(deleted.ok());
    REQUIRE(deleted->size() == 1);
    CHECK(deleted->front().path == path);
    CHECK(deleted->front().deletedAt == g.clock.t);
    CHECK(version(**history, path, deleted->front().last.rev) == "version 3");
    versions = (*history)->listVersions(path);
    REQUIRE(versions.ok());
    CHECK(versions->back().deleted);
    CHECK_FALSE(versions->back().current);

    // Restoring version 1 makes it current again, and it is no longer "deleted".
    auto restored = (*history)->restoreVersion(path, (*versions)[0].rev);
    REQUIRE(restored.ok());
    QBuffer now;
    now.open(QIODevice::WriteOnly);
    REQUIRE(remote.download(path, now).ok());
    CHECK(now.data() == "version 1");
    CHECK((*history)->listDeleted()->empty());
    CHECK((*history)->listVersions(path)->size() == 4);

    // Bad input: an unknown rev, a path outside the vault.
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    CHECK((*history)->downloadVersion(path, QStringLiteral("20260601T120000000Z-00000000.replaced"), sink).error().code
        == QStringLiteral("not_found"));
    CHECK((*history)->downloadVersion(QStringLiteral("../x"), QStringLiteral("r"), sink).error().code
        == QStringLiteral("hostile_path"));
    CHECK((*history)->listVersions(QStringLiteral("never.json")).error().code == QStringLiteral("not_found"));
}

TEST_CASE("folder history prunes exactly the versions older than the retention")
{
    ClockGuard g;
    test::TempDir dir;
    const QString root = dir.filePath(QStringLiteral("remote"));
    {
        FolderRemote remote(root);
        REQUIRE(remote.listChanges({}).ok());
        for (int day = 0; day < 6; ++day) { // replaced on days 1…5 (day 0 is the first write)
            put(remote, QStringLiteral("a.json"), QByteArray::number(day));
            g.clock.t = g.clock.t.addDays(1);
        }
        auto history = openHistory(remote);
        auto versions = (*history)->listVersions(QStringLiteral("a.json"));
        REQUIRE(versions->size() == 6);
        // Explicit cutoff: exactly the versions replaced before it go.
        const QDateTime cutoff = (*versions)[2].replaced; // the third kept version stays
        auto pruned = (*history)->prune(cutoff);
        REQUIRE(pruned.ok());
        CHECK(*pruned == 2);
        versions = (*history)->listVersions(QStringLiteral("a.json"));
        REQUIRE(versions->size() == 4);
        CHECK(versions->front().replaced == cutoff);
        CHECK(version(**history, QStringLiteral("a.json"), versions->front().rev) == "2");
    }
    // Retention by the vault's setting: 40 days on, "30d" prunes everything kept 30+ days ago.
    g.clock.t = g.clock.t.addDays(40);
    FolderRemote remote(root);
    remote.setVersionRetention(Retention::Days30);
    put(remote, QStringLiteral("a.json"), "fresh"); // kept today, survives
    REQUIRE(remote.listChanges({}).ok());
    auto versions = (*openHistory(remote))->listVersions(QStringLiteral("a.json"));
    REQUIRE(versions.ok());
    REQUIRE(versions->size() == 2);
    CHECK(version(*(*openHistory(remote)), QStringLiteral("a.json"), versions->front().rev) == "5");
    CHECK(keptFiles(root) == 1);
}

TEST_CASE("retention settings parse and cut off where the user expects")
{
    CHECK(parseRetention(QStringLiteral("30 days")) == Retention::Days30);
    CHECK(parseRetention(QStringLiteral("6m")) == Retention::Months6);
    CHECK(parseRetention(QStringLiteral("1 year")) == Retention::Year1);
    CHECK(parseRetention(QStringLiteral("forever")) == Retention::Forever);
    CHECK_FALSE(parseRetention(QStringLiteral("2 weeks")).has_value());
    const QDateTime now(QDate(2026, 12, 5), QTime(9, 0), Qt::UTC);
    CHECK(retentionCutoff(Retention::Months6, now) == QDateTime(QDate(2026, 6, 5), QTime(9, 0), Qt::UTC));
    CHECK_FALSE(retentionCutoff(Retention::Forever, now).isValid());
    test::TempDir dir;
    CHECK(vaultRetention(dir.path()) == Retention::Months6);
    test::writeAll(dir.filePath(QStringLiteral("vault.json")), R"({"format":1,"history_retention":"1y"})");
    CHECK(vaultRetention(dir.path()) == Retention::Year1);
}
