#include "catch.h"
#include "testsupport.h"

#include <muze/model/vaultstore.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>

using namespace muze;
using namespace muze::model;

namespace {
Json readJson(const QString& path) { return *parseJson(test::readAll(path), path); }
}

TEST_CASE("a vault round-trips collections, projects and mixes through their files")
{
    test::TempDir dir;
    VaultStore store(dir.path());
    REQUIRE(store.initialize(QStringLiteral("v1"), QStringLiteral("Personal")).ok());
    auto c = store.addCollection(QStringLiteral("Songs"));
    REQUIRE(c.ok());
    auto p = store.addProject(QStringLiteral("Songs"), QStringLiteral("Album"));
    REQUIRE(p.ok());
    auto m = store.addMix(*p, QStringLiteral("Take 1"));
    REQUIRE(m.ok());

    // The layout of DESIGN.md §2: ids name the files, titles live inside.
    CHECK(QFile::exists(dir.filePath(QStringLiteral("collections/%1/collection.json").arg(*c))));
    CHECK(QFile::exists(dir.filePath(QStringLiteral("collections/%1/projects/%2/mixes/%3.json").arg(*c, *p, *m))));

    auto tree = store.load();
    REQUIRE(tree.ok());
    CHECK(tree->issues.empty());
    REQUIRE(tree->collections.size() == 1);
    CHECK(tree->collections[0].name() == QStringLiteral("Songs"));
    REQUIRE(tree->collections[0].projects.size() == 1);
    CHECK(tree->collections[0].projects[0].name() == QStringLiteral("Album"));
    REQUIRE(tree->collections[0].projects[0].mixes.size() == 1);
    const Json& mix = tree->collections[0].projects[0].mixes[0].data;
    CHECK(jsonString(mix, "name") == QStringLiteral("Take 1"));
    CHECK(mix["format"] == 1);
    CHECK(!jsonString(mix, "created_at").isEmpty());
    CHECK(jsonString(tree->vault, "name") == QStringLiteral("Personal"));
}

TEST_CASE("edits keep fields this version does not know")
{
    test::TempDir dir;
    VaultStore store(dir.path());
    auto c = store.addCollection(QStringLiteral("Songs"));
    auto p = store.addProject(*c, QStringLiteral("Album"));
    auto m = store.addMix(*p, QStringLiteral("Mix"));
    const QString file = dir.filePath(QStringLiteral("collections/%1/projects/%2/mixes/%3.json").arg(*c, *p, *m));
    Json j = readJson(file);
    j["future_field"] = Json{{"nested", {1, 2, 3}}};
    j["tracks"] = Json::array({Json{{"id", "t1"}, {"name", "Bass"}, {"gain_db", 0.0}, {"reverb_send", 0.3}}});
    test::writeAll(file, dumpJson(j));

    REQUIRE(store.edit(QStringLiteral("Mix"), {{QStringLiteral("name"), QStringLiteral("Final mix")},
                                               {QStringLiteral("tempo"), QStringLiteral("96")}}).ok());
    REQUIRE(store.edit(QStringLiteral("t1"), {{QStringLiteral("gain_db"), QStringLiteral("-6")},
                                              {QStringLiteral("solo"), QStringLiteral("yes")}}).ok());
    const Json after = readJson(file);
    CHECK(after["future_field"]["nested"] == Json({1, 2, 3}));
    CHECK(after["name"] == "Final mix");
    CHECK(after["tempo"] == 96.0);
    CHECK(after["tracks"][0]["reverb_send"] == 0.3);
    CHECK(after["tracks"][0]["gain_db"] == -6.0);
    CHECK(after["tracks"][0]["solo"] == true);
    CHECK(jsonString(after, "modified_at") >= jsonString(after, "created_at"));
}

TEST_CASE("edit validates fields, types and ranges")
{
    test::TempDir dir;
    VaultStore store(dir.path());
    auto c = store.addCollection(QStringLiteral("Songs"));
    auto p = store.addProject(*c, QStringLiteral("Album"));
    REQUIRE(store.edit(*p, {{QStringLiteral("tags"), QStringLiteral("rock, demo")}}).ok());
    auto tree = store.load();
    CHECK(tree->collections[0].projects[0].data["tags"] == Json({"rock", "demo"}));

    auto unknown = store.edit(*p, {{QStringLiteral("colour"), QStringLiteral("red")}});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().message.contains(QStringLiteral("no field \"colour\"")));
    CHECK_FALSE(store.edit(*p, {{QStringLiteral("tempo"), QStringLiteral("fast")}}).ok());
    CHECK_FALSE(store.edit(*p, {{QStringLiteral("tempo"), QStringLiteral("100000")}}).ok());
    CHECK_FALSE(store.edit(*p, {{QStringLiteral("name"), QString()}}).ok());
    CHECK_FALSE(store.edit(*p, {{QStringLiteral("created_at"), QStringLiteral("2020-01-01T00:00:00Z")}}).ok());
    CHECK_FALSE(store.edit(*c, {{QStringLiteral("pan"), QStringLiteral("0.5")}}).ok()); // tracks only
}

TEST_CASE("items resolve by id or unambiguous name")
{
    test::TempDir dir;
    VaultStore store(dir.path());
    auto a = store.addCollection(QStringLiteral("Demos"));
    auto b = store.addCollection(QStringLiteral("demos"));
    auto ambiguous = store.resolve(QStringLiteral("Demos"));
    REQUIRE_FALSE(ambiguous.ok());
    CHECK(ambiguous.error().code == QStringLiteral("ambiguous"));
    CHECK(store.resolve(*a)->id == *a);
    CHECK(store.resolve(QStringLiteral("nothing")).error().code == QStringLiteral("not_found"));
}

TEST_CASE("removing an item removes what is under it and nothing else")
{
    test::TempDir dir;
    VaultStore store(dir.path());
    auto c1 = store.addCollection(QStringLiteral("Keep"));
    auto c2 = store.addCollection(QStringLiteral("Drop"));
    auto p = store.addProject(*c2, QStringLiteral("P"));
    REQUIRE(store.addMix(*p, QStringLiteral("M")).ok());
    REQUIRE(store.remove(QStringLiteral("Drop")).ok());
    auto tree = store.load();
    REQUIRE(tree->collections.size() == 1);
    CHECK(tree->collections[0].id == *c1);
    CHECK_FALSE(QDir(dir.filePath(QStringLiteral("collections/") + *c2)).exists());
}
