#pragma once
// Recently deleted (issue 12): collections, projects, mixes and takes deleted on any device
// that the vault's history still keeps, each restorable in one click with its takes
// (sync/itemrestore.h, the code `muze-cli deleted` uses). Listing and restoring run on the
// thread pool; the GUI thread never waits on the remote.

#include <muze/sync/itemrestore.h>
#include <muze/vault/vaultrecord.h>

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace muze::gui {

class DeletedDialog : public QDialog {
    Q_OBJECT
public:
    explicit DeletedDialog(vault::VaultRecord vault, QWidget* parent = nullptr);

    QTreeWidget* itemList() const { return m_list; }
    QPushButton* restoreButton() const { return m_restore; }
    QLabel* statusLabel() const { return m_status; }
    bool isBusy() const { return m_busy; }

    /// Restores the item in row `row` (what the Restore button does for the selected row).
    void restoreRow(int row);

Q_SIGNALS:
    /// An item came back into the vault folder (the next sync uploads it).
    void restored(const QString& kind, const QString& id);

private:
    void load();
    void showItems(const Result<std::vector<sync::DeletedItem>>& items);

    vault::VaultRecord m_vault;
    std::vector<sync::DeletedItem> m_items;
    QTreeWidget* m_list = nullptr;
    QPushButton* m_restore = nullptr;
    QLabel* m_status = nullptr;
    bool m_busy = true;
};

} // namespace muze::gui
