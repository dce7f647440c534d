#include "catch.h"
#include "testsupport.h"

#include <muze/sync/jsonmerge.h>

using namespace muze;
using namespace muze::sync;

namespace {
Json parse(const char* text) { return Json::parse(text); }
} // namespace

TEST_CASE("merge: fields changed on different sides are both kept, unknown fields too")
{
    const Json base = parse(R"({"id":"m1","name":"Song","tempo":120,"x_future":{"a":1},"modified_at":"2024-01-01T00:00:00.000Z"})");
    Json local = base;
    local["name"] = "Song (live)";
    local["modified_at"] = "2024-01-02T00:00:00.000Z";
    Json remote = base;
    remote["tempo"] = 96;
    remote["notes"] = "new field";
    remote["modified_at"] = "2024-01-03T00:00:00.000Z";
    const MergeResult r = mergeJson(&base, local, remote);
    CHECK(r.conflicts.empty());
    CHECK(r.merged["name"] == "Song (live)");
    CHECK(r.merged["tempo"] == 96);
    CHECK(r.merged["notes"] == "new field");
    CHECK(r.merged["x_future"]["a"] == 1);
    CHECK(r.merged["modified_at"] == "2024-01-03T00:00:00.000Z");
}

TEST_CASE("merge: the same field changed differently — later modified_at wins, the other is a conflict")
{
    const Json base = parse(R"({"id":"m1","name":"Song","modified_at":"2024-01-01T00:00:00.000Z"})");
    Json local = base;
    local["name"] = "Local title";
    local["modified_at"] = "2024-01-05T00:00:00.000Z";
    Json remote = base;
    remote["name"] = "Remote title";
    remote["modified_at"] = "2024-01-04T00:00:00.000Z";
    MergeResult r = mergeJson(&base, local, remote);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.merged["name"] == "Local title");
    CHECK(r.conflicts[0].field == QStringLiteral("/name"));
    CHECK(r.conflicts[0].localWon);
    CHECK(r.conflicts[0].remoteValue == "Remote title");
    // Mirror image: the remote is later.
    remote["modified_at"] = "2024-01-06T00:00:00.000Z";
    r = mergeJson(&base, local, remote);
    CHECK(r.merged["name"] == "Remote title");
    CHECK_FALSE(r.conflicts[0].localWon);
    // Same value on both sides is not a conflict.
    remote["name"] = "Local title";
    CHECK(mergeJson(&base, local, remote).conflicts.empty());
}

TEST_CASE("merge: tracks merge by id — adds on both sides, delete vs change, per-track fields")
{
    const Json base = parse(R"({"id":"m1","tracks":[
        {"id":"t1","gain_db":0,"modified_at":"2024-01-01T00:00:00.000Z"},
        {"id":"t2","pan":0,"modified_at":"2024-01-01T00:00:00.000Z"},
        {"id":"t3","muted":false,"modified_at":"2024-01-01T00:00:00.000Z"}]})");
    Json local = base;
    local["tracks"][0]["gain_db"] = -3;                    // t1 changed here
    local["tracks"][0]["modified_at"] = "2024-01-02T00:00:00.000Z";
    local["tracks"].erase(1);                               // t2 deleted here
    local["tracks"].push_back(parse(R"({"id":"t4","name":"local take"})"));
    Json remote = base;
    remote["tracks"][1]["pan"] = 0.5;                       // t2 changed there: the change wins
    remote["tracks"][2]["muted"] = true;                    // t3 changed there
    remote["tracks"].push_back(parse(R"({"id":"t5","name":"remote take"})"));
    const MergeResult r = mergeJson(&base, local, remote);
    CHECK(r.conflicts.empty());
    std::vector<std::string> ids;
    for (const Json& t : r.merged["tracks"])
        ids.push_back(t["id"].get<std::string>());
    // Local order; an element only the remote has follows its remote predecessor.
    CHECK(ids == std::vector<std::string>{"t1", "t2", "t3", "t5", "t4"});
    CHECK(r.merged["tracks"][0]["gain_db"] == -3);
    CHECK(r.merged["tracks"][1]["pan"] == 0.5);
    CHECK(r.merged["tracks"][2]["muted"] == true);

    // An unchanged track deleted on one side is deleted.
    Json remote2 = base;
    remote2["tracks"].erase(2);
    const MergeResult r2 = mergeJson(&base, base, remote2);
    CHECK(r2.merged["tracks"].size() == 2);
}

TEST_CASE("merge: a track field changed on both sides is judged by the track's modified_at")
{
    const Json base = parse(R"({"id":"m1","modified_at":"2024-01-01T00:00:00.000Z","tracks":[
        {"id":"t1","gain_db":0,"modified_at":"2024-01-01T00:00:00.000Z"}]})");
    Json local = base, remote = base;
    local["tracks"][0]["gain_db"] = -6;
    local["tracks"][0]["modified_at"] = "2024-02-01T00:00:00.000Z";
    local["modified_at"] = "2024-02-01T00:00:00.000Z";
    remote["tracks"][0]["gain_db"] = 3;
    remote["tracks"][0]["modified_at"] = "2024-03-01T00:00:00.000Z";
    remote["modified_at"] = "2024-01-15T00:00:00.000Z";
    const MergeResult r = mergeJson(&base, local, remote);
    REQUIRE(r.conflicts.size() == 1);
    CHECK(r.conflicts[0].field == QStringLiteral("/tracks/id:t1/gain_db"));
    CHECK(r.merged["tracks"][0]["gain_db"] == 3);
    CHECK(r.merged["modified_at"] == "2024-02-01T00:00:00.000Z");
    const Json* v = resolveFieldPath(r.merged, r.conflicts[0].field);
    REQUIRE(v);
    CHECK(*v == 3);
    Json flipped = r.merged;
    REQUIRE(setFieldPath(flipped, r.conflicts[0].field, -6, QStringLiteral("2024-04-01T00:00:00.000Z")));
    CHECK(flipped["tracks"][0]["gain_db"] == -6);
    CHECK(flipped["tracks"][0]["modified_at"] == "2024-04-01T00:00:00.000Z");
}

TEST_CASE("merge: tags merge as sets, deletes vs changes of fields, no base")
{
    const Json base = parse(R"({"id":"p","tags":["a","b"],"key":"C","color":"#000000"})");
    Json local = base, remote = base;
    local["tags"] = parse(R"(["a","b","local"])");
    remote["tags"] = parse(R"(["b","remote"])"); // removed "a", added "remote"
    local.erase("key");                          // deleted here, unchanged there: deleted
    remote["color"] = "#ffffff";                 // changed there
    local.erase("color");                        // deleted here: the change wins
    const MergeResult r = mergeJson(&base, local, remote);
    CHECK(r.conflicts.empty());
    CHECK(r.merged["tags"] == parse(R"(["b","local","remote"])"));
    CHECK_FALSE(r.merged.contains("key"));
    CHECK(r.merged["color"] == "#ffffff");

    // Without a base every difference is a both-sides change.
    const Json a = parse(R"({"id":"v","name":"A","created_at":"2024-01-02T00:00:00.000Z"})");
    const Json b = parse(R"({"id":"v","name":"B","created_at":"2024-01-01T00:00:00.000Z"})");
    const MergeResult nb = mergeJson(nullptr, a, b);
    CHECK(nb.conflicts.size() == 1);
    CHECK(nb.merged["created_at"] == "2024-01-01T00:00:00.000Z");
}

TEST_CASE("merge: the only track removed on one side and edited on the other — the edit wins")
{
    const Json base = parse(R"({"id":"m1","modified_at":"2024-01-01T00:00:00.000Z",
        "tracks":[{"id":"t1","name":"Take","gain_db":0,"modified_at":"2024-01-01T00:00:00.000Z"}]})");
    Json edited = base;
    edited["tracks"][0]["gain_db"] = -7;
    edited["tracks"][0]["name"] = "Edited";
    edited["tracks"][0]["modified_at"] = "2024-01-02T00:00:00.000Z";
    edited["modified_at"] = "2024-01-02T00:00:00.000Z";
    Json emptied = base;
    emptied["tracks"] = Json::array();
    emptied["modified_at"] = "2024-01-03T00:00:00.000Z"; // later: a whole-list merge would drop the edit

    for (const bool editedIsLocal : {true, false}) {
        const MergeResult r = editedIsLocal ? mergeJson(&base, edited, emptied) : mergeJson(&base, emptied, edited);
        REQUIRE(r.merged["tracks"].size() == 1);
        CHECK(r.merged["tracks"][0]["name"] == "Edited");
        CHECK(r.merged["tracks"][0]["gain_db"] == -7);
        CHECK(r.conflicts.empty());
    }
    // An unchanged track removed on the other side stays removed, even when it was the last one.
    const MergeResult removed = mergeJson(&base, base, emptied);
    CHECK(removed.merged["tracks"].empty());
    // Tracks added on one side to a list that was empty everywhere are kept.
    Json none = base;
    none["tracks"] = Json::array();
    Json added = none;
    added["tracks"].push_back(Json{{"id", "t2"}, {"name", "New"}});
    CHECK(mergeJson(&none, none, added).merged["tracks"].size() == 1);
    CHECK(mergeJson(nullptr, added, none).merged["tracks"].size() == 1);
}

TEST_CASE("merge: modified_by follows the later edit and is never a conflict (FORMAT.md §7.5)")
{
    const Json base = parse(R"({"id":"m1","name":"Song","tempo":120,"modified_by":"aaaaaaaaaaaaaaaa",)"
                            R"("modified_at":"2024-01-01T00:00:00.000Z"})");
    Json local = base;
    local["name"] = "Song (live)";
    local["modified_by"] = "bbbbbbbbbbbbbbbb";
    local["modified_at"] = "2024-01-02T00:00:00.000Z";
    Json remote = base;
    remote["tempo"] = 96;
    remote["modified_by"] = "cccccccccccccccc";
    remote["modified_at"] = "2024-01-03T00:00:00.000Z";
    MergeResult r = mergeJson(&base, local, remote);
    CHECK(r.conflicts.empty());
    CHECK(r.merged["name"] == "Song (live)");
    CHECK(r.merged["tempo"] == 96);
    CHECK(r.merged["modified_by"] == "cccccccccccccccc");
    // The other way round: the local edit is later, so its device is the writer.
    local["modified_at"] = "2024-01-04T00:00:00.000Z";
    r = mergeJson(&base, local, remote);
    CHECK(r.conflicts.empty());
    CHECK(r.merged["modified_by"] == "bbbbbbbbbbbbbbbb");
}
