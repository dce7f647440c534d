#pragma once
// "Add vault…": a name and a folder (with a chooser) for a new local vault.

#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QLineEdit;
class QPushButton;
class QLabel;

namespace muze::gui {

class AddVaultDialog : public QDialog {
    Q_OBJECT
public:
    explicit AddVaultDialog(const QString& defaultParentDir, QWidget* parent = nullptr);

    vault::VaultSpec spec() const;
    QLineEdit* nameEdit() const { return m_name; }
    QLineEdit* folderEdit() const { return m_folder; }
    QPushButton* okButton() const { return m_ok; }

private:
    void validate();

    QString m_parentDir;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_folder = nullptr;
    QPushButton* m_ok = nullptr;
    QLabel* m_hint = nullptr;
    bool m_folderEdited = false;
};

} // namespace muze::gui
