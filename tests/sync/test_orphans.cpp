// Issue 16 defect 3: a removal on one device against an edit on another must leave a tree the
// app can show. The rule (docs/DESIGN.md §3, "A delete against a change"): the edit wins and
// brings back what it needs — the items above it (collection.json, project.json) and the takes
// its mix lists; whatever nothing changed stays removed. Driven through the real muze-cli, as
// a user would: `rm` a mix, a project or a collection on B while A edits inside it.
#include "catch.h"
#include "clidevice.h"

#include <muze/util/json.h>

#include <QDir>
#include <QFile>

using namespace muze;
using namespace muze::test;

namespace {

struct Band {
    QString cid, pid, mid, tid;
    QString projectDir() const { return QStringLiteral("collections/%1/projects/%2").arg(cid, pid); }
    QString mixFile() const { return projectDir() + QStringLiteral("/mixes/%1.json").arg(mid); }
    QString takeFile() const { return projectDir() + QStringLiteral("/audio/%1.wav").arg(tid); }
};

QString must(const CliDevice& d, const QStringList& args)
{
    const ProcessResult r = d.cli(args);
    INFO(d.name.toStdString() << ": muze-cli " << args.join(QLatin1Char(' ')).toStdString() << ": " << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return QString::fromUtf8(r.out).trimmed();
}

void sync(const CliDevice& d) { must(d, {QStringLiteral("sync")}); }

Band makeBand(const CliDevice& a, const TempDir& dir)
{
    Band b;
    b.cid = must(a, {QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    b.pid = must(a, {QStringLiteral("project"), QStringLiteral("add"), b.cid, QStringLiteral("Demo")});
    b.mid = must(a, {QStringLiteral("mix"), QStringLiteral("add"), b.pid, QStringLiteral("Main")});
    writeAll(dir.filePath(QStringLiteral("take.wav")), makeWav(8000, 1, 16, 8000, 440));
    b.tid = must(a, {QStringLiteral("track"), QStringLiteral("import"), b.mid, dir.filePath(QStringLiteral("take.wav")),
                     QStringLiteral("--name"), QStringLiteral("Guitar")});
    return b;
}

/// What `ls` shows, required free of warnings ("Cannot read …/project.json"), with every
/// listed track's take on disk: the tree the app can open.
Json requireConsistent(const CliDevice& d)
{
    const ProcessResult r = d.cli({QStringLiteral("--json"), QStringLiteral("ls")});
    INFO(d.name.toStdString() << ": " << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK_FALSE(r.err.contains("warning"));
    const Json tree = Json::parse(r.out.toStdString());
    CHECK(tree["issues"].empty());
    for (const Json& c : tree["collections"])
        for (const Json& p : c["projects"])
            for (const Json& m : p["mixes"])
                for (const Json& t : m["tracks"]) {
                    const QString take = QStringLiteral("collections/%1/projects/%2/audio/%3.wav")
                                             .arg(fromStd(c["id"]), fromStd(p["id"]), fromStd(t["id"]));
                    INFO(d.name.toStdString() << " lists a track whose take is " << take.toStdString());
                    CHECK(QFile::exists(d.file(take)));
                }
    return tree;
}

QStringList filesOf(const CliDevice& d)
{
    QStringList out;
    QDir root(d.vault);
    QStringList stack{QString()};
    while (!stack.isEmpty()) {
        const QString rel = stack.takeLast();
        for (const QFileInfo& fi : QDir(root.filePath(rel)).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
            const QString child = rel.isEmpty() ? fi.fileName() : rel + QLatin1Char('/') + fi.fileName();
            if (child.startsWith(QLatin1String(".muze-state")) || child.startsWith(QLatin1String(".muze/")))
                continue;
            if (fi.isDir())
                stack << child;
            else
                out << child + QLatin1Char(' ') + QString::fromLatin1(readAll(fi.filePath()).toHex().left(64));
        }
    }
    out.sort();
    return out;
}

void requireSame(const CliDevice& a, const CliDevice& b) { REQUIRE(filesOf(a) == filesOf(b)); }

struct Pair {
    TempDir dir;
    CliDevice a, b;
    Band band;
    Pair()
        : a(makeCliDevice(dir, QStringLiteral("A"), dir.filePath(QStringLiteral("remote")))),
          b(makeCliDevice(dir, QStringLiteral("B"), dir.filePath(QStringLiteral("remote"))))
    {
        band = makeBand(a, dir);
        sync(a);
        sync(b);
        requireSame(a, b);
    }
};

void requireEditedMixKept(const Pair& p, const char* field, const Json& value)
{
    for (const CliDevice* d : {&p.a, &p.b}) {
        INFO(d->name.toStdString());
        requireConsistent(*d);
        REQUIRE(QFile::exists(d->file(p.band.mixFile())));
        const Json mix = Json::parse(readAll(d->file(p.band.mixFile())).toStdString());
        CHECK(mix[field] == value);
        REQUIRE(mix["tracks"].size() == 1);
        CHECK(readAll(d->file(p.band.takeFile())) == makeWav(8000, 1, 16, 8000, 440));
    }
    requireSame(p.a, p.b);
}

} // namespace

TEST_CASE("orphans: a mix removed while another device edits it comes back with its take (remover syncs first)")
{
    Pair p;
    must(p.a, {QStringLiteral("edit"), p.band.mid, QStringLiteral("tempo=97")});
    must(p.b, {QStringLiteral("rm"), p.band.mid}); // the mix and its take
    sync(p.b);
    sync(p.a); // the edit wins: the mix goes back up, and so does the take it lists
    sync(p.b);
    requireEditedMixKept(p, "tempo", 97);
}

TEST_CASE("orphans: a project removed while another device edits its mix comes back whole (remover first)")
{
    Pair p;
    must(p.a, {QStringLiteral("edit"), p.band.mid, QStringLiteral("name=Kept")});
    must(p.b, {QStringLiteral("rm"), p.band.pid});
    sync(p.b);
    sync(p.a);
    sync(p.b);
    requireEditedMixKept(p, "name", "Kept");
    CHECK(QFile::exists(p.b.file(p.band.projectDir() + QStringLiteral("/project.json"))));
}

TEST_CASE("orphans: a project removed while another device edits its mix comes back whole (editor first)")
{
    Pair p;
    must(p.a, {QStringLiteral("edit"), p.band.tid, QStringLiteral("gain_db=-7")});
    must(p.a, {QStringLiteral("edit"), p.band.mid, QStringLiteral("name=Kept")});
    sync(p.a);
    must(p.b, {QStringLiteral("rm"), p.band.pid}); // unaware of the edits
    sync(p.b);
    sync(p.a);
    requireEditedMixKept(p, "name", "Kept");
}

TEST_CASE("orphans: a project added to a removed collection keeps the collection, the rest stays removed")
{
    Pair p;
    const QString other = must(p.a, {QStringLiteral("project"), QStringLiteral("add"), p.band.cid, QStringLiteral("New")});
    must(p.b, {QStringLiteral("rm"), p.band.cid});
    const QStringList force{QStringLiteral("sync"), QStringLiteral("--force")}; // most of the vault goes: confirmed
    must(p.b, force);
    must(p.a, force);
    sync(p.b);
    for (const CliDevice* d : {&p.a, &p.b}) {
        INFO(d->name.toStdString());
        const Json tree = requireConsistent(*d);
        REQUIRE(tree["collections"].size() == 1);
        REQUIRE(tree["collections"][0]["projects"].size() == 1);
        CHECK(fromStd(tree["collections"][0]["projects"][0]["id"]) == other); // Demo, unchanged, is gone
        CHECK_FALSE(QFile::exists(d->file(p.band.mixFile())));
        CHECK_FALSE(QFile::exists(d->file(p.band.takeFile())));
    }
    requireSame(p.a, p.b);
}

TEST_CASE("orphans: a project removed with nothing against it is removed everywhere, nothing left behind")
{
    Pair p;
    must(p.b, {QStringLiteral("rm"), p.band.pid});
    sync(p.b);
    sync(p.a);
    for (const CliDevice* d : {&p.a, &p.b}) {
        INFO(d->name.toStdString());
        const Json tree = requireConsistent(*d);
        REQUIRE(tree["collections"].size() == 1);
        CHECK(tree["collections"][0]["projects"].empty());
        CHECK_FALSE(QFile::exists(d->file(p.band.projectDir() + QStringLiteral("/project.json"))));
        CHECK_FALSE(QFile::exists(d->file(p.band.mixFile())));
        CHECK_FALSE(QFile::exists(d->file(p.band.takeFile())));
    }
    requireSame(p.a, p.b);
}

TEST_CASE("orphans: a project removed elsewhere leaves no empty item folder where its mixes were removed")
{
    Pair p;
    must(p.b, {QStringLiteral("rm"), p.band.mid}); // B's mixes/ and audio/ folders stay, empty
    sync(p.b);
    sync(p.a);
    must(p.a, {QStringLiteral("rm"), p.band.pid});
    sync(p.a);
    sync(p.b); // project.json goes: its empty folders must go with it
    for (const CliDevice* d : {&p.a, &p.b}) {
        INFO(d->name.toStdString());
        const Json tree = requireConsistent(*d);
        REQUIRE(tree["collections"].size() == 1);
        CHECK(tree["collections"][0]["projects"].empty());
        CHECK_FALSE(QDir(d->file(p.band.projectDir())).exists());
    }
}
