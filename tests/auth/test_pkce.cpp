#include "catch.h"
#include "testsupport.h"

#include <muze/auth/dropboxconfig.h>
#include <muze/auth/http.h>
#include <muze/auth/pkce.h>
#include <muze/util/json.h>

#include <QFile>
#include <QRegularExpression>
#include <QSet>

using namespace muze;
using namespace muze::auth;

TEST_CASE("PKCE S256 challenge matches RFC 7636 appendix B")
{
    // The RFC's own example, also in tests/data/test-vectors.json.
    CHECK(codeChallengeS256(QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
          == QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));

    QFile vectors(test::sourcePath(QStringLiteral("tests/data/test-vectors.json")));
    REQUIRE(vectors.open(QIODevice::ReadOnly));
    auto json = parseJson(vectors.readAll(), vectors.fileName());
    REQUIRE(json.ok());
    const Json& v = (*json)["pkce_rfc7636_appendix_b"];
    CHECK(codeChallengeS256(jsonString(v, "code_verifier")) == jsonString(v, "code_challenge_S256"));
}

TEST_CASE("PKCE verifiers and states are fresh, long and URL-safe")
{
    const QRegularExpression unreserved(QStringLiteral("^[A-Za-z0-9._~-]+$"));
    QSet<QString> seen;
    for (int i = 0; i < 50; ++i) {
        const QString v = newCodeVerifier();
        CHECK(v.size() >= 43);
        CHECK(v.size() <= 128);
        CHECK(unreserved.match(v).hasMatch());
        CHECK(!seen.contains(v));
        seen.insert(v);
        CHECK(codeChallengeS256(v).size() == 43);
        CHECK(newOAuthState().size() >= 22);
    }
}

TEST_CASE("form bodies escape every reserved byte")
{
    CHECK(formEncode({{QStringLiteral("a"), QStringLiteral("x+y z&=/%")}, {QStringLiteral("b"), QStringLiteral("é")}})
          == QByteArray("a=x%2By%20z%26%3D%2F%25&b=%C3%A9"));
}

TEST_CASE("endpoints default to real Dropbox and follow the environment")
{
    qunsetenv("MUZE_DROPBOX_API_URL");
    qunsetenv("MUZE_DROPBOX_AUTH_URL");
    DropboxEndpoints d = DropboxEndpoints::fromEnvironment();
    CHECK(d.api == QUrl(QStringLiteral("https://api.dropboxapi.com")));
    CHECK(d.token() == QUrl(QStringLiteral("https://api.dropboxapi.com/oauth2/token")));
    CHECK(d.contentRoute(QStringLiteral("files/download"))
          == QUrl(QStringLiteral("https://content.dropboxapi.com/2/files/download")));
    CHECK(d.authorize == QUrl(QStringLiteral("https://www.dropbox.com/oauth2/authorize")));

    qputenv("MUZE_DROPBOX_API_URL", "https://127.0.0.1:4443/");
    qputenv("MUZE_DROPBOX_AUTH_URL", "https://127.0.0.1:4443");
    d = DropboxEndpoints::fromEnvironment();
    CHECK(d.apiRoute(QStringLiteral("files/list_folder"))
          == QUrl(QStringLiteral("https://127.0.0.1:4443/2/files/list_folder")));
    CHECK(d.authorize == QUrl(QStringLiteral("https://127.0.0.1:4443/oauth2/authorize")));
    qunsetenv("MUZE_DROPBOX_API_URL");
    qunsetenv("MUZE_DROPBOX_AUTH_URL");
}
