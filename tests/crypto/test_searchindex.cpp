#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"

#include <muze/crypto/searchindex.h>

#include <sodium.h>

using namespace muze;
using namespace muze::crypto;
using test::codeOf;

namespace {

SearchIndex makeIndex(const UnlockedKeys& keys)
{
    auto index = SearchIndex::create(keys);
    REQUIRE(index.ok());
    return std::move(index.value());
}

QStringList q(std::initializer_list<const char*> items)
{
    QStringList out;
    for (const char* s : items)
        out.append(QString::fromUtf8(s));
    return out;
}

} // namespace

TEST_CASE("search words are NFC, lower case, split on non-letters")
{
    CHECK(SearchIndex::words(QStringLiteral("Bass-Take #2: DRUMS & vox")) == q({"bass", "take", "2", "drums", "vox"}));
    // A decomposed É becomes the composed é.
    CHECK(SearchIndex::words(QStringLiteral("Cafe\u0301 E\u0301TE\u0301")) == q({"caf\u00e9", "\u00e9t\u00e9"}));
    CHECK(SearchIndex::words(QStringLiteral("Straße Ünïcode")) == q({"straße", "ünïcode"}));
    CHECK(SearchIndex::words(QStringLiteral("  ... ")).isEmpty());
}

TEST_CASE("tokens are truncated HMAC-SHA256 of the normalised word under the search key")
{
    auto keys = test::makeKeys();
    const SearchIndex index = makeIndex(*keys);
    unsigned char mac[32];
    const QByteArray word = QStringLiteral("caf\u00e9").toUtf8();
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(word.constData()), quint64(word.size()),
                           keys->searchKey(keys->activeKeyId())->data());
    const QString expected = QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(mac), 16)
                                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    CHECK(index.token(QStringLiteral("CAFE\u0301")) == expected);
    CHECK(index.token(QStringLiteral("café")).size() == 22);
    CHECK(makeIndex(*test::makeKeys()).token(QStringLiteral("café")) != expected); // another vault, another token
}

TEST_CASE("the search index finds items holding every query word and reveals no words")
{
    auto keys = test::makeKeys();
    SearchIndex index = makeIndex(*keys);
    index.setItem(QStringLiteral("t1"), {QStringLiteral("Bass take"), QStringLiteral("warm, round"), QStringLiteral("demo")});
    index.setItem(QStringLiteral("t2"), {QStringLiteral("Drum take"), QStringLiteral("Roomy")});
    index.setItem(QStringLiteral("m1"), {QStringLiteral("Sunday mix"), QStringLiteral("demo bass")});
    CHECK(index.query(QStringLiteral("take")) == q({"t1", "t2"}));
    CHECK(index.query(QStringLiteral("BASS demo")) == q({"m1", "t1"}));
    CHECK(index.query(QStringLiteral("bass drum")).isEmpty());
    CHECK(index.query(QStringLiteral("ba")).isEmpty()); // whole words only
    CHECK(index.query(QStringLiteral("")).isEmpty());
    index.setItem(QStringLiteral("t2"), {QStringLiteral("Snare")});
    CHECK(index.query(QStringLiteral("take")) == q({"t1"}));
    index.removeItem(QStringLiteral("t1"));
    CHECK(index.query(QStringLiteral("take")).isEmpty());

    const QByteArray text = dumpJson(index.toJson());
    for (const char* word : {"bass", "Bass", "snare", "Snare", "demo", "sunday", "mix"})
        CHECK_FALSE(text.contains(word));
}

TEST_CASE("the search index saves, loads, and refuses foreign or damaged files")
{
    auto keys = test::makeKeys({1});
    test::TempDir dir;
    const QString path = dir.filePath(kSearchIndexFile);
    auto fresh = SearchIndex::load(path, *keys); // missing: empty
    REQUIRE(fresh.ok());
    CHECK(fresh->itemCount() == 0);
    fresh->setItem(QStringLiteral("p1"), {QStringLiteral("Night session")});
    REQUIRE(fresh->save(path).ok());

    auto loaded = SearchIndex::load(path, *keys);
    REQUIRE(loaded.ok());
    CHECK(loaded->keyId() == 1);
    CHECK(loaded->query(QStringLiteral("night")) == q({"p1"}));

    // After a rotation the index keeps its key until it is rebuilt.
    auto rotated = keys->clone();
    rotated.add(2, SecretBytes::random(32));
    rotated.setActiveKeyId(2);
    auto stillOld = SearchIndex::load(path, rotated);
    REQUIRE(stillOld.ok());
    CHECK(stillOld->keyId() == 1);
    CHECK(stillOld->query(QStringLiteral("session")) == q({"p1"}));

    CHECK(codeOf(SearchIndex::load(path, *test::makeKeys({5}))) == "unknown_key");
    Json j = loaded->toJson();
    j["items"]["p1"][0] = "plain words";
    CHECK(codeOf(SearchIndex::fromJson(j, *keys)) == "corrupt_index");
    j = loaded->toJson();
    j["format"] = 9;
    CHECK(codeOf(SearchIndex::fromJson(j, *keys)) == "unsupported_version");
}
