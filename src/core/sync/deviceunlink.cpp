#include <muze/sync/deviceunlink.h>

#include <muze/crypto/vaultkeys.h>

namespace muze::sync {

Result<UnlinkResult> unlinkDevice(const vault::VaultRecord& vault, const vault::DeviceInfo& thisDevice,
    const QString& deviceRef, const QByteArray& currentPassword, const QByteArray& newPassword,
    const QString& keychainService)
{
    if (!crypto::isVaultEncrypted(vault.path))
        return makeError(QStringLiteral("%1 is not encrypted: unlinking takes a device's access away by changing the "
                                        "vault's password and key, and a plain vault has neither")
                             .arg(vault.name),
            errc::not_encrypted);
    Result<QList<vault::DeviceRecord>> devices = vault::listDevices(vault.path);
    if (!devices)
        return devices.error();
    Result<vault::DeviceRecord> target = vault::findDevice(*devices, deviceRef);
    if (!target)
        return target.error();
    if (target->id == thisDevice.id)
        return makeError(
            QStringLiteral("%1 is this device: unlink it from another device").arg(target->name), errc::this_device);
    if (target->unlinked)
        return makeError(QStringLiteral("%1 is already unlinked").arg(target->name), errc::already_unlinked);
    if (currentPassword == newPassword)
        return makeError(
            QStringLiteral("the new password must differ from the current one, which %1 knows").arg(target->name),
            errc::same_password);

    const crypto::MasterKeyStore store(keychainService);
    if (Status s = crypto::changeVaultPassword(vault.path, vault.id, currentPassword, newPassword, store); !s)
        return s.error();
    Result<quint32> key = crypto::rotateVaultKey(vault.path, vault.id, store);
    if (!key)
        return makeError(
            QStringLiteral("the password changed, but making a new key failed: %1 (run muze-cli keys rotate)")
                .arg(key.errorString()),
            key.error().code);
    if (Status s = vault::markDeviceUnlinked(vault.path, target->id, thisDevice.id); !s)
        return makeError(QStringLiteral("the password and key changed, but %1 could not be marked unlinked: %2")
                             .arg(target->name, s.errorString()),
            s.error().code);
    Result<vault::DeviceRecord> marked = vault::readDevice(vault.path, target->id);
    if (!marked)
        return marked.error();
    return UnlinkResult{*marked, *key};
}

} // namespace muze::sync
