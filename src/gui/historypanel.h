#pragma once
// The History panel (issue 12): a mix's (or project's / collection's) versions, oldest first,
// each with who wrote it and when ("by Anna's iPhone, yesterday 21:14") and what changed
// against the one before ("Bass: gain 0 dB → −3 dB"). Restore puts the selected version back
// as a new edit (it syncs and merges like any edit); Restore as a copy makes a new mix
// "Song (restored 2026-12-03)"; Recently deleted lists what can come back; a mix's versions
// can be compared by ear with the current mix (gui/historyab.h). Loading and restoring run on
// worker threads (sync::HistoryAccess does blocking remote I/O); the GUI thread never waits.

#include <muze/sync/itemhistory.h>
#include <muze/vault/vaultmanager.h>

#include <QDialog>

class QLabel;
class QBoxLayout;
class QPushButton;
class QToolBar;
class QTreeWidget;

namespace muze::gui {

class HistoryAbControl;
class ProjectTree;

class HistoryPanel : public QDialog {
    Q_OBJECT
public:
    /// `itemFile`: the vault-relative JSON file of the mix (or project / collection).
    HistoryPanel(vault::VaultRecord vault, QString itemFile, const QString& title, QWidget* parent = nullptr);
    ~HistoryPanel() override;

    QTreeWidget* versionList() const { return m_list; }
    QLabel* statusLabel() const { return m_status; }
    QPushButton* restoreButton() const { return m_restore; }
    QPushButton* restoreCopyButton() const { return m_restoreCopy; }
    QPushButton* deletedButton() const { return m_deleted; }
    /// The A/B control (mixes, when built with audio); null otherwise.
    HistoryAbControl* abControl() const { return m_ab; }
    bool isLoaded() const { return m_loaded; }
    bool isBusy() const { return m_busy; }

    /// "by Anna's iPhone, yesterday 21:14" (or just the time when the writer is unknown).
    static QString writtenText(const sync::ItemVersion& v, const QDateTime& now);

    /// Adds "History…" (Ctrl+H) to `bar`: opens the panel for the mix selected in `tree`.
    static void install(QToolBar* bar, vault::VaultManager& vaults, ProjectTree* tree);

Q_SIGNALS:
    /// A version was written into the vault folder (`path`, vault-relative); the next sync uploads it.
    void restored(const QString& path);

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void placeButtons(bool narrow); // one row on a desktop, a column of full-width buttons on a phone
    void load();
    void showVersions(const Result<std::vector<sync::ItemVersion>>& versions);
    void selectionChanged();
    void restore(bool asCopy);

    vault::VaultRecord m_vault;
    QString m_file;
    bool m_isMix = false;
    std::vector<sync::ItemVersion> m_versions;
    QTreeWidget* m_list = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_restore = nullptr;
    QPushButton* m_restoreCopy = nullptr;
    QPushButton* m_deleted = nullptr;
    QBoxLayout* m_buttons = nullptr;
    int m_narrow = -1; // the layout the buttons have: -1 none yet, 0 a row, 1 a column
    HistoryAbControl* m_ab = nullptr;
    QThread* m_thread = nullptr;
    bool m_loaded = false;
    bool m_busy = false;
};

} // namespace muze::gui
