// Change summaries between two versions of a mix (the History panel, `muze-cli history`).
#include "catch.h"

#include <muze/model/changesummary.h>

using namespace muze;
using namespace muze::model;

namespace {

Json track(const char* id, const char* name, double gain = 0, double pan = 0, bool muted = false, bool solo = false,
    int frames = 48000)
{
    return Json{{"id", id}, {"name", name}, {"gain_db", gain}, {"pan", pan}, {"muted", muted}, {"solo", solo},
        {"sample_rate", 48000}, {"channels", 1}, {"frames", frames}};
}

Json mix(Json tracks)
{
    return Json{{"format", 1}, {"id", "m1"}, {"name", "Song"}, {"tempo", 90}, {"notes", ""},
        {"tags", Json::array({"demo"})}, {"modified_at", "2026-12-01T10:00:00.000Z"}, {"tracks", std::move(tracks)}};
}

QStringList texts(const std::vector<FieldChange>& changes)
{
    QStringList out;
    for (const FieldChange& c : changes)
        out << c.text;
    return out;
}

} // namespace

TEST_CASE("change summary: a new item says it was created")
{
    const auto changes = diffVersions(nullptr, mix(Json::array()));
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].field == QStringLiteral("created"));
    CHECK(summaryText(changes) == QStringLiteral("created \"Song\""));
}

TEST_CASE("change summary: name, tempo, notes and tags, timestamps alone are no change")
{
    const Json a = mix(Json::array());
    Json b = a;
    b["modified_at"] = "2026-12-02T10:00:00.000Z";
    CHECK(diffVersions(a, b).empty());
    CHECK(summaryText(diffVersions(a, b)) == QStringLiteral("no changes"));
    b["name"] = "Song (live)";
    b["tempo"] = 100;
    b["notes"] = "louder chorus";
    b["tags"] = Json::array({"live", "2026"});
    const QStringList t = texts(diffVersions(a, b));
    CHECK(t
        == QStringList{QStringLiteral("renamed \"Song\" to \"Song (live)\""), QStringLiteral("tempo 90 → 100"),
            QStringLiteral("notes edited"), QStringLiteral("tags +live +2026 −demo")});
}

TEST_CASE("change summary: per track gain, pan, mute, solo, rename, added and removed")
{
    const Json a = mix(Json::array({track("t1", "Bass"), track("t2", "Drums"), track("t3", "Keys")}));
    const Json b = mix(Json::array({track("t1", "Bass DI", -3, -0.5, true, false),
        track("t2", "Drums", 0, 0, false, true), track("t4", "Vocals")}));
    const auto changes = diffVersions(a, b);
    const QStringList t = texts(changes);
    CHECK(t
        == QStringList{QStringLiteral("track \"Bass\" renamed to \"Bass DI\""),
            QStringLiteral("Bass DI: gain 0 dB → −3 dB"), QStringLiteral("Bass DI: pan centre → 50 L"),
            QStringLiteral("Bass DI: muted"), QStringLiteral("Drums: solo on"),
            QStringLiteral("track \"Vocals\" added"), QStringLiteral("track \"Keys\" removed")});
    CHECK(changes[1].from == Json(0.0));
    CHECK(changes[1].to == Json(-3.0));
    CHECK(changes[1].trackId == QStringLiteral("t1"));
}

TEST_CASE("change summary: a take replaced in place or as a new track of the same name")
{
    const Json a = mix(Json::array({track("t1", "Bass"), track("t2", "Guitar")}));
    // Same track, other audio (a re-recorded take has another length).
    Json b = mix(Json::array({track("t1", "Bass", 0, 0, false, false, 96000), track("t2", "Guitar")}));
    CHECK(texts(diffVersions(a, b)) == QStringList{QStringLiteral("Bass: take replaced")});
    // The old track went and a new one with the same name came.
    Json c = mix(Json::array({track("t1", "Bass"), track("t9", "Guitar")}));
    const auto changes = diffVersions(a, c);
    REQUIRE(changes.size() == 1);
    CHECK(changes[0].text == QStringLiteral("Guitar: take replaced"));
    CHECK(changes[0].from == Json("t2"));
    CHECK(changes[0].to == Json("t9"));
}
