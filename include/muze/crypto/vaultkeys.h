#pragma once
// Vault-level key operations, the entry points muze-cli, the GUI and sync use. They tie the key
// ring in <vaultRoot>/.muze/keyring.json to the keys this device keeps in the OS keychain.
//
//   initVaultEncryption(root, id, password);    // `vault create --encrypt`, `keys init`
//   auto keys = loadVaultKeys(root, id);        // sync: "locked" until `keys unlock`
//   FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(*keys)));
//
// Error codes on top of KeyRing's and MasterKeyStore's: not_encrypted, already_encrypted,
// locked. Every call is synchronous and may block on the keychain (masterkeystore.h) and, for
// those taking a password, on Argon2id (about a second with the default limits).
// The `store` parameter exists for tests; everything else uses the default keychain service.

#include <muze/crypto/keyring.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QList>
#include <QString>

namespace muze::crypto {

QString keyRingPath(const QString& vaultRoot);
/// True when the vault has a key ring.
bool isVaultEncrypted(const QString& vaultRoot);

/// Creates the key ring (refusing to replace one) and keeps its keys in this device's keychain.
/// Nothing is left behind on failure.
Status initVaultEncryption(const QString& vaultRoot, const QString& vaultId, const QByteArray& password,
                           const KdfParams& params = KdfParams::moderate(), const MasterKeyStore& store = MasterKeyStore());
/// Checks the password against the key ring and keeps the keys in this device's keychain.
Status unlockVault(const QString& vaultRoot, const QString& vaultId, const QByteArray& password,
                   const MasterKeyStore& store = MasterKeyStore());
/// Forgets the vault's keys on this device (the key ring is untouched).
Status lockVault(const QString& vaultId, const MasterKeyStore& store = MasterKeyStore());
/// Re-wraps the master keys under `newPassword` (no file is re-encrypted).
Status changeVaultPassword(const QString& vaultRoot, const QString& vaultId, const QByteArray& oldPassword,
                           const QByteArray& newPassword, const MasterKeyStore& store = MasterKeyStore());
/// Adds a new active key (the device must be unlocked). New writes use it; old files still open.
Result<quint32> rotateVaultKey(const QString& vaultRoot, const QString& vaultId,
                               const MasterKeyStore& store = MasterKeyStore());
/// The keys for encrypting and decrypting, from this device's keychain; picks up keys another
/// device added when it can. "locked" error: "vault is locked: run muze-cli keys unlock".
Result<UnlockedKeys> loadVaultKeys(const QString& vaultRoot, const QString& vaultId,
                                   const MasterKeyStore& store = MasterKeyStore());

struct VaultKeyStatus {
    QString vaultId;
    bool encrypted = false;
    bool unlocked = false;      // this device can encrypt and decrypt
    QString lockedReason;       // why not, when encrypted and locked
    QString keyRingId;
    quint32 activeKeyId = 0;
    QList<quint32> keyIds;      // in the key ring
    KdfParams kdf;
    QString modifiedAt;
    QList<quint32> deviceKeyIds; // usable on this device

    Json toJson() const;
};
Result<VaultKeyStatus> vaultKeyStatus(const QString& vaultRoot, const QString& vaultId,
                                      const MasterKeyStore& store = MasterKeyStore());

} // namespace muze::crypto
