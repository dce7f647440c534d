#pragma once
// The main window: vault sidebar | collections tree | mix view. On a phone-sized window
// (PhoneShell) one of them at a time, with a back button.

#include <muze/vault/vaultmanager.h>

#include <QMainWindow>

class QAction;
class QLabel;
class QProgressBar;
class QSplitter;

namespace muze::gui {

class MixView;
class PhoneShell;
class ProjectTree;
class SyncPresenter;
class SyncUi;
class VaultSidebar;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// `defaultVaultParent` is where the first-launch vault "My Music" is created.
    MainWindow(vault::VaultManager& vaults, QString defaultVaultParent, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// First launch: creates the local vault "My Music" so the app is useful at once.
    static Status ensureDefaultVault(vault::VaultManager& vaults, const QString& parentDir);

    VaultSidebar* sidebar() const { return m_sidebar; }
    ProjectTree* projectTree() const { return m_tree; }
    MixView* mixView() const { return m_mixView; }
    QAction* toggleSidebarAction() const { return m_toggleSidebar; }
    SyncPresenter* syncPresenter() const { return m_sync; }
    SyncUi* syncUi() const { return m_syncUi; }
    bool isCompact() const { return m_compact; }
    PhoneShell* phone() const { return m_phone; }

    /// Opens "Add vault…"; returns the new vault's id ("" if cancelled or failed).
    QString addVault(int syncChoice = -1); // an AddVaultDialog::SyncChoice to start with
    /// Opens the settings of a vault (modal).
    void openVaultSettings(const QString& id);

protected:
    void resizeEvent(QResizeEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void showVault(const QString& id);
    QString registerVault(const vault::VaultSpec& spec, bool encrypted);
    void showError(const QString& message);
    void restoreState();

    vault::VaultManager& m_vaults;
    QString m_defaultVaultParent;
    VaultSidebar* m_sidebar = nullptr;
    ProjectTree* m_tree = nullptr;
    MixView* m_mixView = nullptr;
    QSplitter* m_outer = nullptr;
    QSplitter* m_content = nullptr;
    QAction* m_toggleSidebar = nullptr;
    SyncPresenter* m_sync = nullptr;
    SyncUi* m_syncUi = nullptr; // conflicts badge + dialog, tray icon
    QLabel* m_vaultStatus = nullptr;
    QProgressBar* m_progress = nullptr;
    bool m_compact = false;
    PhoneShell* m_phone = nullptr;
};

} // namespace muze::gui
