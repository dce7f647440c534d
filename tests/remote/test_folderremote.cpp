#include "catch.h"
#include "testsupport.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/folderremote.h>

#include <QBuffer>
#include <QDir>
#include <QFile>

#include <map>

using namespace muze;
using namespace muze::remote;

namespace {

Result<RemoteEntry> put(FolderRemote& r, const QString& path, const QByteArray& data, WriteSpec spec = {})
{
    QBuffer b;
    b.setData(data);
    b.open(QIODevice::ReadOnly);
    return r.upload(path, b, data.size(), spec);
}

QByteArray get(FolderRemote& r, const QString& path, qint64 offset = 0, qint64 length = -1)
{
    QBuffer b;
    b.open(QIODevice::WriteOnly);
    Status s = r.download(path, b, offset, length);
    REQUIRE(s.ok());
    return b.data();
}

std::map<QString, RemoteEntry> byPath(const ChangeSet& set)
{
    std::map<QString, RemoteEntry> m;
    for (const RemoteEntry& e : set.entries)
        m[e.path] = e;
    return m;
}

} // namespace

TEST_CASE("folder remote: upload, list, incremental changes, download")
{
    test::TempDir dir;
    FolderRemote r(dir.filePath(QStringLiteral("remote")), dir.filePath(QStringLiteral("cache")));
    Result<ChangeSet> first = r.listChanges({});
    REQUIRE(first.ok());
    CHECK(first->complete);
    CHECK(first->entries.empty());
    CHECK(QFile::exists(dir.filePath(QStringLiteral("remote/.muze-remote"))));

    Result<RemoteEntry> a = put(r, QStringLiteral("a/b/c.json"), "{\"x\":1}\n");
    REQUIRE(a.ok());
    CHECK(a->contentHash == contentHash("{\"x\":1}\n"));
    CHECK(a->size == 8);
    REQUIRE(put(r, QStringLiteral("top.wav"), QByteArray(5 * 1024 * 1024, 'w')).ok());

    Result<ChangeSet> second = r.listChanges(first->cursor);
    REQUIRE(second.ok());
    CHECK_FALSE(second->complete);
    auto m = byPath(*second);
    REQUIRE(m.size() == 2);
    CHECK(m[QStringLiteral("a/b/c.json")].rev == a->rev);
    CHECK(m[QStringLiteral("top.wav")].contentHash == contentHash(QByteArray(5 * 1024 * 1024, 'w')));

    // Nothing changed: an empty change set.
    Result<ChangeSet> third = r.listChanges(second->cursor);
    REQUIRE(third.ok());
    CHECK(third->entries.empty());

    // A change made by another tool, and a delete.
    test::writeAll(dir.filePath(QStringLiteral("remote/a/b/c.json")), "{\"x\":2}\n");
    QFile::remove(dir.filePath(QStringLiteral("remote/top.wav")));
    Result<ChangeSet> fourth = r.listChanges(third->cursor);
    REQUIRE(fourth.ok());
    m = byPath(*fourth);
    REQUIRE(m.size() == 2);
    CHECK(m[QStringLiteral("top.wav")].deleted);
    CHECK(m[QStringLiteral("a/b/c.json")].contentHash == contentHash("{\"x\":2}\n"));
    CHECK(m[QStringLiteral("a/b/c.json")].rev != a->rev);

    CHECK(get(r, QStringLiteral("a/b/c.json")) == "{\"x\":2}\n");
    CHECK(get(r, QStringLiteral("a/b/c.json"), 2, 3) == "x\":");

    // A fresh instance with the same cache resumes from the stored cursor.
    FolderRemote again(dir.filePath(QStringLiteral("remote")), dir.filePath(QStringLiteral("cache")));
    Result<ChangeSet> fifth = again.listChanges(fourth->cursor);
    REQUIRE(fifth.ok());
    CHECK_FALSE(fifth->complete);
    CHECK(fifth->entries.empty());
    // An unknown cursor yields a complete listing.
    Result<ChangeSet> reset = again.listChanges(QStringLiteral("folder1:stale"));
    REQUIRE(reset.ok());
    CHECK(reset->complete);
    CHECK(reset->entries.size() == 1);
}

TEST_CASE("folder remote: write modes and revs guard against lost updates")
{
    test::TempDir dir;
    FolderRemote r(dir.filePath(QStringLiteral("remote")));
    REQUIRE(r.listChanges({}).ok());
    Result<RemoteEntry> v1 = put(r, QStringLiteral("f.json"), "1");
    REQUIRE(v1.ok());
    CHECK(put(r, QStringLiteral("f.json"), "2").error().code == QLatin1String("conflict")); // Add on an existing path
    Result<RemoteEntry> v2 = put(r, QStringLiteral("f.json"), "2", {WriteMode::Update, v1->rev, {}});
    REQUIRE(v2.ok());
    CHECK(v2->rev != v1->rev);
    // Stale rev: refused, the newer content stays.
    CHECK(put(r, QStringLiteral("f.json"), "3", {WriteMode::Update, v1->rev, {}}).error().code == QLatin1String("conflict"));
    CHECK(get(r, QStringLiteral("f.json")) == "2");
    CHECK(put(r, QStringLiteral("f.json"), "4", {WriteMode::Overwrite, {}, {}}).ok());
    CHECK(r.remove(QStringLiteral("f.json"), v2->rev).error().code == QLatin1String("conflict"));
    Result<RemoteEntry> now = r.stat(QStringLiteral("f.json"));
    REQUIRE(now.ok());
    CHECK(r.remove(QStringLiteral("f.json"), now->rev).ok());
    CHECK(r.stat(QStringLiteral("f.json")).error().code == QLatin1String("not_found"));
    CHECK(r.remove(QStringLiteral("f.json")).error().code == QLatin1String("not_found"));

    // The client's modification time is kept.
    const QDateTime when = QDateTime(QDate(2024, 5, 6), QTime(7, 8, 9), Qt::UTC);
    Result<RemoteEntry> dated = put(r, QStringLiteral("d/take.wav"), "RIFF", {WriteMode::Add, {}, when});
    REQUIRE(dated.ok());
    CHECK(dated->clientModified == when);
    // Deleting the last file of a folder removes the folder.
    REQUIRE(r.remove(QStringLiteral("d/take.wav")).ok());
    CHECK_FALSE(QDir(dir.filePath(QStringLiteral("remote/d"))).exists());
}

TEST_CASE("folder remote: hostile paths, symlinks, NFD names and unmounted folders")
{
    test::TempDir dir;
    const QString root = dir.filePath(QStringLiteral("remote"));
    FolderRemote r(root);
    REQUIRE(r.listChanges({}).ok());
    for (const QString& bad : {QStringLiteral("../x"), QStringLiteral("/etc/passwd"), QStringLiteral("a/../../b"),
                               QStringLiteral("a\\b"), QStringLiteral(".muze-tmp/x"), QString(300, QLatin1Char('n'))}) {
        INFO(bad.toStdString());
        CHECK(put(r, bad, "x").error().code == QLatin1String("hostile_path"));
    }
    // A symlink in the remote folder is never listed or followed.
    test::writeAll(dir.filePath(QStringLiteral("outside/secret")), "s");
    REQUIRE(QFile::link(dir.filePath(QStringLiteral("outside")), root + QStringLiteral("/link")));
    // A name stored decomposed (NFD) by another tool is reported composed (NFC).
    const QString nfd = QStringLiteral("Cafe\u0301.json");
    test::writeAll(root + QLatin1Char('/') + nfd, "{}");
    Result<ChangeSet> all = r.listChanges(QStringLiteral("x"));
    REQUIRE(all.ok());
    REQUIRE(all->entries.size() == 1);
    CHECK(all->entries[0].path == QStringLiteral("Caf\u00e9.json"));
    CHECK(get(r, QStringLiteral("Caf\u00e9.json")) == "{}");
    // Updating it through its NFC name replaces the NFD file instead of adding a twin.
    REQUIRE(put(r, QStringLiteral("Caf\u00e9.json"), "{\"a\":1}", {WriteMode::Overwrite, {}, {}}).ok());
    CHECK(QDir(root).entryList(QDir::Files).size() == 1);

    // Marker gone (unmounted drive, emptied folder): offline, never "everything was deleted".
    QFile::remove(root + QStringLiteral("/.muze-remote"));
    Result<ChangeSet> gone = r.listChanges(all->cursor);
    REQUIRE_FALSE(gone.ok());
    CHECK(gone.error().code == QLatin1String("offline"));
    FolderRemote missing(dir.filePath(QStringLiteral("not-there")));
    CHECK(missing.listChanges(QStringLiteral("folder1:abc")).error().code == QLatin1String("offline"));
    CHECK(missing.stat(QStringLiteral("x")).error().code == QLatin1String("offline"));
}

TEST_CASE("folder remote: waitForChanges sees news and honours cancel")
{
    test::TempDir dir;
    FolderRemote r(dir.filePath(QStringLiteral("remote")));
    r.setPollIntervalMs(50);
    Result<ChangeSet> first = r.listChanges({});
    REQUIRE(first.ok());
    Result<bool> idle = r.waitForChanges(first->cursor, 1);
    REQUIRE(idle.ok());
    CHECK_FALSE(*idle);
    test::writeAll(dir.filePath(QStringLiteral("remote/new.json")), "{}");
    Result<bool> news = r.waitForChanges(first->cursor, 5);
    REQUIRE(news.ok());
    CHECK(*news);
    r.cancel();
    Result<ChangeSet> again = r.listChanges(first->cursor);
    CHECK(again.error().code == QLatin1String("cancelled"));
    r.resetCancel();
    CHECK(r.listChanges(first->cursor).ok());
}
