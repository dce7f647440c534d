// Any reply that carries an HTTP status is an answer, never "offline": a revoked refresh token
// (400 invalid_grant from the token endpoint) asks the user to sign in again, and an API 400
// (a bad argument) is reported with Dropbox's own text at once, without retries.
#include "catch.h"
#include "emulator.h"

#include <muze/auth/http.h>
#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/util/clock.h>

#include <QNetworkAccessManager>

using namespace muze;
using namespace muze::remote;
using muze::test::Emulator;

TEST_CASE("a revoked refresh token asks to sign in again instead of waiting to be online")
{
    Emulator emu;
    emu.signIn();
    auth::KeychainTokenStore store(emu.appKey());
    auto tokens = store.load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    // Signed out elsewhere (revoking the access token revokes its refresh token too), and the
    // access token this device holds has run out: the next call must refresh.
    QNetworkAccessManager nam;
    REQUIRE(auth::revokeToken(nam, emu.endpoints(), (*tokens)->accessToken).ok());
    auth::Tokens stale = **tokens;
    stale.obtainedAt = muze::clock().now().addSecs(-7200);
    stale.expiresAt = muze::clock().now().addSecs(-60);
    REQUIRE(store.save(stale).ok());

    // The token endpoint itself answers 400 invalid_grant.
    auth::HttpRequest req;
    req.url = emu.endpoints().token();
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.body = auth::formEncode({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                 {QStringLiteral("refresh_token"), stale.refreshToken},
                                 {QStringLiteral("client_id"), emu.appKey()}});
    auto raw = auth::sendBlocking(nam, req);
    INFO((raw ? std::string() : raw.errorString().toStdString()));
    REQUIRE(raw.ok()); // an answer, not "offline"
    CHECK(raw->status == 400);
    CHECK(raw->body.contains("invalid_grant"));

    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Revoked"));
    auto listed = remote->listChanges(QString());
    REQUIRE(!listed.ok());
    INFO(listed.errorString().toStdString());
    CHECK(listed.error().code == QStringLiteral("auth"));
    CHECK(listed.errorString().contains(QStringLiteral("invalid_grant")));
    CHECK(remote->client().stats().retries == 0);
}

TEST_CASE("a bad argument is reported with Dropbox's explanation and not retried")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Bad"));
    // Dropbox wants the root as "", never "/": a 400 with a plain-text explanation.
    auto answer = remote->client().rpc(QStringLiteral("files/list_folder"), Json{{"path", "/"}});
    REQUIRE(!answer.ok());
    INFO(answer.errorString().toStdString());
    CHECK(answer.error().code == QStringLiteral("io"));
    CHECK(answer.errorString().contains(QStringLiteral("files/list_folder")));
    CHECK(answer.errorString().contains(QStringLiteral("Error in call to API function")));
    CHECK(remote->client().lastError().status == 400);
    CHECK(remote->client().stats().requests == 1);
    CHECK(remote->client().stats().retries == 0);
}
