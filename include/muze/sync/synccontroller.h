#pragma once
// SyncController: the GUI thread's handle on sync. It owns one worker thread per vault and
// shuts each down in order (interrupt, quit, wait, delete) when the vault is removed or the
// controller is destroyed. Everything crosses threads as queued signals with plain values;
// nothing here waits on I/O.
//
//   auto* sync = new SyncController(mainWindow);
//   connect(sync, &SyncController::vaultStateChanged, sidebar, &VaultSidebar::setSyncState);
//   connect(sync, &SyncController::progress, statusBar, ...);
//   sync->addVault(record, vaults.device().name);
//   sync->syncNow(record.id);
//
// Signals (on the controller's thread):
//   statusChanged(VaultStatus)                   the vault's state as values (syncstatus.h)
//   vaultStateChanged(vaultId, state, message)   the same as text (vaultStateName), for logs
//   progress(vaultId, bytesDone, bytesTotal, filesDone, filesTotal)   throttled to ~10/s
//   fileStatesChanged(vaultId, states, snapshot) batched, at most ~20 a second per vault
//   fileStateChanged(vaultId, path, state)       one per file of each batch (text; small vaults)
//   syncFinished(vaultId, converged, summary)    after each sync run
//   pausedChanged(vaultId, paused), allPausedChanged(paused)
//   spaceFreed(vaultId, freed, kept, bytes, error)   after freeUpSpace
//
// Pause: setPaused(vaultId) is remembered in the vault's sync settings (its local state);
// setAllPaused in <configDir>/sync-state.json once setConfigDir() named the folder.

#include <muze/sync/syncsettings.h>
#include <muze/sync/syncstatus.h>
#include <muze/vault/vaultrecord.h>

#include <QHash>
#include <QObject>
#include <QStringList>

#include <map>
#include <memory>

class QThread;

namespace muze::sync {

class SyncWorker;

class SyncController : public QObject {
    Q_OBJECT
public:
    explicit SyncController(QObject* parent = nullptr);
    ~SyncController() override;

    /// Starts a worker for the vault (replacing one already running for it).
    void addVault(const vault::VaultRecord& vault, const QString& deviceName, const QString& deviceId = {});
    /// Stops and removes the vault's worker (blocks until its thread finished the current step;
    /// a running transfer is interrupted).
    void removeVault(const QString& vaultId);
    bool hasVault(const QString& vaultId) const { return m_workers.count(vaultId) != 0; }
    QStringList vaultIds() const;

    /// Where the all-vaults pause is remembered (the app's config dir); reads it now.
    void setConfigDir(const QString& dir);
    bool isPaused(const QString& vaultId) const { return m_paused.value(vaultId, false); }
    bool allPaused() const { return m_allPaused; }
    /// The last status a vault reported (state Idle before its first report).
    VaultStatus status(const QString& vaultId) const;

public Q_SLOTS:
    void syncNow(const QString& vaultId, bool force = false);
    /// Fetches an audio file that is cloud-only (and keeps it offline).
    void requestDownload(const QString& vaultId, const QString& path);
    /// Saves the vault's settings (in its local state) and applies them.
    void setSettings(const QString& vaultId, const muze::sync::SyncSettings& settings);
    /// Keeps these cloud-only takes on this device: fetched now and kept (on-demand list).
    void keepOnDevice(const QString& vaultId, const QStringList& paths);
    /// Removes this device's copies of these synced takes (never unsynced ones): spaceFreed.
    void freeUpSpace(const QString& vaultId, const QStringList& paths);
    /// Pauses (a running sync stops at once) or resumes one vault; remembered across restarts.
    void setPaused(const QString& vaultId, bool paused);
    /// Pauses or resumes every vault (each keeps its own pause too); remembered across restarts.
    void setAllPaused(bool paused);

Q_SIGNALS:
    void statusChanged(const muze::sync::VaultStatus& status);
    void vaultStateChanged(const QString& vaultId, const QString& state, const QString& message);
    void progress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void fileStatesChanged(const QString& vaultId, const muze::sync::FileSyncStates& states, bool snapshot);
    void fileStateChanged(const QString& vaultId, const QString& path, const QString& state);
    void syncFinished(const QString& vaultId, bool converged, const QString& summary);
    void pausedChanged(const QString& vaultId, bool paused);
    void spaceFreed(const QString& vaultId, const QStringList& freed, const QStringList& kept, qint64 bytes,
                    const QString& error);
    void allPausedChanged(bool paused);

private:
    void onStatus(const VaultStatus& status);
    void onFileStates(const QString& vaultId, const FileSyncStates& states, bool snapshot);

    struct ThreadStopper {
        void operator()(QThread* thread) const;
    };
    struct Entry {
        std::unique_ptr<QThread, ThreadStopper> thread;
        SyncWorker* worker = nullptr; // lives in `thread`, deleted when it finishes
    };
    std::map<QString, Entry> m_workers;
    QHash<QString, bool> m_paused;
    QHash<QString, VaultStatus> m_status;
    bool m_allPaused = false;
    QString m_configDir;
};

} // namespace muze::sync
