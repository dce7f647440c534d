#pragma once
// The Devices tab of vault settings: every device that has synced the vault (name, platform,
// last seen, this device marked, unlinked ones greyed), from the vault's device list
// (vault/devicelist.h). Rename this device; for an encrypted vault, unlink another device
// (UnlinkDeviceDialog, then sync/deviceunlink.h). Reading the list, renaming and unlinking
// (Argon2id, keychain) run on the thread pool.

#include <muze/vault/devicelist.h>
#include <muze/vault/vaultmanager.h>

#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace muze::gui {

class DevicesTab : public QWidget {
    Q_OBJECT
public:
    DevicesTab(vault::VaultManager& vaults, vault::VaultRecord record, QWidget* parent = nullptr);

    QTreeWidget* list() const { return m_list; }
    QPushButton* renameButton() const { return m_rename; }
    QPushButton* unlinkButton() const { return m_unlink; }
    QLabel* statusLabel() const { return m_status; }
    /// True once the first read of the list has arrived.
    bool loaded() const { return m_loaded; }
    /// Reads the list again (in the background).
    void refresh();

Q_SIGNALS:
    /// A device was unlinked: the password and key changed; the owner should sync soon so the
    /// new key ring reaches the other devices.
    void keyRotated(const QString& vaultId);

private:
    void fill(const QList<vault::DeviceRecord>& devices, bool encrypted);
    void updateButtons();
    void renameThisDevice();
    void unlinkSelected();

    vault::VaultManager& m_vaults;
    vault::VaultRecord m_record;
    QTreeWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_rename = nullptr;
    QPushButton* m_unlink = nullptr;
    bool m_encrypted = false;
    bool m_loaded = false;
    bool m_busy = false;
};

} // namespace muze::gui
