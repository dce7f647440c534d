// The conflict API (conflictresolve.h) against real conflicts two devices make on one folder
// remote: the user's view (base / mine / theirs, device names, times), every choice, stray
// conflicted copies found when a vault opens, and the journal's activity log.
#include "catch.h"
#include "clidevice.h"
#include "conflictworld.h"

#include <muze/model/vaultstore.h>
#include <muze/sync/conflictresolve.h>
#include <muze/sync/journal.h>

#include <QDir>
#include <QFile>

using namespace muze;
using namespace muze::test;
using namespace muze::sync;

namespace {
const ConflictView* byField(const std::vector<ConflictView>&& list, const QString& suffix) = delete; // would dangle
const ConflictView* byField(const std::vector<ConflictView>& list, const QString& suffix)
{
    for (const ConflictView& c : list) {
        if (c.field.endsWith(suffix))
            return &c;
    }
    return nullptr;
}

int trackCount(Device& d, const Band& band) { return int(d.readJson(band.mixFile)["tracks"].size()); }
} // namespace

TEST_CASE("conflicts: a field edited on both devices shows base, mine and theirs with devices and times")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeFieldConflicts(a, b, band);

    // On A (which did not detect them): mine is A's value, theirs is B's, B's is in use.
    const std::vector<ConflictView> onA = ConflictResolver(a.root(), a.name()).list();
    REQUIRE(onA.size() == 2);
    const ConflictView* name = byField(onA, QStringLiteral("/name"));
    REQUIRE(name);
    CHECK(name->kind == QStringLiteral("field"));
    CHECK(name->itemKind == QStringLiteral("mix"));
    CHECK(name->item == QStringLiteral("Opening song — final"));
    REQUIRE(name->base.has_value());
    CHECK(*name->base == "Opening song");
    CHECK(name->mine == "Opening song (live)");
    CHECK(name->theirs == "Opening song — final");
    CHECK(name->mineDevice == QStringLiteral("A"));
    CHECK(name->theirsDevice == QStringLiteral("B"));
    CHECK(name->mineTime < name->theirsTime);
    CHECK_FALSE(name->mineAtPath);
    const ConflictView* gain = byField(onA, QStringLiteral("/gain_db"));
    REQUIRE(gain);
    CHECK(gain->itemKind == QStringLiteral("track"));
    CHECK(gain->item == QStringLiteral("Guitar"));
    CHECK(gain->fieldName == QStringLiteral("gain_db"));
    CHECK(gain->mine == -3.0);
    CHECK(gain->theirs == 2.5);
    REQUIRE(gain->base.has_value());
    CHECK(*gain->base == 0.0);

    // On B the same conflicts read the other way round.
    const std::vector<ConflictView> onB = ConflictResolver(b.root(), b.name()).list();
    REQUIRE(onB.size() == 2);
    const ConflictView* nameB = byField(onB, QStringLiteral("/name"));
    REQUIRE(nameB);
    CHECK(nameB->mine == "Opening song — final");
    CHECK(nameB->theirs == "Opening song (live)");
    CHECK(nameB->mineAtPath);

    // A keeps its own name and takes B's gain; both devices end with that.
    const ConflictResolver onAResolver(a.root(), a.name());
    REQUIRE(onAResolver.resolve(name->id, Choice::Mine).ok());
    REQUIRE(onAResolver.resolve(gain->id, Choice::Theirs).ok());
    CHECK(ConflictResolver(a.root(), a.name()).list().empty());
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    const Json mix = b.readJson(band.mixFile);
    CHECK(mix["name"] == "Opening song (live)");
    CHECK(mix["tracks"][0]["gain_db"] == 2.5);
    CHECK(ConflictResolver(b.root(), b.name()).list().empty());
}

TEST_CASE("conflicts: all theirs settles every field conflict, both is refused for a number")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeFieldConflicts(a, b, band);
    const ConflictResolver onB(b.root(), b.name());
    const std::vector<ConflictView> listed = onB.list(); // byField points into it
    const ConflictView* gain = byField(listed, QStringLiteral("/gain_db"));
    REQUIRE(gain);
    const Status both = onB.resolve(gain->id, Choice::Both);
    CHECK_FALSE(both.ok());
    CHECK(both.errorString().contains(QStringLiteral("keep")));
    CHECK(onB.list().size() == 2); // nothing lost
    QStringList failures;
    Result<int> n = onB.resolveAll(Choice::Theirs, &failures);
    REQUIRE(n.ok());
    CHECK(*n == 2);
    CHECK(failures.isEmpty());
    const Json mix = b.readJson(band.mixFile); // theirs, from B, is A's
    CHECK(mix["name"] == "Opening song (live)");
    CHECK(mix["tracks"][0]["gain_db"] == -3.0);
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(ConflictResolver(a.root(), a.name()).list().empty());
}

TEST_CASE("conflicts: a take recorded over on both devices — keep theirs, or keep both as two tracks")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeTakeConflict(a, b, band);
    const QByteArray takeA = bandTake(8, 330), takeB = bandTake(10, 440);

    std::vector<ConflictView> onA = ConflictResolver(a.root(), a.name()).list();
    REQUIRE(onA.size() == 1);
    const ConflictView c = onA[0];
    CHECK(c.kind == QStringLiteral("file"));
    CHECK(c.item == QStringLiteral("Guitar"));
    CHECK(c.trackOfMix);
    CHECK_FALSE(c.mineAtPath); // B's newer take is at the path
    CHECK(a.read(c.minePath) == takeA);
    CHECK(a.read(c.theirsPath) == takeB);
    CHECK(c.theirsPath == band.take);
    CHECK(c.theirsDevice == QStringLiteral("B"));

    SECTION("keep both: A's take becomes a second track of the mix on every device")
    {
        REQUIRE(ConflictResolver(a.root(), a.name()).resolve(c.id, Choice::Both).ok());
        CHECK(trackCount(a, band) == 2);
        CHECK_FALSE(a.has(c.minePath)); // the copy moved into the new track
        a.sync();
        b.sync();
        requireSameFiles({&a, &b});
        const Json mix = b.readJson(band.mixFile);
        REQUIRE(mix["tracks"].size() == 2);
        CHECK(mix["tracks"][1]["name"] == "Guitar (A)");
        const Result<model::VaultTree> tree = model::VaultStore(b.root()).load();
        REQUIRE(tree.ok());
        const auto& tracks = tree->collections[0].projects[0].mixes[0].tracks;
        REQUIRE(tracks.size() == 2);
        CHECK(b.read(tracks[0].audioFile) == takeB);
        CHECK(b.read(tracks[1].audioFile) == takeA);
        CHECK(ConflictResolver(b.root(), b.name()).list().empty());
    }
    SECTION("keep mine (on A): A's take goes back to the path everywhere, the copy goes")
    {
        REQUIRE(ConflictResolver(a.root(), a.name()).resolve(c.id, Choice::Mine).ok());
        CHECK(a.read(band.take) == takeA);
        a.sync();
        b.sync();
        requireSameFiles({&a, &b});
        CHECK(b.read(band.take) == takeA);
        CHECK(trackCount(b, band) == 1);
        CHECK_FALSE(b.has(c.minePath));
        CHECK(ConflictResolver(b.root(), b.name()).list().empty());
    }
}

TEST_CASE("conflicts: a conflicted copy no record names is found when the vault opens")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    // Another sync tool left its own copy beside the take (Dropbox's naming).
    const QString stray = band.take.left(band.take.size() - 4) + QStringLiteral(" (Laptop's conflicted copy 2026-01-02).wav");
    a.write(stray, bandTake(3, 550));
    const ConflictResolver r(a.root(), a.name());
    Result<int> found = r.detect();
    REQUIRE(found.ok());
    CHECK(*found == 1);
    CHECK(*r.detect() == 0); // once
    const std::vector<ConflictView> list = r.list();
    REQUIRE(list.size() == 1);
    CHECK(list[0].path == band.take);
    CHECK(list[0].theirsPath == stray);
    CHECK(list[0].theirsDevice == QStringLiteral("Laptop"));
    CHECK(list[0].mineAtPath);
    REQUIRE(r.resolve(list[0].id, Choice::Mine).ok());
    CHECK_FALSE(a.has(stray));
    CHECK(r.list().empty());
}

TEST_CASE("conflicts: muze-cli conflicts shows mine/theirs and resolve --all theirs settles them")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    const CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    REQUIRE(a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("edit"), QStringLiteral("Songs"), QStringLiteral("notes=from A")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("edit"), QStringLiteral("Songs"), QStringLiteral("notes=from B")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);

    ProcessResult r = a.cli({QStringLiteral("conflicts")});
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("mine (A"));
    CHECK(r.out.contains("theirs (B"));
    CHECK(r.out.contains("from A"));
    CHECK(a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), QStringLiteral("--all"), QStringLiteral("both")}).exitCode == 2);
    r = a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), QStringLiteral("--all"), QStringLiteral("theirs")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("Resolved 1"));
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    CHECK(b.cli({QStringLiteral("conflicts")}).out.contains("No conflicts"));
    r = b.cli({QStringLiteral("--json"), QStringLiteral("ls")});
    CHECK(r.out.contains("from B"));
    CHECK_FALSE(r.out.contains("from A"));
}

TEST_CASE("activity: the journal keeps the last 200 transfers and errors, newest first")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    {
        Result<std::unique_ptr<Journal>> j = Journal::open(b.root());
        REQUIRE(j.ok());
        Result<std::vector<ActivityRow>> rows = (*j)->activity();
        REQUIRE(rows.ok());
        bool takeDown = false;
        for (const ActivityRow& r : *rows) {
            CHECK(r.ok);
            if (r.path == band.take && r.direction == QStringLiteral("down"))
                takeDown = r.size == QFileInfo(b.abs(band.take)).size();
        }
        CHECK(takeDown);
    }
    for (int i = 0; i < 210; ++i)
        a.write(QStringLiteral("notes/n%1.txt").arg(i, 3, 10, QLatin1Char('0')), QByteArray::number(i));
    a.sync();
    Result<std::unique_ptr<Journal>> j = Journal::open(a.root());
    REQUIRE(j.ok());
    Result<std::vector<ActivityRow>> rows = (*j)->activity(1000);
    REQUIRE(rows.ok());
    CHECK(rows->size() == 200);
    CHECK(rows->front().direction == QStringLiteral("up"));
    CHECK(rows->front().timeMs >= rows->back().timeMs);
}
