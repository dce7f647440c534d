#pragma once
// "Add vault…": a name, where the vault lives on this device (with a folder chooser), where it
// syncs (nowhere, a folder, Dropbox, iCloud Drive) and, optionally, a password that encrypts
// everything that leaves the device.

#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QWidget;

namespace muze::gui {

class AddVaultDialog : public QDialog {
    Q_OBJECT
public:
    enum SyncChoice { LocalOnly = 0, Folder = 1, Dropbox = 2, ICloud = 3 };

    explicit AddVaultDialog(const QString& defaultParentDir, QWidget* parent = nullptr);

    vault::VaultSpec spec() const;
    /// The password to encrypt with, or empty when the vault is not encrypted.
    QByteArray password() const;

    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* folderEdit() const { return m_folder; }
    QComboBox* syncBox() const { return m_sync; }
    QLineEdit* remoteEdit() const { return m_remote; }
    QCheckBox* encryptBox() const { return m_encrypt; }
    QLineEdit* passwordEdit() const { return m_password; }
    QLineEdit* confirmEdit() const { return m_confirm; }
    QPushButton* okButton() const { return m_ok; }

private:
    void validate();
    void syncChoiceChanged();

    QString m_parentDir;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_folder = nullptr;
    QComboBox* m_sync = nullptr;
    QLabel* m_remoteLabel = nullptr;
    QLineEdit* m_remote = nullptr;
    QPushButton* m_remoteChoose = nullptr;
    QCheckBox* m_encrypt = nullptr;
    QLineEdit* m_password = nullptr;
    QLineEdit* m_confirm = nullptr;
    QPushButton* m_ok = nullptr;
    QLabel* m_hint = nullptr;
    bool m_folderEdited = false;
    bool m_remoteEdited = false;
};

} // namespace muze::gui
