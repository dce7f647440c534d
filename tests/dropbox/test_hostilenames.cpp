// Hostile remote names (issue 16), one table run against both remotes: the folder remote and
// Dropbox (the emulator). Device A syncs a normal file; then each row puts something hostile in
// B's way and B syncs with the real engine:
//  - names no store can hold (`..`, an absolute path, NUL, a 300-byte name, an NFD spelling)
//    reach B in the remote's listing, as a broken or malicious server would send them: refused
//    and reported, and nothing written for them anywhere;
//  - names both stores can hold but that collide with what B has (the same name in another
//    case, the other Unicode normalisation, a file where B has a folder and the reverse): both
//    versions are kept, one under a conflict name, on both devices.
// Every row also proves the rest of the sync works: A's file arrives at B, B's file reaches A,
// and nothing outside B's vault changes.
#include "catch.h"
#include "emulator.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>
#include <muze/sync/codec.h>
#include <muze/sync/syncengine.h>

#include <QDir>
#include <QDirIterator>
#include <QMap>

#include <functional>

using namespace muze;
using muze::test::Emulator;

namespace {

// Refused: reported as rejected. BothKept: both versions on both devices, one conflict-named.
// Explained: where a file and a folder of one name meet, each device keeps its own version and
// any version that cannot come across is an error naming the path, on every sync.
enum class Expect { Refused, BothKept, Explained };

struct Row {
    const char* what;
    QString injected; // a name the remote's listing carries (no store can hold it)
    QString remoteFile; // A writes and syncs this...
    QString localFile; // ...while B holds this before it syncs
    Expect expect;
};

const QString kOutside = QStringLiteral("{outside}");

std::vector<Row> table()
{
    const QString nfd = QStringLiteral("Cafe\u0301.txt");
    const QString nfc = QStringLiteral("Caf\u00e9.txt");
    return {
        {"a parent step", QStringLiteral("../escape.txt"), {}, {}, Expect::Refused},
        {"a parent step inside", QStringLiteral("a/../../escape.txt"), {}, {}, Expect::Refused},
        {"an absolute path", kOutside + QStringLiteral("/abs.txt"), {}, {}, Expect::Refused},
        {"a NUL byte", QStringLiteral("nul") + QChar(0) + QStringLiteral("byte.txt"), {}, {}, Expect::Refused},
        {"a 300-byte name", QString(296, QLatin1Char('n')) + QStringLiteral(".txt"), {}, {}, Expect::Refused},
        {"an NFD name", QStringLiteral("x/") + nfd, {}, {}, Expect::Refused},
        {"names differing only in case", {}, QStringLiteral("Song.txt"), QStringLiteral("SONG.txt"), Expect::BothKept},
        {"names differing only in NFC and NFD", {}, nfc, nfd, Expect::BothKept},
        {"a file where B has a folder", {}, QStringLiteral("docs"), QStringLiteral("docs/mine.txt"), Expect::Explained},
        {"a folder where B has a file", {}, QStringLiteral("notes/a.txt"), QStringLiteral("notes"), Expect::Explained},
    };
}

// The real remote, with `injected` added to every listing (and served if asked for).
class InjectingRemote : public remote::RemoteStore {
public:
    InjectingRemote(std::unique_ptr<remote::RemoteStore> inner, QString injected)
        : m_inner(std::move(inner))
        , m_injected(std::move(injected))
    {
    }
    QString kind() const override { return m_inner->kind(); }
    Result<remote::ChangeSet> listChanges(const QString& cursor) override
    {
        Result<remote::ChangeSet> set = m_inner->listChanges(cursor);
        if (set && !m_injected.isEmpty())
            set->entries.push_back({m_injected, false, false, 4, QStringLiteral("r1"), {}, {}, {}, {}, {}});
        return set;
    }
    Result<remote::RemoteEntry> stat(const QString& p) override { return m_inner->stat(p); }
    Status download(const QString& p, QIODevice& s, qint64 o, qint64 l, const remote::ProgressFn& f) override
    {
        if (!m_injected.isEmpty() && p == m_injected)
            return s.write("evil") == 4 ? Status{} : makeError(QStringLiteral("sink"), QStringLiteral("io"));
        return m_inner->download(p, s, o, l, f);
    }
    Result<remote::RemoteEntry> upload(
        const QString& p, QIODevice& s, qint64 n, const remote::WriteSpec& w, const remote::ProgressFn& f) override
    {
        return m_inner->upload(p, s, n, w, f);
    }
    Status remove(const QString& p, const QString& rev) override { return m_inner->remove(p, rev); }
    Status makeFolder(const QString& p) override { return m_inner->makeFolder(p); }
    Result<bool> waitForChanges(const QString& c, int t) override { return m_inner->waitForChanges(c, t); }
    Result<remote::SpaceUsage> spaceUsage() override { return m_inner->spaceUsage(); }
    Status flush() override { return m_inner->flush(); }
    remote::BatchUploads* batchUploads() override { return m_inner->batchUploads(); }

private:
    std::unique_ptr<remote::RemoteStore> m_inner;
    QString m_injected;
};

using MakeRemote = std::function<std::unique_ptr<remote::RemoteStore>(const QString& cacheDir)>;

struct Vault {
    QString root;
    std::unique_ptr<sync::SyncEngine> engine;

    Vault(const QString& dir, const QString& name, std::unique_ptr<remote::RemoteStore> remote)
        : root(dir + QLatin1Char('/') + name)
    {
        QDir().mkpath(root);
        engine = std::make_unique<sync::SyncEngine>(
            sync::SyncEngineConfig{root, name, {}, 0}, std::move(remote), sync::makePlainCodec());
    }
    sync::SyncReport sync()
    {
        Result<sync::SyncReport> r = engine->run({});
        INFO(root.toStdString() << ": " << r.errorString().toStdString());
        REQUIRE(r.ok());
        return *r;
    }
    void write(const QString& rel, const QByteArray& data) const
    {
        test::writeAll(root + QLatin1Char('/') + rel, data);
        REQUIRE(remote::fs::setMtime(root + QLatin1Char('/') + rel, QDateTime::currentDateTimeUtc().addSecs(-30)).ok());
    }
    // The user's files (relative path, NFC) → bytes; not the local state or the device list.
    QMap<QString, QByteArray> files() const { return filesUnder(root); }

    static QMap<QString, QByteArray> filesUnder(const QString& dir)
    {
        QMap<QString, QByteArray> out;
        QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString rel = QDir(dir).relativeFilePath(it.next());
            if (!rel.startsWith(QStringLiteral(".muze-state/")) && !rel.startsWith(QStringLiteral(".muze/")))
                out.insert(remote::fs::nfc(rel), test::readAll(dir + QLatin1Char('/') + rel));
        }
        return out;
    }
};

QStringList valuesOf(const QMap<QString, QByteArray>& files)
{
    QStringList out;
    for (const QByteArray& b : files)
        out << QString::fromUtf8(b);
    out.sort();
    return out;
}

void runRow(
    const Row& row, const QString& kind, const std::function<std::unique_ptr<remote::RemoteStore>()>& makeRemote)
{
    INFO(kind.toStdString() << ", " << row.what);
    test::TempDir dir;
    const QString outside = dir.filePath(QStringLiteral("outside"));
    test::writeAll(outside + QStringLiteral("/keep.txt"), "outside the vault");
    const QString injected = QString(row.injected).replace(kOutside, outside);

    Vault a(dir.path(), QStringLiteral("A"), makeRemote());
    a.write(QStringLiteral("ok.txt"), "from A");
    if (!row.remoteFile.isEmpty())
        a.write(row.remoteFile, "A's " + QByteArray(row.what));
    a.sync();

    Vault b(dir.path(), QStringLiteral("B"), std::make_unique<InjectingRemote>(makeRemote(), injected));
    b.write(QStringLiteral("b.txt"), "from B");
    if (!row.localFile.isEmpty())
        b.write(row.localFile, "B's " + QByteArray(row.what));
    const QMap<QString, QByteArray> outsideBefore = Vault::filesUnder(outside);

    const sync::SyncReport first = b.sync();
    INFO("B's errors: " << first.errors.join(QStringLiteral("; ")).toStdString());
    INFO("B's notes: " << first.notes.join(QStringLiteral("; ")).toStdString());
    a.sync();
    const sync::SyncReport bSecond = b.sync(); // what B cannot do, it says again on every sync
    a.sync();

    // The rest of the sync works, both ways, and nothing outside the vault changed.
    CHECK(b.files().value(QStringLiteral("ok.txt")) == "from A");
    CHECK(a.files().value(QStringLiteral("b.txt")) == "from B");
    CHECK(Vault::filesUnder(outside) == outsideBefore);
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral("escape.txt"))));
    CHECK_FALSE(valuesOf(b.files()).contains(QStringLiteral("evil")));

    const QString mine = QStringLiteral("B's ") + QLatin1String(row.what),
                  theirs = QStringLiteral("A's ") + QLatin1String(row.what);
    if (row.expect == Expect::Refused) {
        CHECK(first.rejected.contains(injected)); // reported, so the user can see it
    } else if (row.expect == Expect::Explained) {
        CHECK(b.files().value(row.localFile) == mine.toUtf8());
        CHECK(a.files().value(row.remoteFile) == theirs.toUtf8());
        auto names = [](const sync::SyncReport& r, const QString& path) {
            return r.errors.filter(path).size() + r.skipped.filter(path).size() > 0;
        };
        if (!valuesOf(b.files()).contains(theirs))
            CHECK(names(bSecond, row.remoteFile));
        if (!valuesOf(a.files()).contains(mine))
            CHECK(names(bSecond, row.localFile));
    } else {
        // Nothing lost: each side's version is on both devices, under one name or another.
        const QStringList want{
            QStringLiteral("A's ") + QLatin1String(row.what), QStringLiteral("B's ") + QLatin1String(row.what)};
        for (const QString& v : want) {
            CHECK(valuesOf(b.files()).contains(v));
            CHECK(valuesOf(a.files()).contains(v));
        }
        CHECK(a.files() == b.files());
        CHECK(b.sync().converged);
    }
}

} // namespace

TEST_CASE("hostile remote names: one table on the folder remote and on Dropbox")
{
    const std::vector<Row> rows = table();
    {
        test::TempDir remotes;
        int n = 0;
        for (const Row& row : rows) {
            const QString root = remotes.filePath(QStringLiteral("remote%1").arg(++n));
            int caches = 0;
            runRow(row, QStringLiteral("folder"), [&] {
                return std::make_unique<remote::FolderRemote>(
                    root, remotes.filePath(QStringLiteral("cache%1-%2").arg(n).arg(++caches)));
            });
        }
    }
    Emulator emu;
    emu.signIn();
    int n = 0;
    for (const Row& row : rows) {
        const QString folder = QStringLiteral("/Apps/Muze/Row%1").arg(++n);
        runRow(row, QStringLiteral("dropbox"), [&] { return emu.remote(folder); });
    }
}
