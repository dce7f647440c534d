#pragma once
// MasterKeyStore: keeps an unlocked vault's keys in the OS keychain (qtkeychain: Secret Service
// on Linux, Keychain on macOS, Credential Manager on Windows) under the vault id, so a device
// unlocks once. There is no plaintext fallback file, ever: without a keychain, store() fails.
//
// What is stored (docs/FORMAT.md §5): the master keys by key id, the active key id, and the
// key-encryption key with the salt it belongs to. The KEK lets this device add keys
// (`keys rotate`) and pick up keys another device added, without asking for the password again;
// after a password change elsewhere the stored master keys keep working.
//
// Threading and blocking: every call is synchronous. It starts a qtkeychain job and runs a
// local QEventLoop until the job finishes (or a 2-minute timeout, for a keychain prompt nobody
// answers). That suits muze-cli and worker threads; on the GUI thread prefer calling it from
// a worker, since the nested event loop delivers other events meanwhile. Needs a
// QCoreApplication. The service name defaults to "muze" (MUZE_KEYCHAIN_SERVICE overrides it).
// Our copies of the secret are wiped; qtkeychain and the keychain daemon hold their own while
// a job runs, which is outside our reach.

#include <muze/crypto/secretbytes.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace muze::crypto {

/// A vault's keys as this device keeps them.
struct DeviceKeys {
    QByteArray kdfSalt; // salt of the key ring the KEK was derived for (not secret)
    SecretBytes kek;    // 32 bytes
    UnlockedKeys keys;  // master keys and the active key id
};

class MasterKeyStore {
public:
    explicit MasterKeyStore(QString service = {});

    /// Error codes: keychain_unavailable, keychain_timeout.
    Status store(const QString& vaultId, const DeviceKeys& keys) const;
    /// "not_found" when this device holds no keys for the vault.
    Result<DeviceKeys> load(const QString& vaultId) const;
    /// Removes the vault's keys; ok when there were none.
    Status forget(const QString& vaultId) const;

    QString service() const { return m_service; }

    /// The binary form handed to the keychain (exposed for tests and the fuzzer).
    static QByteArray encode(const DeviceKeys& keys);
    static Result<DeviceKeys> decode(QByteArrayView bytes);

private:
    QString m_service;
};

} // namespace muze::crypto
