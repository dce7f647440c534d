#pragma once
// "Add vault…": a name, where the vault lives on this device (with a folder chooser), where it
// syncs (nowhere, a folder, Dropbox, iCloud Drive) and, optionally, a password that encrypts
// everything that leaves the device.

#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QFormLayout;
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
    /// "Choose…" beside the sync folder; for Dropbox it signs in and picks the folder.
    QPushButton* remoteChooseButton() const { return m_remoteChoose; }

    /// For Dropbox, first makes sure this device is signed in and the folder exists (the
    /// Connect Dropbox dialog); the dialog stays open when that is cancelled.
    void accept() override;

private:
    void validate();
    void syncChoiceChanged();
    bool connectDropbox(); // true when signed in and a folder was picked

    QString m_parentDir;
    QFormLayout* m_form = nullptr;
    int m_remoteRow = -1;
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
    bool m_dropboxConfirmed = false; // the folder in m_remote came from a signed-in Dropbox
};

} // namespace muze::gui
