#pragma once
// The sync engine of one vault: list the remote's changes, scan the local folder, reconcile
// against the journal (reconciler.h), plan the pass (syncplan.h) and execute the plan, pass
// after pass until a pass finds nothing to do (DESIGN.md §3). Made for a registered vault by
// makeEngineForVault (vaultengine.h), for muze-cli and, on its own thread, SyncWorker.
//
//   SyncEngine engine(config, std::move(remote), makePlainCodec());
//   Result<SyncReport> r = engine.run();          // blocks; r->converged, counts, errors
//   Result<std::vector<FileStatus>> s = engine.status(); // local view, no network
//
// Safety: a vault lock (.muze-state/sync.lock) keeps two processes from syncing one vault at
// once; every local write is temp + fsync + rename; the journal row of a path is written only
// after its transfer was verified (hash of the bytes sent/received equals the remote's);
// local files the journal has not seen are never overwritten or deleted without a copy
// (conflicted copy, conflict record, or .muze-state/trash).
// Threading: create, run and destroy an engine on one thread (it opens the journal there);
// cancel() may be called from any thread. Observer calls happen on the engine's thread.

#include <muze/remote/remotestore.h>
#include <muze/sync/codec.h>
#include <muze/sync/freeup.h>
#include <muze/sync/syncsettings.h>
#include <muze/sync/syncstatus.h> // FileState
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace muze::sync {


struct FileStatus {
    QString path;
    FileState state = FileState::Synced;
    QString detail; // why pending / the error / the conflict id
};

struct SyncReport {
    int passes = 0;
    int uploaded = 0;
    int downloaded = 0;
    int deletedLocal = 0;
    int deletedRemote = 0;
    int merged = 0;
    int conflicts = 0;   // conflicts recorded by this run (field and file)
    int recorded = 0;    // equal content found on both sides: journal only
    int cloudOnly = 0;
    qint64 bytesUp = 0;
    qint64 bytesDown = 0;
    int hashedFiles = 0;
    qint64 hashedBytes = 0;
    int reencrypted = 0;     // files moved to the active key by this run (after a key rotation)
    int reencryptLeft = -1;  // synced files still stored under an older key (or not yet checked);
                             // -1: not looked at (rekeyBudget 0, plain or locked vault)
    QStringList skipped;  // "path: reason" (recording, settling, locked, audio off)
    QStringList errors;   // "path: message"
    QStringList rejected; // remote names refused as hostile
    QStringList notes;    // renames for case clashes, adopted identity, local names that cannot sync
    bool converged = false;
    bool massDeleteRefused = false;
    bool locked = false;  // encrypted and no keys here: only the key ring moved
    QString message;      // why the run stopped early (mass delete, locked vault)

    Json toJson() const;
    QString summary() const; // one line for humans
};

struct SyncOptions {
    bool force = false;        // pass the mass-delete safety rail
    int maxPasses = 4;
    QStringList download;      // audio to fetch now (added to the on-demand list)
    bool waitForSettling = true; // files skipped only because they were just written: wait
                                 // the settle window once and take them in this run
    /// After a key rotation, how many bytes of files stored under an older key this run
    /// rewrites under the active key once the passes are done (0: none, -1: all of them).
    /// The worker spends a budget per run (gradual); `muze-cli keys reencrypt` asks for all.
    qint64 rekeyBudget = 0;
    /// The caller's cancel token for this run (SyncWorker: one per run). Set before run()
    /// starts, the run does nothing and returns "cancelled"; cancel() stops it meanwhile.
    const std::atomic<bool>* cancel = nullptr;
};

/// Callbacks on the engine's thread.
class SyncObserver {
public:
    virtual ~SyncObserver() = default;
    virtual void fileStateChanged(const QString& path, FileState state) { Q_UNUSED(path); Q_UNUSED(state); }
    virtual void progress(qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
    {
        Q_UNUSED(bytesDone); Q_UNUSED(bytesTotal); Q_UNUSED(filesDone); Q_UNUSED(filesTotal);
    }
};

struct SyncEngineConfig {
    QString vaultRoot;
    QString deviceName;  // names conflicted copies and conflict records
    SyncSettings settings;
    qint64 settleMs = 2000; // rule 4 window (MUZE_SYNC_SETTLE_MS overrides it, for tests)
};

/// Which keys the remote copies are stored under, from the journal (no network).
struct KeyUsage {
    int older = 0;   // synced files stored under a key other than the active one
    int unknown = 0; // synced files whose key this device has not seen yet (cloud-only takes,
                     // equal content recorded without a transfer): the next re-encryption reads
                     // their headers
};
/// KeyUsage of the vault at `vaultRoot` against `activeKeyId`; all zero when it never synced.
Result<KeyUsage> storedKeyUsage(const QString& vaultRoot, quint32 activeKeyId);

class SyncEngine {
public:
    /// `codec` null: the vault is encrypted but locked here; only the key ring syncs.
    SyncEngine(SyncEngineConfig config, std::unique_ptr<remote::RemoteStore> remote,
               std::unique_ptr<ContentCodec> codec);
    ~SyncEngine();
    SyncEngine(const SyncEngine&) = delete;
    SyncEngine& operator=(const SyncEngine&) = delete;

    /// One sync: passes until converged (or maxPasses). Errors: "busy" (another process is
    /// syncing this vault), "offline", "cancelled", "journal", "io". Per-file failures are
    /// in the report, not errors.
    Result<SyncReport> run(const SyncOptions& options = {});
    /// Per-file states from the local scan, the journal and the last listing (no network).
    Result<std::vector<FileStatus>> status();
    /// Marks audio for download on demand (fetched by the next run).
    Status requestDownload(const QString& path);
    /// Removes local copies of synced takes (freeup.h), through this engine's journal. Not during run().
    Result<FreeUpResult> freeUpSpace(const QStringList& paths);

    void setObserver(SyncObserver* observer) { m_observer = observer; }
    /// Replaces the codec (a vault unlocked after the engine was made). Not during run().
    void setCodec(std::unique_ptr<ContentCodec> codec);
    bool hasCodec() const;
    bool encrypting() const;
    /// True when the key ring changed on disk since the codec was set (a rotation here or on
    /// another device): the owner should make a new codec before the next run.
    bool codecOutdated() const;
    /// Makes a codec from the vault's current key ring (makeCodecForVault). With one, a run
    /// that brings in a changed key ring takes it alone first, makes the codec again and goes
    /// on with the new keys, so files another device re-encrypted open in the same run.
    using CodecProvider = std::function<Result<std::unique_ptr<ContentCodec>>()>;
    void setCodecProvider(CodecProvider provider) { m_codecProvider = std::move(provider); }
    void setSettings(const SyncSettings& settings);
    /// Set: each run records this device in the vault's device list (vault/devicelist.h).
    void setDeviceId(const QString& id) { m_deviceId = id; }
    const SyncEngineConfig& config() const { return m_config; }
    remote::RemoteStore& remote() { return *m_remote; }
    /// The journal's cursor (for waitForChanges).
    QString cursor();
    /// Stops the running call soon (any thread).
    void cancel();

private:
    void refreshCodec(SyncReport& report);

    struct Impl;
    std::unique_ptr<Impl> m_d;
    SyncEngineConfig m_config;
    std::unique_ptr<remote::RemoteStore> m_remote;
    SyncObserver* m_observer = nullptr;
    CodecProvider m_codecProvider;
    QString m_deviceId;
};

} // namespace muze::sync
