#pragma once
// Vault-level key operations, the entry points muze-cli, the GUI and sync use. They tie the key
// ring in <vaultRoot>/.muze/keyring.json to the keys this device keeps in the OS keychain.
//
//   initVaultEncryption(root, id, password);    // `vault create --encrypt`, `keys init`
//   auto keys = loadVaultKeys(root, id);        // sync: "locked" until `keys unlock`
//   FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(*keys)));
//
// Error codes on top of KeyRing's and MasterKeyStore's: not_encrypted, already_encrypted,
// locked, tampered_keyring, keyring_rollback.
//
// The key ring is synced through storage we do not trust. Rules (docs/FORMAT.md §5): while this
// device's kept KEK belongs to the ring's salt, the ring must authenticate with it
// (tampered_keyring); an authenticated ring lacking a key this device holds is an older copy
// (keyring_rollback: nothing is encrypted until `keys unlock` restores it); a ring that cannot be
// authenticated here (password changed elsewhere) is never trusted for its active key.
// `keys unlock` (unlockVault) repairs a ring that fails its MAC but opens with the password, on
// a device that kept keys (§5, "Repair"). Every call is synchronous and may block on the keychain (masterkeystore.h) and, for
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
/// Checks the password against the key ring and keeps the keys in this device's keychain. Keys
/// this device holds that the ring lacks (an older copy, or a rotation that crossed a password
/// change) are put back, and an older active key is replaced by this device's. A ring that
/// fails its MAC (edited without the password) but opens with it is repaired from what
/// authenticates and what this device keeps (KeyRing::repair(), docs/FORMAT.md §5): `*repaired`
/// is then set. A device with no kept keys, or one that never held a key of the ring, cannot
/// repair: "tampered_keyring", nothing written.
Status unlockVault(const QString& vaultRoot, const QString& vaultId, const QByteArray& password,
                   const MasterKeyStore& store = MasterKeyStore(), bool* repaired = nullptr);
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
/// "tampered_keyring" / "keyring_rollback": see above.
Result<UnlockedKeys> loadVaultKeys(const QString& vaultRoot, const QString& vaultId,
                                   const MasterKeyStore& store = MasterKeyStore());

struct VaultKeyStatus {
    QString vaultId;
    bool encrypted = false;
    bool unlocked = false;      // this device can encrypt and decrypt
    QString lockedReason;       // why not, when encrypted and locked
    QString lockedCode;         // locked, tampered_keyring or keyring_rollback
    bool passwordChangedElsewhere = false; // unlocked with the kept keys; the ring is not trusted
    QString keyRingId;
    quint32 activeKeyId = 0;    // unlocked: the key new files use; else what the (unverified) ring names
    QList<quint32> keyIds;      // in the key ring
    KdfParams kdf;
    QString modifiedAt;
    QList<quint32> deviceKeyIds; // usable on this device

    Json toJson() const;
};
Result<VaultKeyStatus> vaultKeyStatus(const QString& vaultRoot, const QString& vaultId,
                                      const MasterKeyStore& store = MasterKeyStore());

} // namespace muze::crypto
