#pragma once
// Per-vault settings: sync frequency, data types, audio downloads, bandwidth limit; the Dropbox
// account (Dropbox vaults: DropboxAccountPanel); storage
// used on this device; encryption status, password change and key rotation; and a danger zone (remove the
// vault from Muze, or delete it with its files). Slow work (folder sizes, keychain, Argon2id)
// runs on the thread pool; the dialog stays responsive.

#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace muze::gui {

class VaultSettingsDialog : public QDialog {
    Q_OBJECT
public:
    VaultSettingsDialog(vault::VaultManager& vaults, const QString& vaultId, QWidget* parent = nullptr);

    QComboBox* frequencyBox() const { return m_frequency; }
    QComboBox* dataTypesBox() const { return m_dataTypes; }
    QComboBox* audioBox() const { return m_audio; }
    QSpinBox* bandwidthBox() const { return m_bandwidth; }
    QLabel* storageLabel() const { return m_storage; }
    QLabel* encryptionLabel() const { return m_encryption; }
    QPushButton* rotateKeyButton() const { return m_rotateKey; }

    /// Writes the sync settings of the vault; false (with a message shown) on failure.
    bool save();

Q_SIGNALS:
    void settingsSaved(const QString& vaultId);
    /// A new key was made: the owner should sync soon, so the ring reaches the other devices
    /// and re-encryption starts.
    void keyRotated(const QString& vaultId);
    void vaultRemoved(const QString& vaultId);
    /// Dropbox vaults: the user disconnected, switched account or signed in (Account tab).
    void dropboxSignInChanged();

private:
    QWidget* buildSyncTab();
    QWidget* buildStorageTab();
    QWidget* buildSecurityTab();
    QWidget* buildDangerTab();
    void refreshStorage();
    void refreshEncryption();
    void changePassword();
    void rotateKey();
    void removeVault(bool deleteFiles);

    vault::VaultManager& m_vaults;
    vault::VaultRecord m_record;
    QComboBox* m_frequency = nullptr;
    QComboBox* m_dataTypes = nullptr;
    QComboBox* m_audio = nullptr;
    QSpinBox* m_bandwidth = nullptr;
    QLabel* m_storage = nullptr;
    QLabel* m_encryption = nullptr;
    QLineEdit* m_oldPassword = nullptr;
    QLineEdit* m_newPassword = nullptr;
    QPushButton* m_changePassword = nullptr;
    QPushButton* m_rotateKey = nullptr;
};

} // namespace muze::gui
