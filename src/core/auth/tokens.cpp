#include <muze/auth/tokens.h>

#include <muze/util/clock.h>

namespace muze::auth {

Json Tokens::toJson() const
{
    Json j = Json::object();
    j["access_token"] = toStd(accessToken);
    j["refresh_token"] = toStd(refreshToken);
    j["expires_at"] = expiresAt.isValid() ? toStd(isoTimestamp(expiresAt)) : std::string();
    j["obtained_at"] = obtainedAt.isValid() ? toStd(isoTimestamp(obtainedAt)) : std::string();
    j["account_id"] = toStd(accountId);
    j["uid"] = toStd(uid);
    j["app_key"] = toStd(appKey);
    return j;
}

Result<Tokens> Tokens::fromJson(const Json& json)
{
    if (!json.is_object())
        return makeError(QStringLiteral("stored Dropbox tokens are not a JSON object"), errc::corrupt);
    Tokens t;
    t.accessToken = jsonString(json, "access_token");
    t.refreshToken = jsonString(json, "refresh_token");
    const QString expires = jsonString(json, "expires_at");
    if (!expires.isEmpty())
        t.expiresAt = parseIsoTimestamp(expires);
    if (const QString obtained = jsonString(json, "obtained_at"); !obtained.isEmpty())
        t.obtainedAt = parseIsoTimestamp(obtained);
    t.accountId = jsonString(json, "account_id");
    t.uid = jsonString(json, "uid");
    t.appKey = jsonString(json, "app_key");
    if (t.accessToken.isEmpty() && t.refreshToken.isEmpty())
        return makeError(QStringLiteral("stored Dropbox tokens are empty"), errc::corrupt);
    return t;
}

Result<Tokens> Tokens::fromTokenResponse(const Json& response, const QDateTime& now, const Tokens& previous)
{
    Tokens t = previous;
    t.accessToken = jsonString(response, "access_token");
    if (t.accessToken.isEmpty())
        return makeError(QStringLiteral("the token endpoint sent no access_token"), errc::auth);
    const QString type = jsonString(response, "token_type", QStringLiteral("bearer"));
    if (type.compare(QStringLiteral("bearer"), Qt::CaseInsensitive) != 0)
        return makeError(QStringLiteral("unexpected token type \"%1\"").arg(type), errc::auth);
    const QString refresh = jsonString(response, "refresh_token");
    if (!refresh.isEmpty())
        t.refreshToken = refresh;
    // At most ten years: a server's 1e300 must not overflow the clock (undefined behaviour).
    const qint64 expiresIn = jsonInteger(response, "expires_in", -1, -1, 10LL * 366 * 24 * 3600);
    t.expiresAt = expiresIn >= 0 ? now.addSecs(expiresIn) : QDateTime();
    t.obtainedAt = now;
    if (const QString a = jsonString(response, "account_id"); !a.isEmpty())
        t.accountId = a;
    if (const QString u = jsonString(response, "uid"); !u.isEmpty())
        t.uid = u;
    return t;
}

} // namespace muze::auth
