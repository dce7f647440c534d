#pragma once
// The list of vaults: provider icon, name, sync state. Selecting one switches the current
// vault at once; "Add vault…" asks the main window to create one.

#include <QWidget>

class QListWidget;
class QPushButton;

namespace muze::vault {
class VaultManager;
}

namespace muze::gui {

class VaultSidebar : public QWidget {
    Q_OBJECT
public:
    explicit VaultSidebar(vault::VaultManager& vaults, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QPushButton* addButton() const { return m_add; }

Q_SIGNALS:
    void addVaultRequested();
    void settingsRequested(const QString& id);
    void vaultActivated(const QString& id); // the user picked a vault (already made current)
    void errorOccurred(const QString& message);

private:
    void rebuild();
    void showContextMenu(const QPoint& pos);

    vault::VaultManager& m_vaults;
    QListWidget* m_list = nullptr;
    QPushButton* m_add = nullptr;
    bool m_rebuilding = false;
};

} // namespace muze::gui
