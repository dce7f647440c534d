#pragma once
// The devices of a vault: every device that has synced it, kept in the vault's synced metadata
// as one small JSON file per device, `.muze/devices/<device-id>.json` (DESIGN.md §2). Each
// device writes its own file (the sync engine does it at the start of a run), so two devices
// never edit the same file at once; the only other writer is an unlink, which sets the
// `unlinked` fields of another device's file (a field-level edit the JSON merge keeps apart from
// that device's `last_seen`). In an encrypted vault the files are encrypted like any other file.
//
//   recordDeviceSeen(root, vaults.device());          // the sync engine, start of a run
//   Result<QList<DeviceRecord>> all = listDevices(root); // the CLI and the Devices tab
//   renameDeviceRecord(root, id, "Studio Mac");       // `devices rename`
//
// File shape: {"format":1, "id", "name", "platform", "created_at", "modified_at", "first_seen",
// "last_seen", "unlinked", "unlinked_at", "unlinked_by"}; unknown fields are kept on rewrite.
// Threading: plain functions on files; call them from any one thread at a time per vault.

#include <muze/util/json.h>
#include <muze/util/result.h>
#include <muze/vault/vaultmanager.h>

#include <QDateTime>
#include <QList>
#include <QString>

namespace muze::vault {

/// Vault-relative folder of the device files (inside the synced metadata folder ".muze").
inline const QString kDevicesDir = QStringLiteral(".muze/devices");
/// A device's last-seen time is rewritten at most this often, so devices that sync each other's
/// news do not upload their device file on every run (each upload would wake the other).
constexpr qint64 kLastSeenRefreshSecs = 10 * 60;

/// Vault-relative path of a device's file.
QString deviceFilePath(const QString& deviceId);

struct DeviceRecord {
    QString id;
    QString name;
    QString platform; // "Linux (Debian GNU/Linux 12 (bookworm))", "macOS 14.5", ...
    QDateTime firstSeen;
    QDateTime lastSeen;
    bool unlinked = false;
    QDateTime unlinkedAt;
    QString unlinkedBy; // the id of the device that unlinked it

    Json toJson() const; // the CLI's shape (no extra fields)
};

/// This machine's platform as stored in a device file (QSysInfo: kernel and product name).
QString currentPlatform();

/// Every device file of the vault, the most recently seen first. A file that is not a valid
/// device record is skipped (a device file never stops the list). Empty when none.
Result<QList<DeviceRecord>> listDevices(const QString& vaultRoot);
/// One device's record; "not_found" when it has none.
Result<DeviceRecord> readDevice(const QString& vaultRoot, const QString& deviceId);
/// The device named by `ref`: its id, an id prefix of 4+ characters, or a name matching exactly
/// one device (case-insensitive). "not_found" / "ambiguous".
Result<DeviceRecord> findDevice(const QList<DeviceRecord>& devices, const QString& ref);

/// Records that `device` uses the vault now: creates its file on first use (with `device.name`),
/// and rewrites it when the platform changed or the last-seen time is older than
/// kLastSeenRefreshSecs. The name of an existing record is left alone: a sync worker started
/// before a rename still holds the old name, and renames go through renameDeviceRecord().
/// `*written` says whether the file changed. An unlinked device stays marked unlinked.
Status recordDeviceSeen(const QString& vaultRoot, const DeviceInfo& device, bool* written = nullptr);
/// Sets the name in the device's file (creating the file when the device has none yet).
Status renameDeviceRecord(const QString& vaultRoot, const DeviceInfo& device);
/// Marks device `deviceId` unlinked by `byDeviceId`, now. "not_found" when it has no file.
Status markDeviceUnlinked(const QString& vaultRoot, const QString& deviceId, const QString& byDeviceId);

} // namespace muze::vault
