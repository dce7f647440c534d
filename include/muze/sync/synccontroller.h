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
//   vaultStateChanged(vaultId, state, message)   state: see syncworker.h
//   progress(vaultId, bytesDone, bytesTotal, filesDone, filesTotal)   throttled to ~10/s
//   fileStateChanged(vaultId, path, state)       synced|syncing|pending|conflict|error|cloud-only
//   syncFinished(vaultId, converged, summary)    after each sync run

#include <muze/sync/syncsettings.h>
#include <muze/vault/vaultrecord.h>

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

public Q_SLOTS:
    void syncNow(const QString& vaultId, bool force = false);
    /// Fetches an audio file that is cloud-only (and keeps it offline).
    void requestDownload(const QString& vaultId, const QString& path);
    /// Saves the vault's settings (in its local state) and applies them.
    void setSettings(const QString& vaultId, const muze::sync::SyncSettings& settings);

Q_SIGNALS:
    void vaultStateChanged(const QString& vaultId, const QString& state, const QString& message);
    void progress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void fileStateChanged(const QString& vaultId, const QString& path, const QString& state);
    void syncFinished(const QString& vaultId, bool converged, const QString& summary);

private:
    struct ThreadStopper {
        void operator()(QThread* thread) const;
    };
    struct Entry {
        std::unique_ptr<QThread, ThreadStopper> thread;
        SyncWorker* worker = nullptr; // lives in `thread`, deleted when it finishes
    };
    std::map<QString, Entry> m_workers;
};

} // namespace muze::sync
