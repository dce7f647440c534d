// The ways a sign-in code comes back besides the loopback listener: a pasted code (when the
// registered port is taken, or asked for), and the app's URL scheme com.krondor.muze://oauth.
#include "catch.h"

#include <muze/auth/oauthpkce.h>

#include <QTcpServer>
#include <QUrlQuery>

using namespace muze;
using namespace muze::auth;

namespace {

OAuthPkce::Options options(OAuthPkce::Redirect redirect, quint16 port = 0)
{
    OAuthPkce::Options o;
    o.appKey = QStringLiteral("testkey");
    o.port = port;
    o.redirect = redirect;
    o.endpoints.authorize = QUrl(QStringLiteral("https://dropbox.example/oauth2/authorize"));
    o.endpoints.api = QUrl(QStringLiteral("http://127.0.0.1:9")); // nothing listens: exchanges fail "offline"
    return o;
}

QString item(const QUrl& url, const char* name)
{
    return QUrlQuery(url).queryItemValue(QString::fromLatin1(name), QUrl::FullyDecoded);
}

} // namespace

TEST_CASE("a taken redirect port turns the sign-in into a pasted-code sign-in")
{
    QTcpServer squatter;
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    OAuthPkce flow(options(OAuthPkce::Redirect::Loopback, squatter.serverPort()));
    REQUIRE(flow.start().ok());
    CHECK(flow.mode() == OAuthPkce::Redirect::Paste);
    CHECK(flow.fallbackReason().contains(QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort())));
    const QUrl url = flow.authorizeUrl();
    CHECK(!QUrlQuery(url).hasQueryItem(QStringLiteral("redirect_uri")));
    CHECK(!QUrlQuery(url).hasQueryItem(QStringLiteral("state")));
    CHECK(item(url, "code_challenge_method") == QStringLiteral("S256"));
    CHECK(item(url, "token_access_type") == QStringLiteral("offline"));
    CHECK(flow.redirectUri().isEmpty());

    // The pasted code goes to the token endpoint (unreachable here: the error says so).
    flow.submitCode(QStringLiteral("  pasted-code \n"));
    auto result = flow.waitForTokens(10000);
    REQUIRE(!result.ok());
    CHECK(result.error().code == QStringLiteral("offline"));
}

TEST_CASE("without the fallback a taken port is an error")
{
    QTcpServer squatter;
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    OAuthPkce::Options o = options(OAuthPkce::Redirect::Loopback, squatter.serverPort());
    o.pasteWhenPortBusy = false;
    OAuthPkce flow(o);
    auto s = flow.start();
    REQUIRE(!s.ok());
    CHECK(s.errorString().contains(QStringLiteral("cannot listen")));
}

TEST_CASE("an empty pasted code ends the sign-in")
{
    OAuthPkce flow(options(OAuthPkce::Redirect::Paste));
    REQUIRE(flow.start().ok());
    flow.submitCode(QStringLiteral("   "));
    auto result = flow.waitForTokens(1000);
    REQUIRE(!result.ok());
    CHECK(result.error().code == QStringLiteral("auth"));
}

TEST_CASE("the app scheme redirect is com.krondor.muze://oauth and checks its state")
{
    OAuthPkce flow(options(OAuthPkce::Redirect::AppScheme));
    REQUIRE(flow.start().ok());
    const QUrl url = flow.authorizeUrl();
    CHECK(item(url, "redirect_uri") == QStringLiteral("com.krondor.muze://oauth"));
    const QString state = item(url, "state");
    CHECK(state.size() >= 22);

    // Not an answer to this sign-in: ignored.
    CHECK(!flow.handleRedirect(QUrl(QStringLiteral("https://example.com/oauth?code=x&state=") + state)));
    CHECK(!flow.handleRedirect(QUrl(QStringLiteral("com.krondor.muze://open?code=x&state=") + state)));
    CHECK(!flow.isFinished());

    // A forged state ends it.
    CHECK(flow.handleRedirect(QUrl(QStringLiteral("com.krondor.muze://oauth?code=x&state=forged"))));
    REQUIRE(flow.isFinished());
    CHECK(flow.result().error().code == QStringLiteral("auth"));
    CHECK(flow.result().errorString().contains(QStringLiteral("state")));
    // Once finished, later URLs are not taken.
    CHECK(!flow.handleRedirect(QUrl(QStringLiteral("com.krondor.muze://oauth?code=x&state=") + state)));
}

TEST_CASE("a declined approval through the app scheme says so")
{
    OAuthPkce flow(options(OAuthPkce::Redirect::AppScheme));
    REQUIRE(flow.start().ok());
    const QString state = item(flow.authorizeUrl(), "state");
    CHECK(flow.handleRedirect(QUrl(QStringLiteral("com.krondor.muze://oauth?error=access_denied&error_description="
                                                  "The+user+said+no&state=")
        + state)));
    REQUIRE(flow.isFinished());
    CHECK(flow.result().errorString().contains(QStringLiteral("not approved: The user said no")));
}

TEST_CASE("Switch account asks Dropbox for the account again")
{
    OAuthPkce::Options o = options(OAuthPkce::Redirect::Paste);
    o.forceReauthentication = true;
    OAuthPkce flow(o);
    REQUIRE(flow.start().ok());
    CHECK(item(flow.authorizeUrl(), "force_reauthentication") == QStringLiteral("true"));
}
