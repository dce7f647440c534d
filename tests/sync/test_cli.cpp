// muze-cli sync | status | conflicts | hash, two devices (config dirs) on one folder remote.
#include "catch.h"
#include "clidevice.h"

#include <muze/remote/contenthash.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>

using namespace muze;
using namespace muze::test;

namespace {
QString idOf(const ProcessResult& r) { return QString::fromUtf8(r.out).trimmed(); }

Json json(const ProcessResult& r)
{
    INFO(r.err.toStdString());
    return Json::parse(r.out.toStdString());
}

struct Band {
    QString cid, pid, mid;
    QString mixFile;
};

Band makeBand(const CliDevice& a, const TempDir& dir)
{
    Band b;
    ProcessResult r = a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    REQUIRE(r.exitCode == 0);
    b.cid = idOf(r);
    r = a.cli({QStringLiteral("project"), QStringLiteral("add"), b.cid, QStringLiteral("Demo")});
    REQUIRE(r.exitCode == 0);
    b.pid = idOf(r);
    r = a.cli({QStringLiteral("mix"), QStringLiteral("add"), b.pid, QStringLiteral("Main")});
    REQUIRE(r.exitCode == 0);
    b.mid = idOf(r);
    writeAll(dir.filePath(QStringLiteral("take.wav")), makeWav(8000, 1, 16, 8000));
    r = a.cli({QStringLiteral("track"), QStringLiteral("import"), b.mid, dir.filePath(QStringLiteral("take.wav"))});
    REQUIRE(r.exitCode == 0);
    b.mixFile = QStringLiteral("collections/%1/projects/%2/mixes/%3.json").arg(b.cid, b.pid, b.mid);
    return b;
}
} // namespace

TEST_CASE("cli: two devices share a vault through a folder remote, edits merge, status reports per file")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    const CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    const Band band = makeBand(a, dir);

    ProcessResult r = a.cli({QStringLiteral("sync")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.startsWith("Synced Band: "));
    r = b.cli({QStringLiteral("--json"), QStringLiteral("sync"), QStringLiteral("--once")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(json(r)["converged"] == true);
    r = b.cli({QStringLiteral("ls")});
    CHECK(r.out.contains("Main"));
    CHECK(r.out.contains("Demo"));

    REQUIRE(a.cli({QStringLiteral("edit"), band.mid, QStringLiteral("name=Main (live)")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("edit"), band.mid, QStringLiteral("tempo=100")}).exitCode == 0);
    // Before syncing, status says what is pending.
    r = b.cli({QStringLiteral("--json"), QStringLiteral("status")});
    REQUIRE(r.exitCode == 0);
    bool pending = false;
    const Json before = json(r);
    for (const Json& f : before["files"])
        pending |= f["path"] == toStd(band.mixFile) && f["state"] == "pending";
    INFO(band.mixFile.toStdString() << "\n" << r.out.toStdString());
    CHECK(pending);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    r = b.cli({QStringLiteral("sync")});
    INFO(r.out.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("1 merged"));
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    for (const CliDevice* d : {&a, &b}) {
        const Json mix = Json::parse(readAll(d->file(band.mixFile)).toStdString());
        CHECK(mix["name"] == "Main (live)");
        CHECK(mix["tempo"] == 100);
        r = d->cli({QStringLiteral("--json"), QStringLiteral("status")});
        REQUIRE(r.exitCode == 0);
        const Json after = json(r);
        for (const Json& f : after["files"]) {
            INFO(f.dump());
            CHECK(f["state"] == "synced");
        }
    }
}

TEST_CASE("cli: conflicts lists a field edited on both devices and resolve flips it everywhere")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    const CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    const Band band = makeBand(a, dir);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("edit"), band.mid, QStringLiteral("name=From A")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("edit"), band.mid, QStringLiteral("name=From B")}).exitCode == 0); // later
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    ProcessResult r = b.cli({QStringLiteral("sync")});
    REQUIRE(r.exitCode == 0); // a recorded conflict counts as converged
    CHECK(r.out.contains("conflict"));
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);

    r = a.cli({QStringLiteral("--json"), QStringLiteral("conflicts")});
    REQUIRE(r.exitCode == 0);
    const Json list = json(r)["conflicts"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["field"] == "/name");
    CHECK(list[0]["kept"] == "local"); // B merged and B's later edit won
    CHECK(list[0]["local"]["value"] == "From B");
    CHECK(list[0]["remote"]["value"] == "From A");
    const QString id = fromStd(list[0]["id"].get<std::string>());
    CHECK(a.cli({QStringLiteral("conflicts")}).out.contains(id.toUtf8()));

    CHECK(a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), id}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), id, QStringLiteral("--keep"), QStringLiteral("ours")}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), QStringLiteral("nope"), QStringLiteral("--keep"),
                 QStringLiteral("local")}).exitCode == 1);
    r = a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), id, QStringLiteral("--keep"), QStringLiteral("remote")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    CHECK(Json::parse(readAll(b.file(band.mixFile)).toStdString())["name"] == "From A");
    CHECK(b.cli({QStringLiteral("conflicts")}).out.contains("No conflicts"));
}

TEST_CASE("cli: sync refuses a mass delete until --force, and explains itself")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    for (int i = 0; i < 6; ++i)
        writeAll(a.file(QStringLiteral("notes/n%1.txt").arg(i)), "x");
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    for (int i = 0; i < 6; ++i)
        QFile::remove(a.file(QStringLiteral("notes/n%1.txt").arg(i)));
    ProcessResult r = a.cli({QStringLiteral("sync")});
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("--force"));
    CHECK(QDir(remote + QStringLiteral("/notes")).entryList(QDir::Files).size() == 6);
    r = a.cli({QStringLiteral("sync"), QStringLiteral("--force")});
    CHECK(r.exitCode == 0);
    CHECK_FALSE(QDir(remote + QStringLiteral("/notes")).exists());
}

TEST_CASE("cli: usage and errors — no remote, bad flags, hash")
{
    TempDir dir;
    CliDevice solo{QStringLiteral("S"), dir.filePath(QStringLiteral("cfg")), dir.filePath(QStringLiteral("v"))};
    REQUIRE(solo.cli({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Solo"), QStringLiteral("--provider"),
                      QStringLiteral("local"), QStringLiteral("--path"), solo.vault}).exitCode == 0);
    ProcessResult r = solo.cli({QStringLiteral("sync")});
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("--remote"));
    CHECK(solo.cli({QStringLiteral("sync"), QStringLiteral("--once"), QStringLiteral("--watch")}).exitCode == 2);
    CHECK(solo.cli({QStringLiteral("sync"), QStringLiteral("--bogus")}).exitCode == 2);
    CHECK(solo.cli({QStringLiteral("hash")}).exitCode == 2);

    writeAll(dir.filePath(QStringLiteral("hw.txt")), "hello world");
    r = solo.cli({QStringLiteral("hash"), dir.filePath(QStringLiteral("hw.txt"))});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.startsWith("bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423  "));
    r = solo.cli({QStringLiteral("--json"), QStringLiteral("hash"), dir.filePath(QStringLiteral("hw.txt"))});
    CHECK(json(r)["content_hash"] == "bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423");
    CHECK(solo.cli({QStringLiteral("hash"), dir.filePath(QStringLiteral("missing"))}).exitCode == 1);
}

TEST_CASE("cli: a file written a moment ago is waited for, not left behind")
{
    TempDir dir;
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), dir.filePath(QStringLiteral("remote")));
    writeAll(a.file(QStringLiteral("fresh.json")), "{}");
    // Real settle window (no test override): the one-shot sync waits ~2 s and takes the file.
    const ProcessResult r = a.cli({QStringLiteral("sync")}, {QStringLiteral("MUZE_X=1")});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK(QFile::exists(dir.filePath(QStringLiteral("remote/fresh.json"))));
}

TEST_CASE("cli: sync --watch keeps a vault in sync until it is told to stop")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MUZE_SYNC_SETTLE_MS"), QStringLiteral("0"));
    p.setProcessEnvironment(env);
    p.start(builtBinary(QStringLiteral("muze-cli")), {QStringLiteral("--config-dir"), a.config, QStringLiteral("sync"), QStringLiteral("--watch")});
    REQUIRE(p.waitForStarted());
    QByteArray out;
    for (int i = 0; i < 200 && !out.contains(" synced"); ++i) {
        p.waitForReadyRead(100);
        out += p.readAllStandardOutput();
    }
    CHECK(out.contains(" synced"));
    writeAll(a.file(QStringLiteral("later.json")), "{}");
    bool arrived = false;
    for (int i = 0; i < 300 && !arrived; ++i) {
        p.waitForReadyRead(100);
        arrived = QFile::exists(remote + QStringLiteral("/later.json"));
    }
    CHECK(arrived);
    p.terminate();
    REQUIRE(p.waitForFinished(10000));
    CHECK(p.exitStatus() == QProcess::NormalExit);
    CHECK(p.exitCode() == 0);
}
