#pragma once
// Signing this device out of Dropbox: revoke the token at Dropbox (best effort, refreshing it
// first if needed), then forget it in the keychain even when Dropbox cannot be reached.
// Blocking; call it from a worker thread (or a CLI).

#include <muze/auth/dropboxconfig.h>
#include <muze/util/result.h>

namespace muze::auth {

struct SignOutResult {
    bool wasSignedIn = false;
    bool revoked = false; // Dropbox confirmed (or the token was already invalid)
    QString revokeProblem; // why revoking failed ("" when it did not); the tokens are gone anyway
};

/// Error only when the keychain could not be read or the tokens could not be removed.
Result<SignOutResult> signOut(const QString& appKey, const DropboxEndpoints& endpoints);

} // namespace muze::auth
