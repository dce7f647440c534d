#pragma once
// The History panel (issue 12): a mix's versions, oldest first, each with when it was written
// and what changed against the one before ("Bass: gain 0 dB → −3 dB"). The versions are
// loaded on a worker thread (sync::HistoryAccess does blocking remote I/O) and shown when
// they arrive; the GUI thread never waits.

#include <muze/sync/itemhistory.h>
#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QLabel;
class QToolBar;
class QTreeWidget;

namespace muze::gui {

class ProjectTree;

class HistoryPanel : public QDialog {
    Q_OBJECT
public:
    /// `itemFile`: the vault-relative JSON file of the mix (or project / collection).
    HistoryPanel(vault::VaultRecord vault, QString itemFile, const QString& title, QWidget* parent = nullptr);
    ~HistoryPanel() override;

    QTreeWidget* versionList() const { return m_list; }
    QLabel* statusLabel() const { return m_status; }
    bool isLoaded() const { return m_loaded; }

    /// Adds "History…" (Ctrl+H) to `bar`: opens the panel for the mix selected in `tree`.
    static void install(QToolBar* bar, vault::VaultManager& vaults, ProjectTree* tree);

private:
    void load();
    void showVersions(const Result<std::vector<sync::ItemVersion>>& versions);

    vault::VaultRecord m_vault;
    QString m_file;
    QTreeWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    QThread* m_thread = nullptr;
    bool m_loaded = false;
};

} // namespace muze::gui
