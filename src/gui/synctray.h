#pragma once
// The tray icon (QSystemTrayIcon where the desktop has a tray): the sync state of all vaults
// (synced / syncing n% / paused / offline / error / conflicts), a menu (Sync now, Pause sync /
// Resume sync for every vault, Conflicts…,
// Keep syncing when the window is closed, Open Muze, Quit) and desktop notifications for a new
// conflict, an error that needs the user and a finished upload of a recording. It reads
// everything from SyncFeed. Without a tray the menu still exists (tests grab it) and
// notifications are only recorded.

#include "syncfeed.h"

#include <QIcon>
#include <QObject>
#include <QString>

class QAction;
class QMenu;
class QSystemTrayIcon;

namespace muze::gui {

class SyncTray : public QObject {
    Q_OBJECT
public:
    /// `settingsFile`: the INI file holding "tray/keepSyncingWhenClosed".
    SyncTray(SyncFeed* feed, QString settingsFile, QObject* parent = nullptr);
    ~SyncTray() override;

    static bool trayAvailable();
    /// Closing the main window hides it and sync goes on (setting on, and a tray to come back from).
    bool keepRunningOnClose() const;
    bool keepSyncingSetting() const;
    void setKeepSyncingSetting(bool on);

    QMenu* menu() const { return m_menu; }
    QSystemTrayIcon* icon() const { return m_tray; }
    QAction* statusAction() const { return m_status; }
    QAction* syncNowAction() const { return m_syncNow; }
    QAction* pauseAction() const { return m_pause; }
    QAction* conflictsAction() const { return m_conflicts; }
    QAction* keepSyncingAction() const { return m_keepSyncing; }
    QAction* openAction() const { return m_open; }
    QAction* quitAction() const { return m_quit; }
    QString toolTip() const { return m_toolTip; }
    QString lastNotificationTitle() const { return m_lastTitle; }
    QString lastNotificationText() const { return m_lastText; }

    /// "Synced", "Syncing 42%", "Offline", "Sync error: …", "2 conflicts"
    static QString stateText(const SyncFeed::VaultState& s);
    static QIcon stateIcon(const SyncFeed::VaultState& s, int size = 32);

Q_SIGNALS:
    void openRequested();
    void quitRequested();
    void conflictsRequested(const QString& vaultId); // "" = the current vault
    void notified(const QString& title, const QString& text);

private:
    void refresh();
    void notify(const QString& title, const QString& text, bool critical, const QString& conflictVault = {});
    QString vaultName(const QString& vaultId) const;

    SyncFeed* m_feed;
    QString m_settingsFile;
    QSystemTrayIcon* m_tray = nullptr;
    QMenu* m_menu = nullptr;
    QAction* m_status = nullptr;
    QAction* m_syncNow = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_conflicts = nullptr;
    QAction* m_keepSyncing = nullptr;
    QAction* m_open = nullptr;
    QAction* m_quit = nullptr;
    QString m_toolTip;
    QString m_lastTitle;
    QString m_lastText;
    QString m_clickVault; // the vault a clicked notification opens
};

} // namespace muze::gui
