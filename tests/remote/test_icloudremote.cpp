// The shared iCloud logic (ICloudRemote over a ubiquity container), run against the simulated
// container: placeholders, sign-out, conflict versions and iCloud's file versions in history.
#include "catch.h"
#include "testsupport.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/icloudremote.h>
#include <muze/remote/simulatedubiquity.h>

#include <QBuffer>
#include <QDir>
#include <QFile>

#include <map>

using namespace muze;
using namespace muze::remote;

namespace {

struct World {
    test::TempDir dir;
    std::shared_ptr<SimulatedUbiquityContainer> container
        = std::make_shared<SimulatedUbiquityContainer>(dir.filePath(QStringLiteral("ubiquity")), QStringLiteral("iCloud.com.krondor.muze"));
    QString docs = container->documentsRoot().valueOr({});
    ICloudRemote remote{container, QDir(docs).filePath(QStringLiteral("Band")), dir.filePath(QStringLiteral("cache")),
                        [](const QString& rel, const QString& device, const QDateTime&) {
                            return rel.section(QLatin1Char('.'), 0, 0) + QStringLiteral(" (conflicted copy %1 test).").arg(device)
                                   + rel.section(QLatin1Char('.'), 1);
                        }};

    World() { REQUIRE(remote.listChanges({}).ok()); } // the first listing marks the folder as the remote

    QString abs(const QString& rel) const { return QDir(docs).filePath(QStringLiteral("Band/") + rel); }

    Result<RemoteEntry> put(const QString& path, const QByteArray& data)
    {
        QBuffer b;
        b.setData(data);
        b.open(QIODevice::ReadOnly);
        return remote.upload(path, b, data.size(), {});
    }

    QByteArray get(const QString& path)
    {
        QBuffer b;
        b.open(QIODevice::WriteOnly);
        const Status s = remote.download(path, b);
        INFO(s.errorString().toStdString());
        REQUIRE(s.ok());
        return b.data();
    }
};

std::map<QString, RemoteEntry> byPath(const ChangeSet& set)
{
    std::map<QString, RemoteEntry> m;
    for (const RemoteEntry& e : set.entries)
        m[e.path] = e;
    return m;
}

QByteArray take(int mb, char fill) { return QByteArray(mb * 1024 * 1024, fill); }

} // namespace

TEST_CASE("icloud remote: a file the OS evicted is downloaded again, never reported deleted")
{
    World w;
    const QByteArray guitar = take(4, 'g');
    REQUIRE(w.put(QStringLiteral("audio/guitar.wav"), guitar).ok());
    REQUIRE(w.put(QStringLiteral("mix.json"), "{\"name\":\"Opening\"}\n").ok());
    Result<ChangeSet> listed = w.remote.listChanges({});
    REQUIRE(listed.ok());
    CHECK(byPath(*listed).size() == 2);

    // iCloud frees the take's bytes: a placeholder ".guitar.wav.icloud" stands in its place.
    REQUIRE(w.container->evict(w.abs(QStringLiteral("audio/guitar.wav"))).ok());
    CHECK_FALSE(QFile::exists(w.abs(QStringLiteral("audio/guitar.wav"))));
    CHECK(QFile::exists(w.abs(QStringLiteral("audio/.guitar.wav.icloud"))));

    Result<ChangeSet> next = w.remote.listChanges(listed->cursor);
    REQUIRE(next.ok());
    for (const RemoteEntry& e : next->entries) {
        INFO(e.path.toStdString());
        CHECK_FALSE(e.deleted);
        CHECK_FALSE(e.path.endsWith(QLatin1String(".icloud")));
    }
    // The listing asked iCloud for the bytes and waited for them.
    CHECK(QFile::exists(w.abs(QStringLiteral("audio/guitar.wav"))));
    CHECK(w.get(QStringLiteral("audio/guitar.wav")) == guitar);

    // A download of a placeholder brings the file down first.
    REQUIRE(w.container->evict(w.abs(QStringLiteral("mix.json"))).ok());
    CHECK(w.get(QStringLiteral("mix.json")) == "{\"name\":\"Opening\"}\n");
}

TEST_CASE("icloud remote: a complete listing never leaves out an evicted file")
{
    World w;
    REQUIRE(w.put(QStringLiteral("a.wav"), take(1, 'a')).ok());
    REQUIRE(w.container->evict(w.abs(QStringLiteral("a.wav"))).ok());
    Result<ChangeSet> all = w.remote.listChanges({});
    REQUIRE(all.ok());
    CHECK(all->complete);
    const auto entries = byPath(*all);
    REQUIRE(entries.count(QStringLiteral("a.wav")) == 1);
    CHECK(entries.at(QStringLiteral("a.wav")).contentHash == contentHash(take(1, 'a')));
}

TEST_CASE("icloud remote: signed out of iCloud, every call is offline and nothing is deleted")
{
    World w;
    REQUIRE(w.put(QStringLiteral("song.json"), "{}\n").ok());
    Result<ChangeSet> listed = w.remote.listChanges({});
    REQUIRE(listed.ok());
    bool told = true;
    w.container->setAvailabilityCallback([&](bool available) { told = available; });
    w.container->setAvailable(false);
    CHECK_FALSE(told);

    Result<ChangeSet> offline = w.remote.listChanges(listed->cursor);
    REQUIRE_FALSE(offline.ok());
    CHECK(offline.error().code == QStringLiteral("offline"));
    CHECK(offline.errorString().contains(QStringLiteral("iCloud")));
    CHECK(w.put(QStringLiteral("new.json"), "{}\n").error().code == QStringLiteral("offline"));
    CHECK(QFile::exists(w.abs(QStringLiteral("song.json"))));

    w.container->setAvailable(true);
    CHECK(told);
    Result<ChangeSet> back = w.remote.listChanges(listed->cursor);
    REQUIRE(back.ok());
    CHECK(back->entries.empty());
}

TEST_CASE("icloud remote: a conflict version becomes a conflicted copy, then is marked resolved")
{
    World w;
    const QByteArray mine = take(2, 'm');
    const QByteArray theirs = take(3, 't');
    REQUIRE(w.put(QStringLiteral("take.wav"), mine).ok());
    Result<ChangeSet> listed = w.remote.listChanges({});
    REQUIRE(listed.ok());

    // Another device saved the same file while offline: iCloud keeps its bytes as a conflict version.
    Result<QString> id = w.container->addVersion(w.abs(QStringLiteral("take.wav")), theirs, QStringLiteral("Anna's iPhone"),
                                                 QDateTime::currentDateTimeUtc(), true);
    REQUIRE(id.ok());
    Result<std::vector<UbiquityItem>> items = w.container->items(w.abs({}));
    REQUIRE(items.ok());
    CHECK(std::any_of(items->cbegin(), items->cend(), [](const UbiquityItem& i) { return i.hasUnresolvedConflicts; }));

    Result<ChangeSet> next = w.remote.listChanges(listed->cursor);
    REQUIRE(next.ok());
    const QString copy = QStringLiteral("take (conflicted copy Anna's iPhone test).wav");
    const auto entries = byPath(*next);
    REQUIRE(entries.count(copy) == 1);
    CHECK(entries.at(copy).contentHash == contentHash(theirs));
    CHECK(w.get(copy) == theirs);
    CHECK(w.get(QStringLiteral("take.wav")) == mine); // the current version stays where it was

    // Resolved only now that the bytes are safe; the next listing makes no second copy.
    Result<std::vector<UbiquityVersion>> left = w.container->versions(w.abs(QStringLiteral("take.wav")), true);
    REQUIRE(left.ok());
    CHECK(left->empty());
    Result<ChangeSet> again = w.remote.listChanges(next->cursor);
    REQUIRE(again.ok());
    CHECK(again->entries.empty());
}

TEST_CASE("icloud remote: history lists iCloud's own versions beside the folder's and restores one")
{
    World w;
    REQUIRE(w.put(QStringLiteral("notes.json"), "{\"v\":1}\n").ok());
    REQUIRE(w.put(QStringLiteral("notes.json"), "{\"v\":2}\n").error().code == QStringLiteral("conflict")); // Add mode
    QBuffer b;
    b.setData("{\"v\":2}\n");
    b.open(QIODevice::ReadOnly);
    REQUIRE(w.remote.upload(QStringLiteral("notes.json"), b, b.size(), {WriteMode::Overwrite, {}, {}}).ok());
    REQUIRE(w.container
                ->addVersion(w.abs(QStringLiteral("notes.json")), "{\"v\":0}\n", QStringLiteral("Mac"),
                             QDateTime::currentDateTimeUtc().addDays(-2), false)
                .ok());

    Result<std::unique_ptr<RemoteHistory>> history = openHistory(w.remote);
    REQUIRE(history.ok());
    Result<std::vector<RemoteVersion>> versions = (*history)->listVersions(QStringLiteral("notes.json"));
    REQUIRE(versions.ok());
    REQUIRE(versions->size() == 3); // iCloud's v0, the folder's v1, the current v2
    CHECK(versions->back().current);
    const RemoteVersion oldest = versions->front();
    CHECK(oldest.rev.startsWith(QStringLiteral("icloud:")));

    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    REQUIRE((*history)->downloadVersion(QStringLiteral("notes.json"), oldest.rev, sink).ok());
    CHECK(sink.data() == "{\"v\":0}\n");

    REQUIRE((*history)->restoreVersion(QStringLiteral("notes.json"), oldest.rev).ok());
    CHECK(w.get(QStringLiteral("notes.json")) == "{\"v\":0}\n");
    Result<std::vector<RemoteVersion>> after = (*history)->listVersions(QStringLiteral("notes.json"));
    REQUIRE(after.ok());
    CHECK(after->size() == 4); // the replaced v2 is kept by the folder history
}

TEST_CASE("icloud placeholder names")
{
    QString real;
    CHECK(isPlaceholderName(QStringLiteral(".guitar.wav.icloud"), &real));
    CHECK(real == QStringLiteral("guitar.wav"));
    CHECK_FALSE(isPlaceholderName(QStringLiteral("guitar.wav")));
    CHECK_FALSE(isPlaceholderName(QStringLiteral(".icloud")));
    CHECK(placeholderName(QStringLiteral("mix.json")) == QStringLiteral(".mix.json.icloud"));
}
