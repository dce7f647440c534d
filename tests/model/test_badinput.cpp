#include "catch.h"
#include "testsupport.h"

#include <muze/model/vaultstore.h>

#include <QDir>

using namespace muze;
using namespace muze::model;

namespace {

struct Fixture {
    test::TempDir dir;
    VaultStore store{dir.path()};
    QString good;
    Fixture()
    {
        good = *store.addCollection(QStringLiteral("Good"));
        REQUIRE(store.addProject(good, QStringLiteral("Still here")).ok());
    }
    void writeCollection(const QString& id, const QByteArray& content)
    {
        test::writeAll(dir.filePath(QStringLiteral("collections/%1/collection.json").arg(id)), content);
    }
};

} // namespace

TEST_CASE("corrupt or hostile JSON is reported by file and the rest of the vault opens")
{
    struct Case {
        const char* what;
        QByteArray content;
        const char* expect;
    };
    const std::vector<Case> cases = {
        {"truncated", "{\"id\": \"bad1\", \"name\": ", "invalid JSON"},
        {"not an object", "[1, 2, 3]", "expected a JSON object"},
        {"missing id", "{\"name\": \"x\"}", "missing \"id\""},
        {"id that is a path", "{\"id\": \"../../etc\", \"name\": \"x\"}", "not a valid id"},
        {"id that does not match its folder", "{\"id\": \"other\", \"name\": \"x\"}", "does not match"},
        {"wrong type", "{\"id\": \"bad1\", \"name\": 42}", "\"name\" must be text"},
        {"tags of the wrong type", "{\"id\": \"bad1\", \"name\": \"x\", \"tags\": \"rock\"}", "\"tags\" must be a list"},
        {"number overflow", "{\"id\": \"bad1\", \"name\": \"x\", \"notes\": 1e999}", "invalid JSON"},
        {"deep nesting", QByteArray(5000, '[') + QByteArray(5000, ']'), "nested deeper"},
        {"newer format", "{\"format\": 99, \"id\": \"bad1\", \"name\": \"x\"}", "newer Muze"},
        {"binary garbage", QByteArray("\x00\xff\xfe{", 4), "invalid JSON"},
    };
    for (const Case& c : cases) {
        DYNAMIC_SECTION(c.what)
        {
            Fixture f;
            f.writeCollection(QStringLiteral("bad1"), c.content);
            auto tree = f.store.load();
            REQUIRE(tree.ok());
            REQUIRE(tree->issues.size() == 1);
            CHECK(tree->issues[0].file == QStringLiteral("collections/bad1/collection.json"));
            CHECK(tree->issues[0].message.startsWith(QStringLiteral("collections/bad1/collection.json: ")));
            CHECK(tree->issues[0].message.contains(QString::fromLatin1(c.expect)));
            REQUIRE(tree->collections.size() == 1); // the good one still opens, with its project
            CHECK(tree->collections[0].id == f.good);
            CHECK(tree->collections[0].projects.size() == 1);
        }
    }
}

TEST_CASE("the tempo of a project must be a sane number")
{
    Fixture f;
    auto p = f.store.resolve(QStringLiteral("Still here"));
    test::writeAll(f.store.absolute(p->file), "{\"id\": \"" + p->id.toUtf8() + "\", \"name\": \"P\", \"tempo\": 1e300}");
    auto tree = f.store.load();
    REQUIRE(tree->issues.size() == 1);
    CHECK(tree->issues[0].message.contains(QStringLiteral("\"tempo\" must be between 20 and 999")));
    CHECK(tree->collections[0].projects.empty());
}

TEST_CASE("a bad track is skipped but kept in its mix file")
{
    Fixture f;
    auto p = f.store.resolve(QStringLiteral("Still here"));
    auto m = f.store.addMix(p->id, QStringLiteral("M"));
    auto mix = f.store.resolve(*m);
    test::writeAll(f.store.absolute(mix->file),
                   "{\"id\": \"" + m->toUtf8() + "\", \"name\": \"M\", \"tracks\": [{\"id\": \"t1\", \"name\": \"ok\"},"
                   " {\"id\": \"/abs\", \"name\": \"evil\"}, {\"id\": \"t3\", \"name\": \"x\", \"pan\": \"left\"}]}");
    auto tree = f.store.load();
    REQUIRE(tree->collections[0].projects[0].mixes.size() == 1);
    CHECK(tree->collections[0].projects[0].mixes[0].tracks.size() == 1);
    CHECK(tree->issues.size() == 2);
    REQUIRE(f.store.edit(QStringLiteral("t1"), {{QStringLiteral("name"), QStringLiteral("renamed")}}).ok());
    const QByteArray after = test::readAll(f.store.absolute(mix->file));
    CHECK(after.contains("/abs")); // never dropped: nothing is lost
    CHECK(after.contains("\"left\""));
}

TEST_CASE("folders that are not ids are ignored, not followed")
{
    Fixture f;
    test::writeAll(f.dir.filePath(QStringLiteral("collections/Not An Id/collection.json")), "{\"id\":\"x\",\"name\":\"y\"}");
    auto tree = f.store.load();
    CHECK(tree->collections.size() == 1);
    CHECK(tree->issues.empty());
}
