// "A delete against a change: the change wins", for a mix's tracks and their take files: a
// device that removes a track (and its take) while another edits that track must not lose the
// edit or the take — whichever device syncs first. Plain deletes still propagate.
#include "catch.h"
#include "devices.h"

#include <muze/sync/syncpaths.h>

using namespace muze;
using namespace muze::test;

namespace {
const QString kMix = QStringLiteral("collections/c1/projects/p1/mixes/m1.json");
const QString kTake = QStringLiteral("collections/c1/projects/p1/audio/t1.wav");

QByteArray take() { return makeWav(8000, 1, 16, 8000, 330); }

void seed(Device& a, Device& b)
{
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1), {trackJson(QStringLiteral("t1"), QStringLiteral("Take"), 0, timeAt(1))}));
    a.write(kTake, take());
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
}

void editTrack(Device& d)
{
    Json m = d.readJson(kMix);
    m["tracks"][0]["gain_db"] = -7;
    m["tracks"][0]["name"] = "Edited";
    m["tracks"][0]["modified_at"] = toStd(timeAt(2));
    m["modified_at"] = toStd(timeAt(2));
    d.writeJson(kMix, m);
}

void removeTrack(Device& d) // what `muze-cli rm TRACK` does: the track and its take go
{
    Json m = d.readJson(kMix);
    m["tracks"] = Json::array();
    m["modified_at"] = toStd(timeAt(3)); // later than the edit
    d.writeJson(kMix, m);
    d.remove(kTake);
}

void requireEditAndTakeKept(Device& a, Device& b)
{
    requireSameFiles({&a, &b});
    for (Device* d : {&a, &b}) {
        INFO(d->name().toStdString());
        const Json m = d->readJson(kMix);
        REQUIRE(m["tracks"].size() == 1);
        CHECK(m["tracks"][0]["name"] == "Edited");
        CHECK(m["tracks"][0]["gain_db"] == -7);
        REQUIRE(d->has(kTake));
        CHECK(d->read(kTake) == take());
    }
}
} // namespace

TEST_CASE("delete vs edit: the remover syncs first — the editor keeps its take and its edit")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    editTrack(a);
    removeTrack(b);
    b.sync(); // the remote loses the take and the track
    a.sync(); // the mix merges (edit wins) and the take goes back up instead of being deleted
    b.sync();
    requireEditAndTakeKept(a, b);
}

TEST_CASE("delete vs edit: the editor syncs first — the remover gets the take back")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    editTrack(a);
    a.sync();
    removeTrack(b); // unaware of the edit
    b.sync();       // the merge keeps the edited track, so the take is fetched, not deleted remotely
    a.sync();
    requireEditAndTakeKept(a, b);
}

TEST_CASE("delete vs edit: a track removed with nothing against it takes its take along")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seed(a, b);
    removeTrack(b);
    b.sync();
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.readJson(kMix)["tracks"].empty());
    CHECK_FALSE(a.has(kTake));
    CHECK_FALSE(b.has(kTake));
}

TEST_CASE("take paths are recognised by their place in a project")
{
    CHECK(sync::isTakePath(QStringLiteral("collections/c/projects/p/audio/t.wav")));
    CHECK(sync::isTakePath(QStringLiteral("collections/c/projects/p/audio/t.WAV")));
    CHECK_FALSE(sync::isTakePath(QStringLiteral("collections/c/projects/p/mixes/m.json")));
    CHECK_FALSE(sync::isTakePath(QStringLiteral("collections/c/projects/p/audio/sub/t.wav")));
    CHECK_FALSE(sync::isTakePath(QStringLiteral("audio/t.wav")));
}
