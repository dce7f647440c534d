#pragma once
// What the main window shows of sync beyond the sidebar (issue 11), kept out of mainwindow.cpp:
// a "Conflicts" toolbar action with a badge counting the current vault's conflicts, a status-bar
// button while the vault has conflicts (the conflict state, one click to the dialog), the
// Conflicts dialog itself, and the tray icon. Resolving starts a sync of that vault.

#include <QObject>
#include <QPointer>

class QAction;
class QMainWindow;
class QToolBar;
class QToolButton;

namespace muze::vault {
class VaultManager;
}
namespace muze::sync {
class SyncController;
}

namespace muze::gui {

class ConflictsDialog;
class SyncFeed;
class SyncTray;

class SyncUi : public QObject {
    Q_OBJECT
public:
    SyncUi(vault::VaultManager& vaults, sync::SyncController* controller, QMainWindow* window, QToolBar* toolBar);

    SyncFeed* feed() const { return m_feed; }
    SyncTray* tray() const { return m_tray; }
    QAction* conflictsAction() const { return m_conflictsAction; }
    QToolButton* conflictsBadge() const { return m_badge; }
    ConflictsDialog* conflictsDialog() const;
    /// Opens (or raises) the Conflicts dialog of a vault ("" = the current one).
    ConflictsDialog* openConflicts(const QString& vaultId = {});
    /// MainWindow::closeEvent asks: true when closing should only hide the window.
    bool keepRunningOnClose() const;

private:
    void updateBadge();

    vault::VaultManager& m_vaults;
    QMainWindow* m_window;
    SyncFeed* m_feed = nullptr;
    SyncTray* m_tray = nullptr;
    QAction* m_conflictsAction = nullptr;
    QToolButton* m_badge = nullptr;
    QPointer<ConflictsDialog> m_dialog;
};

} // namespace muze::gui
