#include "catch.h"

#include <muze/auth/oauthpkce.h>
#include <muze/auth/pkce.h>

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>

using namespace muze;
using namespace muze::auth;

namespace {

OAuthPkce::Options testOptions()
{
    OAuthPkce::Options o;
    o.appKey = QStringLiteral("testkey");
    o.port = 0; // any free port
    o.endpoints.authorize = QUrl(QStringLiteral("https://dropbox.example/oauth2/authorize"));
    o.endpoints.api = QUrl(QStringLiteral("http://127.0.0.1:9")); // never reached in these tests
    return o;
}

// Plays the browser coming back to the redirect URI with `query`, once the flow waits.
void visitLater(QNetworkAccessManager& nam, const QUrl& redirect, const QString& query, QByteArray* page)
{
    QUrl url = redirect;
    url.setQuery(query);
    QTimer::singleShot(50, &nam, [&nam, url, page] {
        QNetworkReply* reply = nam.get(QNetworkRequest(url));
        QObject::connect(reply, &QNetworkReply::finished, reply, [reply, page] {
            *page = reply->readAll();
            reply->deleteLater();
        });
    });
}

} // namespace

TEST_CASE("the authorize URL asks for a PKCE S256 code with offline access")
{
    OAuthPkce flow(testOptions());
    REQUIRE(flow.start().ok());
    const QUrl url = flow.authorizeUrl();
    CHECK(url.host() == QStringLiteral("dropbox.example"));
    CHECK(url.path() == QStringLiteral("/oauth2/authorize"));
    const QUrlQuery q(url);
    auto item = [&q](const char* name) { return q.queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded); };
    CHECK(item("client_id") == QStringLiteral("testkey"));
    CHECK(item("response_type") == QStringLiteral("code"));
    CHECK(item("code_challenge_method") == QStringLiteral("S256"));
    CHECK(item("code_challenge").size() == 43);
    CHECK(item("token_access_type") == QStringLiteral("offline"));
    CHECK(item("state").size() >= 22);
    const QUrl redirect(item("redirect_uri"));
    CHECK(redirect.scheme() == QStringLiteral("http"));
    CHECK(redirect.host() == QStringLiteral("127.0.0.1"));
    CHECK(redirect.port() == flow.port());
    CHECK(redirect.path() == kRedirectPath);
    CHECK(url.toString(QUrl::FullyEncoded).contains(QStringLiteral("redirect_uri=http%3A%2F%2F127.0.0.1%3A")));
}

TEST_CASE("the redirect listener refuses a wrong state")
{
    OAuthPkce flow(testOptions());
    REQUIRE(flow.start().ok());
    QNetworkAccessManager nam;
    QByteArray page;
    visitLater(nam, flow.redirectUri(), QStringLiteral("code=abc&state=forged"), &page);
    auto result = flow.waitForTokens(10000);
    REQUIRE(!result.ok());
    CHECK(result.error().code == QStringLiteral("auth"));
    CHECK(result.errorString().contains(QStringLiteral("state")));
}

TEST_CASE("a declined approval ends the sign-in with a clear error")
{
    OAuthPkce flow(testOptions());
    REQUIRE(flow.start().ok());
    const QString state = QUrlQuery(flow.authorizeUrl()).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
    QNetworkAccessManager nam;
    QByteArray page;
    visitLater(nam, flow.redirectUri(),
               QStringLiteral("error=access_denied&error_description=The+user+chose+not+to+give+your+app+access&state=")
                   + state,
               &page);
    auto result = flow.waitForTokens(10000);
    REQUIRE(!result.ok());
    CHECK(result.error().code == QStringLiteral("auth"));
    CHECK(result.errorString().contains(QStringLiteral("not approved")));
}

TEST_CASE("the sign-in gives up after its timeout and frees the port")
{
    OAuthPkce flow(testOptions());
    REQUIRE(flow.start().ok());
    auto result = flow.waitForTokens(100);
    REQUIRE(!result.ok());
    CHECK(result.error().code == QStringLiteral("timeout"));
}

TEST_CASE("the sign-in needs an app key")
{
    OAuthPkce::Options o = testOptions();
    o.appKey.clear();
    OAuthPkce flow(o);
    auto s = flow.start();
    REQUIRE(!s.ok());
    CHECK(s.errorString().contains(QStringLiteral("app key")));
}
