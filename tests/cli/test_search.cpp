// `muze-cli search`: names, notes and tags, in a plain vault and in an encrypted one, where the
// answer comes from the blind index (docs/FORMAT.md §4) and that index holds no word.
#include "catch.h"
#include "testsupport.h"

#include <muze/util/json.h>

#include <QDir>
#include <QRegularExpression>

using namespace muze;

namespace {

struct Device {
    test::TempDir dir;
    QString config = dir.filePath(QStringLiteral("config"));
    QString vault = dir.filePath(QStringLiteral("vault"));
    QStringList env{QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-search")};

    test::ProcessResult operator()(QStringList args) const
    {
        args = QStringList{QStringLiteral("--config-dir"), config} + args;
        return test::run(test::builtBinary(QStringLiteral("muze-cli")), args, {}, 60000, env);
    }
    QString ok(const QStringList& args) const
    {
        auto r = (*this)(args);
        INFO(args.join(QLatin1Char(' ')).toStdString() << " -> " << r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        return QString::fromUtf8(r.out).trimmed();
    }
    Json search(const QStringList& words) const
    {
        auto j = parseJson(ok(QStringList{QStringLiteral("--json"), QStringLiteral("search")} + words).toUtf8(),
            QStringLiteral("stdout"));
        REQUIRE(j.ok());
        return *j;
    }
};

QStringList names(const Json& doc)
{
    QStringList out;
    for (const Json& r : doc["results"])
        out << QString::fromStdString(r["name"].get<std::string>());
    return out;
}

// A band's vault: words in names, notes (with an accent, typed decomposed) and tags.
void fill(const Device& d)
{
    d.ok({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Live sets")});
    d.ok(
        {QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("Live sets"), QStringLiteral("Summer tour")});
    const QString mix = d.ok(
        {QStringLiteral("mix"), QStringLiteral("add"), QStringLiteral("Summer tour"), QStringLiteral("Opening song")});
    d.ok({QStringLiteral("mix"), QStringLiteral("add"), QStringLiteral("Summer tour"), QStringLiteral("Encore")});
    d.ok({QStringLiteral("edit"), mix, QStringLiteral("notes=Recorded in Ko\u0308ln, second night"),
        QStringLiteral("tags=drums,live")});
}

} // namespace

TEST_CASE("search: a plain vault finds items by name, notes and tags, whatever the case or accents")
{
    Device d;
    d.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), QStringLiteral("--provider"),
        QStringLiteral("local"), QStringLiteral("--path"), d.vault});
    fill(d);
    CHECK(names(d.search({QStringLiteral("SUMMER")})) == QStringList{QStringLiteral("Summer tour")});
    CHECK(names(d.search({QStringLiteral("k\u00f6ln")})) == QStringList{QStringLiteral("Opening song")}); // NFC vs NFD
    CHECK(names(d.search({QStringLiteral("live")}))
        == QStringList({QStringLiteral("Live sets"), QStringLiteral("Opening song")}));
    CHECK(names(d.search({QStringLiteral("live"), QStringLiteral("drums")}))
        == QStringList{QStringLiteral("Opening song")});
    const Json none = d.search({QStringLiteral("polka")});
    CHECK(none["results"].empty());
    CHECK(none["index"] == "plain");
    CHECK(
        d.ok({QStringLiteral("search"), QStringLiteral("polka")}).contains(QStringLiteral("Nothing in Band matches")));
    CHECK(d({QStringLiteral("search")}).exitCode == 2);
    CHECK(d({QStringLiteral("search"), QStringLiteral("--")}).exitCode == 2);
}

TEST_CASE("search: an encrypted vault answers from blind tokens and the index reveals no word")
{
    Device d;
    const QString pw = d.dir.filePath(QStringLiteral("pw"));
    test::writeAll(pw, "correct horse battery staple\n");
    d.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), QStringLiteral("--provider"),
        QStringLiteral("local"), QStringLiteral("--path"), d.vault, QStringLiteral("--encrypt"),
        QStringLiteral("--password-file"), pw});
    fill(d);
    const Json first = d.search({QStringLiteral("koln")}); // no umlaut: a different word
    CHECK(first["index"] == "blind tokens");
    CHECK(first["index_updated"] == true);
    CHECK(first["results"].empty());
    const Json found = d.search({QStringLiteral("K\u00d6LN"), QStringLiteral("live")});
    CHECK(names(found) == QStringList{QStringLiteral("Opening song")});
    CHECK(found["index_updated"] == false); // nothing changed: the synced file is not rewritten

    const QString indexFile = d.vault + QStringLiteral("/.muze/search-index.json");
    const QByteArray index = test::readAll(indexFile);
    REQUIRE(!index.isEmpty());
    for (const char* word : {"summer", "Summer", "tour", "opening", "drums", "live", "Köln", "köln", "second"})
        CHECK_FALSE(index.contains(word));
    const auto doc = parseJson(index, QStringLiteral("index"));
    REQUIRE(doc.ok());
    int tokens = 0;
    const QRegularExpression tokenShape(QStringLiteral("^[A-Za-z0-9_-]{22}$"));
    for (const auto& [id, list] : (*doc)["items"].items()) {
        for (const Json& t : list) {
            CHECK(tokenShape.match(QString::fromStdString(t.get<std::string>())).hasMatch());
            ++tokens;
        }
    }
    CHECK(tokens >= 12);

    // An edit is found at once (the index follows the model), and the old words are gone.
    d.ok({QStringLiteral("edit"), QStringLiteral("Encore"), QStringLiteral("name=Finale")});
    CHECK(names(d.search({QStringLiteral("finale")})) == QStringList{QStringLiteral("Finale")});
    CHECK(d.search({QStringLiteral("encore")})["results"].empty());

    // Locked on this device: no keys, no search — a clear error, nothing written.
    d.ok({QStringLiteral("keys"), QStringLiteral("lock")});
    const QByteArray before = test::readAll(indexFile);
    auto locked = d({QStringLiteral("search"), QStringLiteral("finale")});
    CHECK(locked.exitCode == 1);
    CHECK(locked.err.contains("locked"));
    CHECK(test::readAll(indexFile) == before);
}
