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
// Vault states (vaultStateChanged): "syncing", "synced", "pending" (skipped files: recording,
// settling), "offline", "error", "locked" (encrypted, no keys here), "attention" (a pass was
// refused by the mass-delete rail: call syncNow(force=true) once the user agrees).
// File states (fileStateChanged): synced, syncing, pending, conflict, error, cloud-only.

#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>
#include <muze/vault/vaultrecord.h>

#include <QElapsedTimer>
#include <QMutex>
#include <QObject>

#include <memory>

class QTimer;
class QFileSystemWatcher;

namespace muze::sync {

class LongPoller;

class SyncWorker : public QObject {
    Q_OBJECT
public:
    SyncWorker(vault::VaultRecord vault, QString deviceName, QObject* parent = nullptr);
    ~SyncWorker() override;

    /// Thread-safe: makes a running sync or wait return soon (used before quitting the thread
    /// and by "sync now").
    void interrupt();
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
    void stop();

Q_SIGNALS:
    void vaultStateChanged(const QString& vaultId, const QString& state, const QString& message);
    void progress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void fileStateChanged(const QString& vaultId, const QString& path, const QString& state);
    void syncFinished(const QString& vaultId, bool converged, const QString& summary);

private:
    class Observer;
    void runSync(bool force);
    void onLocalEvent();
    void rewatch();
    void setState(const QString& state, const QString& message);

    vault::VaultRecord m_vault;
    QString m_deviceName;
    QString m_deviceId;
    SyncSettings m_settings;
    std::unique_ptr<SyncEngine> m_engine;
    std::unique_ptr<Observer> m_observer;
    QMutex m_engineMutex; // guards m_engine for interrupt() from other threads
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
    QString m_state;
};

} // namespace muze::sync
