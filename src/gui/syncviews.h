#pragma once
// SyncViews: what sync shows in the main window besides the sidebar and status bar:
//   - sync state badges in the project tree (ProjectTree::setFileStates) and on each track row
//     of the open mix, with the reason in the tooltip;
//   - cloud-only takes: a Download link on the track, "Keep on this device" and "Free up
//     space" for a mix, project or collection in the tree's menu, and opening
//     a mix fetches its missing takes first (progress on their rows; the mix reloads when they
//     are here);
//   - the offline banner ("Offline — 3 changes waiting") that goes away when the remote is back.
// Built once by MainWindow; lives as its child. GUI thread only.

#include <muze/sync/syncstatus.h>

#include <QObject>
#include <QPointer>

#include <optional>

class QLabel;
class QAction;

namespace muze::vault {
class VaultManager;
}

namespace muze::gui {

class MainWindow;
class FileStateModel;

class SyncViews : public QObject {
    Q_OBJECT
public:
    SyncViews(MainWindow* window, vault::VaultManager& vaults);

    QLabel* offlineBanner() const { return m_banner; }
    QAction* keepAction() const { return m_keep; }
    QAction* freeUpAction() const { return m_freeUp; }

    /// Fetches the open mix's cloud-only takes (done when a mix opens).
    void downloadOpenMix();
    /// "Keep on this device": fetch the item's cloud-only takes and keep them here.
    void keepItem(const QString& itemId);
    /// "Free up space": remove this device's copies of the item's synced takes.
    void freeUpItem(const QString& itemId);

private:
    /// The item's takes (mix: its tracks' WAVs; folder: every take under it), all or in `state`.
    QStringList takesOf(const QString& itemId, std::optional<sync::FileState> state) const;
    void updateTracks();
    void updateBanner();
    void onStatus(const sync::VaultStatus& status);

    MainWindow* m_window;
    vault::VaultManager& m_vaults;
    FileStateModel* m_states;
    QLabel* m_banner = nullptr;
    QAction* m_keep = nullptr;
    QAction* m_freeUp = nullptr;
    QString m_openMix;
    QStringList m_awaited; // takes of the open mix being fetched: reload the mix when all are here
};

} // namespace muze::gui
