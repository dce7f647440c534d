#pragma once
// The OAuth2 tokens of one Dropbox sign-in. They are secrets: they live in the OS keychain
// (TokenStore) and in memory, never in a file or a log line.

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QDateTime>
#include <QString>

namespace muze::auth {

struct Tokens {
    QString accessToken;
    QString refreshToken; // long-lived ("token_access_type=offline"); empty = cannot refresh
    QDateTime expiresAt;  // UTC; invalid = never expires
    QDateTime obtainedAt; // when the access token was issued (sets the refresh margin)
    QString accountId;
    QString uid;
    QString appKey;       // the app the tokens were issued to

    bool valid() const { return !accessToken.isEmpty(); }

    Json toJson() const;
    static Result<Tokens> fromJson(const Json& json);
    /// A token endpoint answer ({access_token, expires_in, refresh_token?, ...}) at time `now`.
    /// Fields the answer leaves out (a refresh answer has no refresh_token) keep `previous`.
    static Result<Tokens> fromTokenResponse(const Json& response, const QDateTime& now, const Tokens& previous = {});
};

} // namespace muze::auth
