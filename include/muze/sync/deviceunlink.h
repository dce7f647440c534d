#pragma once
// Unlinking a device from an encrypted vault (the Devices tab, `muze-cli devices unlink`).
//
// A device that once had the password keeps what it already has: the files on its disk and the
// keys in its keychain. What unlinking takes away is everything written from now on: the
// password changes (the key ring is re-wrapped under a key the unlinked device cannot derive)
// and a new master key becomes the active one (wrapped only under the new password's key, so
// the unlinked device's kept keys cannot reach it). Files written from then on use the new key;
// the sync worker moves older files to it as it syncs (`muze-cli keys reencrypt` does it at
// once), after which the cloud holds nothing the unlinked device can open. The device is marked
// unlinked in the vault's device list (vault/devicelist.h). Every other device needs the new
// password (`keys unlock`) to read new files.
//
// Synchronous: Argon2id (about a second with the default limits) and the OS keychain
// (masterkeystore.h): call it from a worker thread or the CLI, not the GUI thread.
// Error codes: not_encrypted, not_found, ambiguous, this_device, already_unlinked, same_password,
// and those of changeVaultPassword / rotateVaultKey (wrong_password, locked, ...).

#include <muze/util/result.h>
#include <muze/vault/devicelist.h>
#include <muze/vault/vaultrecord.h>

#include <QByteArray>
#include <QString>

namespace muze::sync {

struct UnlinkResult {
    vault::DeviceRecord device; // as marked: unlinked, unlinkedAt, unlinkedBy
    quint32 newKeyId = 0; // the new active key
};

/// Unlinks the device named by `deviceRef` (id, id prefix or name; vault/devicelist.h
/// findDevice) from `vault`, as `thisDevice`. `keychainService` empty: the default service.
/// The order is password, key, mark: a failure leaves what was done (a changed password is
/// never rolled back) and says which step failed.
Result<UnlinkResult> unlinkDevice(const vault::VaultRecord& vault, const vault::DeviceInfo& thisDevice,
    const QString& deviceRef, const QByteArray& currentPassword, const QByteArray& newPassword,
    const QString& keychainService = {});

} // namespace muze::sync
