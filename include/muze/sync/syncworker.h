#pragma once
// SyncWorker: one vault's sync loop on its own thread (DESIGN.md §1). Built by SyncController;
// use the controller unless you manage threads yourself.
//
// Everything it uses is created in its thread by start(): the remote (and so any
// QNetworkAccessManager), the engine and its journal connection, the timers and the
// QFileSystemWatcher. A remote with change notification (Dropbox longpoll) is watched by a
// helper thread holding its own remote, so this thread never blocks for long.
//
// Triggers: start, the interval timer (settings: 5/15/60 min or manual), local file events
// (debounced 2 s, at most 20 s late while events keep coming), remote news (longpoll), syncNow().
// Offline: the queue stays in the journal and the worker retries with backoff (15 s ... 5 min).
//
// Requests that arrive while a run is going (the Dropbox client runs a nested event loop, so
// slots are delivered mid-run) are queued, never dropped: syncNow (and its force, the user's
// mass-delete consent), requestDownload and applySettings during a run make exactly one
// follow-up run with the union of what was asked.
//
// Cancelling: each run has its own cancel token. interrupt() (the worker is going away) is
// sticky: it stops the running sync and any sync not started yet never starts, so an
// interrupt that arrives before run() is not lost. Pausing cancels only the current run.
//
// State: statusChanged(VaultStatus) (syncstatus.h); file states: fileStatesChanged batches
// (at most ~20 a second while a run goes; `snapshot` batches after a run list every file).

#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>
#include <muze/sync/syncstatus.h>
#include <muze/vault/vaultrecord.h>

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>

class QTimer;
class QFileSystemWatcher;

namespace muze::sync {

class LongPoller;
class FileStateBatcher;

class SyncWorker : public QObject {
    Q_OBJECT
public:
    SyncWorker(vault::VaultRecord vault, QString deviceName, QObject* parent = nullptr);
    ~SyncWorker() override;

    /// Thread-safe and sticky: the worker is going away (vault removed, quitting). A running
    /// sync returns soon (a transfer in flight is abandoned, its journal row not written);
    /// no later run starts.
    void interrupt();
    /// Thread-safe: cancels the run going now, if any (pausing).
    void cancelCurrentRun();
    QString vaultId() const { return m_vault.id; }
    /// Before start(): each run records this device in the vault's device list.
    void setDeviceId(const QString& id) { m_deviceId = id; }

public Q_SLOTS:
    void start();
    void syncNow(bool force = false);
    void requestDownload(const QString& path);
    void applySettings(const muze::sync::SyncSettings& settings);
    /// Writes the current settings to the vault's local state.
    void saveSettings();
    /// Pauses or resumes this vault; remembered in its sync settings (`paused`).
    void setPaused(bool paused);
    /// All vaults paused (the controller remembers it); this vault syncs only when neither is.
    void setAllPaused(bool paused);
    /// Removes this device's copies of these synced takes (freeup.h); after a run if one goes.
    void freeUpSpace(const QStringList& paths);
    void stop();

Q_SIGNALS:
    void statusChanged(const muze::sync::VaultStatus& status);
    void progress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    /// `snapshot`: the states of every file the vault knows (after a run, from status());
    /// otherwise the files that changed since the last batch.
    void fileStatesChanged(const QString& vaultId, const muze::sync::FileSyncStates& states, bool snapshot);
    void syncFinished(const QString& vaultId, bool converged, const QString& summary);
    /// After freeUpSpace: what was removed, what was kept and why, or the error.
    void spaceFreed(const QString& vaultId, const QStringList& freed, const QStringList& kept, qint64 bytes,
                    const QString& error);

private:
    struct Queued {
        bool run = false;
        bool force = false;
        QStringList downloads;
        bool settings = false;
        SyncSettings newSettings;
        QStringList freeUp;
    };
    void request(bool force);
    void runSync(bool force);
    void finishRun(const Result<SyncReport>& report);
    void emitSnapshot(VaultStatus& status);
    void onLocalEvent();
    void rewatch();
    void setState(VaultState state, const QString& message);
    bool paused() const { return m_settings.paused || m_allPaused; }

    vault::VaultRecord m_vault;
    QString m_deviceName;
    QString m_deviceId;
    SyncSettings m_settings;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<FileStateBatcher> m_observer;
    QMutex m_engineMutex; // guards m_engine and m_runToken for interrupt() from other threads
    std::shared_ptr<std::atomic<bool>> m_runToken; // the running sync's cancel token
    std::atomic<bool> m_stopping{false};
    QTimer* m_interval = nullptr;
    QTimer* m_debounce = nullptr;
    QTimer* m_retry = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    LongPoller* m_poller = nullptr;
    QElapsedTimer m_firstEvent;
    int m_backoffSeconds = 0;
    QString m_keysProblem; // why the keys cannot be used (a tampered or rolled-back key ring), for the state
    bool m_syncing = false;
    bool m_eventsDuringSync = false;
    bool m_allPaused = false;
    bool m_kickPosted = false;
    Queued m_queued;
    VaultStatus m_status;
};

} // namespace muze::sync
