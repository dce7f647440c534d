// Dropbox wire details without a server: Dropbox-API-Arg escaping, path mapping and the
// rejection of hostile server paths, upload session error parsing.
#include "catch.h"

#include <muze/remote/dropboxclient.h>
#include <muze/remote/dropboxparse.h>
#include <muze/remote/dropboxpaths.h>

using namespace muze;
using namespace muze::remote;

TEST_CASE("Dropbox-API-Arg is pure ASCII: other characters go as JSON u-escapes")
{
    // é (U+00E9), 🎸 (U+1F3B8, a surrogate pair), DEL, a quote and a control character.
    const Json arg = {{"path", "/Apps/Muze/Café/🎸 take\x7f\"1\"\x01.wav"}};
    const QByteArray header = dropboxApiArg(arg);
    for (char c : header)
        CHECK((uchar(c) >= 0x20 && uchar(c) < 0x7f));
    CHECK(header == QByteArray(R"({"path":"/Apps/Muze/Caf\u00e9/\ud83c\udfb8 take\u007f\"1\"\u0001.wav"})"));
    // And it parses back to the same value.
    auto back = parseJson(header, QStringLiteral("header"));
    REQUIRE(back.ok());
    CHECK(*back == arg);
}

TEST_CASE("vault paths map into the vault's Dropbox folder, NFC")
{
    DropboxPathMapper m(QStringLiteral("/Apps/Muze/Band/"));
    CHECK(m.folder() == QStringLiteral("/Apps/Muze/Band"));
    CHECK(*m.toServer(QString()) == QStringLiteral("/Apps/Muze/Band"));
    CHECK(*m.toServer(QStringLiteral("collections/a/b.json")) == QStringLiteral("/Apps/Muze/Band/collections/a/b.json"));
    // A decomposed é (e + U+0301) goes out composed.
    const QString decomposed = QStringLiteral("Cafe\u0301.wav");
    CHECK(*m.toServer(decomposed) == QStringLiteral("/Apps/Muze/Band/Caf\u00e9.wav"));

    for (const char* bad : {"../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", "a\\b", "a/", "."}) {
        auto r = m.toServer(QString::fromLatin1(bad));
        INFO(bad);
        REQUIRE(!r.ok());
        CHECK(r.error().code == QStringLiteral("hostile_path"));
    }
    CHECK(m.toServer(QStringLiteral("a") + QChar(0) + QStringLiteral("b")).error().code == QStringLiteral("hostile_path"));

    DropboxPathMapper whole(QStringLiteral("/"));
    CHECK(whole.folder().isEmpty());
    CHECK(*whole.toServer(QStringLiteral("x/y")) == QStringLiteral("/x/y"));
}

TEST_CASE("server entries map back case-preserving, and hostile ones are refused")
{
    DropboxPathMapper m(QStringLiteral("/Apps/Muze/Band"));
    // path_display keeps the user's case; the folder's own case on the server does not matter.
    CHECK(*m.toRelative(QStringLiteral("/apps/muze/band/audio/take 1.wav"), QStringLiteral("/apps/MUZE/band/Audio/Take 1.wav"))
          == QStringLiteral("Audio/Take 1.wav"));
    CHECK(*m.toRelative(QStringLiteral("/apps/muze/band/x.json"), QString()) == QStringLiteral("x.json"));
    CHECK(m.toRelative(QStringLiteral("/apps/muze/band"), QStringLiteral("/Apps/Muze/Band"))->isEmpty());
    // NFC on the way in as well.
    CHECK(*m.toRelative(QStringLiteral("/apps/muze/band/cafe\u0301"), QStringLiteral("/Apps/Muze/Band/Cafe\u0301"))
          == QStringLiteral("Caf\u00e9"));

    const std::pair<const char*, const char*> hostile[] = {
        {"/apps/muze/band/../../etc/passwd", "/Apps/Muze/Band/../../etc/passwd"},
        {"/apps/muze/band/a/../../other", ""},
        {"/apps/muze/bandit/x", "/Apps/Muze/Bandit/x"},     // a sibling sharing the prefix
        {"/apps/other/x", "/Apps/Other/x"},                  // outside the folder
        {"apps/muze/band/x", "apps/Muze/Band/x"},            // not absolute
        {"/apps/muze/band//x", "/Apps/Muze/Band//x"},
        {"/apps/muze/band/a\\b", "/Apps/Muze/Band/a\\b"},
        {"/apps/muze/band/x", "/Apps/Muze/Band/y"},          // display and lower disagree
        {"/apps/muze/band/x", "/Apps/Muze/Band/x/../x"},
        {"/apps/muze/band/./x", "/Apps/Muze/Band/./x"},
    };
    for (const auto& [lower, display] : hostile) {
        INFO(lower << " | " << display);
        auto r = m.toRelative(QString::fromUtf8(lower), QString::fromUtf8(display));
        REQUIRE(!r.ok());
        CHECK(r.error().code == QStringLiteral("hostile_path"));
    }
    auto nul = m.toRelative(QStringLiteral("/apps/muze/band/a") + QChar(0), QString());
    REQUIRE(!nul.ok());
    CHECK(nul.error().code == QStringLiteral("hostile_path"));
}

TEST_CASE("correct_offset is found wherever a session error nests it")
{
    CHECK(dropboxCorrectOffset(Json::parse(R"({".tag": "incorrect_offset", "correct_offset": 42})")) == 42);
    CHECK(dropboxCorrectOffset(Json::parse(
              R"({".tag": "lookup_failed", "lookup_failed": {".tag": "incorrect_offset", "correct_offset": 7}})"))
          == 7);
    CHECK(dropboxCorrectOffset(Json::parse(R"({".tag": "not_found"})")) == -1);
}
