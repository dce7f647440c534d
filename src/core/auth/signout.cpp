#include <muze/auth/signout.h>

#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>

#include <QNetworkAccessManager>

namespace muze::auth {

Result<SignOutResult> signOut(const QString& appKey, const DropboxEndpoints& endpoints)
{
    KeychainTokenStore store(appKey);
    auto stored = store.load();
    if (!stored)
        return stored.error();
    SignOutResult out;
    out.wasSignedIn = stored->has_value();
    if (!out.wasSignedIn)
        return out;
    TokenManager tokens(std::make_shared<KeychainTokenStore>(appKey), httpRefresher(endpoints));
    auto token = tokens.accessToken();
    QNetworkAccessManager nam;
    const Status s = token ? revokeToken(nam, endpoints, *token) : Status(token.error());
    out.revoked = s.ok();
    if (!s)
        out.revokeProblem = s.errorString();
    if (Status removed = store.remove(); !removed)
        return removed.error();
    return out;
}

} // namespace muze::auth
