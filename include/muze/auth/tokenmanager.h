#pragma once
// Hands out a valid access token: loads tokens from a TokenStore on first use, refreshes
// them shortly before they expire (time from muze::clock(), a seam tests replace) and on
// demand after a 401 "expired_access_token", and saves refreshed tokens back.
//
// Threading: one TokenManager per thread (the sync worker's, or the CLI's); not shared.

#include <muze/auth/dropboxconfig.h>
#include <muze/auth/tokenstore.h>

#include <atomic>
#include <functional>
#include <memory>

class QNetworkAccessManager;

namespace muze::auth {

class TokenManager {
public:
    /// Exchanges the refresh token for a new access token (grant_type=refresh_token).
    using Refresher = std::function<Result<Tokens>(const Tokens& current)>;

    TokenManager(std::shared_ptr<TokenStore> store, Refresher refresher, int marginSeconds = 300);

    /// A token valid for at least the margin (or the last quarter of a short-lived token's life);
    /// refreshes first when needed. Error "auth" when
    /// signed out or when the refresh token was refused (sign in again).
    Result<QString> accessToken();
    /// After the server said the token expired: refresh now (once per call) and return it.
    Result<QString> refreshNow();
    /// The current tokens (after a successful accessToken()/refreshNow()).
    const Tokens& tokens() const { return m_tokens; }
    /// Forgets the cached tokens so the next call reads the store again.
    void reload() { m_loaded = false; }

private:
    Status ensureLoaded();

    std::shared_ptr<TokenStore> m_store;
    Refresher m_refresher;
    int m_margin;
    Tokens m_tokens;
    bool m_loaded = false;
};

/// The production refresher: POST <api>/oauth2/token (on a network manager of the calling
/// thread). A refused refresh token ("invalid_grant") is error "auth".
TokenManager::Refresher httpRefresher(DropboxEndpoints endpoints, const std::atomic<bool>* cancel = nullptr);

/// A TokenManager over the keychain entry of `appKey` with the HTTP refresher.
std::shared_ptr<TokenManager> keychainTokenManager(const QString& appKey, const DropboxEndpoints& endpoints,
                                                   const std::atomic<bool>* cancel = nullptr);

/// Revokes the access token at <api>/2/auth/token/revoke (best effort for sign-out).
Status revokeToken(QNetworkAccessManager& nam, const DropboxEndpoints& endpoints, const QString& accessToken);

} // namespace muze::auth
