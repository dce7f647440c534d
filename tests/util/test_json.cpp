#include "catch.h"

#include <muze/util/ids.h>
#include <muze/util/json.h>

using namespace muze;

TEST_CASE("parseJson rejects corrupt, deep and overflowing documents with the source named")
{
    auto bad = parseJson("{\"a\": ", QStringLiteral("x/mix.json"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.startsWith(QStringLiteral("x/mix.json: invalid JSON")));
    CHECK(bad.error().code == QStringLiteral("corrupt_json"));

    auto deep = parseJson(QByteArray(100000, '['), QStringLiteral("deep.json"));
    REQUIRE_FALSE(deep.ok());
    CHECK(deep.error().message.contains(QStringLiteral("nested deeper")));

    auto huge = parseJson("{\"tempo\": 1e400}", QStringLiteral("big.json"));
    REQUIRE_FALSE(huge.ok());

    auto okDoc = parseJson("{\"s\": \"[[[[\", \"n\": [1,2]}", QStringLiteral("ok.json"));
    REQUIRE(okDoc.ok());
    CHECK(jsonString(*okDoc, "s") == QStringLiteral("[[[["));
    CHECK(jsonNumber(*okDoc, "s", 7.0) == 7.0);
}

TEST_CASE("ids are lowercase, unique and never paths")
{
    const QString a = newId();
    CHECK(a.size() == 16);
    CHECK(isValidId(a));
    CHECK(a != newId());
    for (const char* bad : {"", "..", "../x", "a/b", "A", "-x", "x y", "x\\y"})
        CHECK_FALSE(isValidId(QString::fromLatin1(bad)));
    CHECK_FALSE(isValidId(QString(65, QLatin1Char('a'))));
}
