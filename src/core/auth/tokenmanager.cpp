#include <muze/auth/tokenmanager.h>

#include <muze/auth/http.h>
#include <muze/util/clock.h>
#include <muze/util/logging.h>

#include <QNetworkAccessManager>

#include <algorithm>

namespace muze::auth {

TokenManager::TokenManager(std::shared_ptr<TokenStore> store, Refresher refresher, int marginSeconds)
    : m_store(std::move(store)), m_refresher(std::move(refresher)), m_margin(marginSeconds)
{
}

Status TokenManager::ensureLoaded()
{
    if (m_loaded)
        return {};
    auto loaded = m_store->load();
    if (!loaded)
        return loaded.error();
    if (!loaded->has_value())
        return makeError(QStringLiteral("not connected to Dropbox (run \"muze-cli dropbox connect\")"), errc::auth);
    m_tokens = **loaded;
    m_loaded = true;
    return {};
}

Result<QString> TokenManager::accessToken()
{
    if (Status s = ensureLoaded(); !s)
        return s.error();
    // Refresh `margin` before expiry, or at the last quarter of a short-lived token's life.
    qint64 margin = m_margin;
    if (m_tokens.obtainedAt.isValid() && m_tokens.expiresAt.isValid())
        margin = std::min<qint64>(margin, m_tokens.obtainedAt.secsTo(m_tokens.expiresAt) / 4);
    const bool expiring = m_tokens.expiresAt.isValid() && clock().now().addSecs(margin) >= m_tokens.expiresAt;
    if (m_tokens.accessToken.isEmpty() || expiring) {
        qCDebug(lcAuth) << "access token expires at" << m_tokens.expiresAt << "- refreshing";
        return refreshNow();
    }
    return m_tokens.accessToken;
}

Result<QString> TokenManager::refreshNow()
{
    if (Status s = ensureLoaded(); !s)
        return s.error();
    if (m_tokens.refreshToken.isEmpty())
        return makeError(QStringLiteral("the Dropbox sign-in expired (connect again)"), errc::auth);
    auto refreshed = m_refresher(m_tokens);
    if (!refreshed)
        return refreshed.error();
    m_tokens = *refreshed;
    if (Status saved = m_store->save(m_tokens); !saved)
        qCWarning(lcAuth) << "refreshed token not saved:" << saved.errorString();
    return m_tokens.accessToken;
}

std::shared_ptr<TokenManager> keychainTokenManager(const QString& appKey, const DropboxEndpoints& endpoints,
                                                   const std::atomic<bool>* cancel)
{
    return std::make_shared<TokenManager>(std::make_shared<KeychainTokenStore>(appKey), httpRefresher(endpoints, cancel));
}

TokenManager::Refresher httpRefresher(DropboxEndpoints endpoints, const std::atomic<bool>* cancel)
{
    return [endpoints = std::move(endpoints), cancel](const Tokens& current) -> Result<Tokens> {
        QNetworkAccessManager nam; // rare (hours apart): one per refresh, always in the calling thread
        HttpRequest req;
        req.url = endpoints.token();
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        req.body = formEncode({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                               {QStringLiteral("refresh_token"), current.refreshToken},
                               {QStringLiteral("client_id"), current.appKey}});
        req.idleTimeoutMs = 30000;
        HttpHooks hooks;
        hooks.cancel = cancel;
        auto reply = sendBlocking(nam, req, hooks);
        if (!reply)
            return reply.error();
        auto json = parseJson(reply->body, QStringLiteral("the token endpoint's answer"));
        const QString err = json && json->is_object() ? jsonString(*json, "error") : QString();
        const QString why = json && json->is_object() ? jsonString(*json, "error_description") : QString();
        // invalid_grant: the refresh token was revoked (signed out elsewhere, app unlinked) or
        // expired for good; only a new sign-in helps. Any other 400 is a bad request, not "offline".
        if (reply->status == 401 || (reply->status == 400 && err == QLatin1String("invalid_grant"))) {
            return makeError(QStringLiteral("Dropbox refused the sign-in (%1%2): connect again")
                                 .arg(err.isEmpty() ? QString::number(reply->status) : err,
                                     why.isEmpty() ? QString() : QStringLiteral(": ") + why),
                errc::auth);
        }
        if (reply->status == 400) {
            const QString text = err.isEmpty() ? QString::fromUtf8(reply->body.left(300)).trimmed()
                                               : why.isEmpty() ? err : err + QStringLiteral(": ") + why;
            return makeError(QStringLiteral("token refresh refused: %1").arg(text), errc::io);
        }
        if (reply->status == 429)
            return makeError(QStringLiteral("Dropbox is rate limiting token refreshes"), errc::rate_limited);
        if (reply->status / 100 != 2 || !json)
            return makeError(QStringLiteral("token refresh failed: HTTP %1").arg(reply->status),
                reply->status >= 500 ? errc::offline : errc::io);
        return Tokens::fromTokenResponse(*json, clock().now(), current);
    };
}

Status revokeToken(QNetworkAccessManager& nam, const DropboxEndpoints& endpoints, const QString& accessToken)
{
    HttpRequest req;
    req.url = endpoints.apiRoute(QStringLiteral("auth/token/revoke"));
    req.headers = {{"Authorization", "Bearer " + accessToken.toUtf8()}, {"Content-Type", "application/json"}};
    req.body = "null";
    req.idleTimeoutMs = 30000;
    auto reply = sendBlocking(nam, req);
    if (!reply)
        return reply.error();
    if (reply->status == 200 || reply->status == 401) // 401: already invalid, which is the goal
        return {};
    return makeError(QStringLiteral("revoking the token failed: HTTP %1").arg(reply->status), errc::io);
}

} // namespace muze::auth
