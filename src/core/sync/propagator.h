#pragma once
// The propagator executes one reconciled action with temp files, verification and atomic
// renames, then writes the journal (private to muze_sync; the engine drives it).
//
// Outcomes: Done; Retry (the world moved under us — a rev mismatch, a file edited since the
// scan, a remote file replaced mid-download — so the next pass looks again); Failed (this path
// only: recorded in the queue with its error); Stop (offline or cancelled: end the run).

#include "basestore.h"
#include "faultseam.h"

#include <muze/remote/batchupload.h>
#include <muze/remote/fsops.h>
#include <muze/remote/remotestore.h>
#include <muze/sync/codec.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/journal.h>
#include <muze/sync/reconciler.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/throttle.h>

#include <QSet>

#include <atomic>
#include <optional>
#include <vector>

namespace muze::sync {

struct PassContext {
    QString root;
    remote::RemoteStore* remote = nullptr;
    Journal* journal = nullptr;
    const ContentCodec* codec = nullptr;
    BaseStore* bases = nullptr;
    ConflictStore* conflicts = nullptr;
    QString deviceName;
    RateLimiter* limiter = nullptr;
    FaultSeam* seam = nullptr;
    std::atomic<bool>* cancelled = nullptr;
    SyncObserver* observer = nullptr;
    SyncReport* report = nullptr;
    bool lastPass = false; // a step that must be retried now waits for the next sync
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    int filesDone = 0;
    int filesTotal = 0;
};

enum class Outcome { Done, Retry, Failed, Stop };

/// A retry on the run's last pass leaves the file for the next sync: say so in the report's
/// skipped list, with why, or a clash that fails the same way every time (a file on the remote
/// where this path needs a folder) goes unexplained forever.
void noteLeftForNextSync(PassContext& ctx, const QString& path, const Error& why);

struct StepResult {
    Outcome outcome = Outcome::Done;
    Error error;
    FileState state = FileState::Synced; // the path's state afterwards
};

class Propagator {
public:
    explicit Propagator(PassContext& ctx) : m_ctx(ctx) {}
    StepResult execute(const Action& action, const LocalFile* local, const RemoteRow* remote, const JournalRow* row);
    /// Downloads `remotePath` to the new local file `localRel` (which must not exist); no row.
    StepResult fetchInto(const QString& remotePath, const RemoteRow& remote, const QString& localRel);

    /// Journal rows of finished transfers wait here until flushCommits(): it first makes the
    /// transfers durable (remote->flush(), fsync of the local folders renamed into), then
    /// writes all rows in one transaction. Rule 2 holds per file; the fsync cost is paid once
    /// per folder and batch instead of once per file.
    Status flushCommits();

    /// After a key rotation: rewrites the remote copy of the synced file `row` under the
    /// active key, with WriteMode::Update on the journal's rev so a write from elsewhere wins
    /// (Retry). Encrypts the local file when it still holds the synced content (no download),
    /// else downloads the blob and re-encrypts it chunk by chunk. Plaintext never changes.
    StepResult rekey(const JournalRow& row, const RemoteRow& remote, const LocalFile* local);
    /// Key id in the header of the remote blob at `path` (a ranged read of the header only).
    Result<quint32> remoteKeyId(const QString& path);
    /// Queues a journal-only correction of `row` for the next flush.
    Status queueRow(const JournalRow& row) { return commit(row, nullptr, nullptr); }

    /// Staged uploads count once: they hold no commit yet, and the propagator sends them
    /// itself when a batch is full (propagatorbatch.cpp).
    int queuedCommits() const { return int(m_queue.size() + m_placements.size()) + (m_staged.empty() ? 0 : 1); }

private:
    struct Fetched {
        QString temp;      // plaintext temp file under .muze-state/tmp
        QString plainHash;
        quint32 keyId = 0;
    };
    struct Sent {
        remote::RemoteEntry entry;
        QString plainHash;
        quint32 keyId = 0;
    };

    StepResult upload(const Action& a, const LocalFile& local);
    StepResult download(const Action& a, const LocalFile* local, const RemoteRow& remote);
    StepResult deleteLocal(const Action& a, const LocalFile& local);
    StepResult deleteRemote(const Action& a);
    StepResult record(const Action& a, const LocalFile* local, const RemoteRow& remote, const JournalRow* row);
    StepResult forget(const Action& a);
    StepResult cloudOnly(const Action& a, const RemoteRow& remote);
    StepResult resolve(const Action& a, const LocalFile& local, const RemoteRow& remote, const JournalRow* row);
    StepResult merge(const Action& a, const LocalFile& local, const RemoteRow& remote, const JournalRow* row, Fetched& f);
    StepResult conflictCopy(const Action& a, const LocalFile& local, const RemoteRow& remote, Fetched& f);
    StepResult adoptRemote(const Action& a, const LocalFile& local, const RemoteRow& remote, Fetched& f);

    /// A downloaded file waiting for its batch: placed (renamed into the vault) at flush.
    struct Placement {
        QString path;
        std::optional<LocalFile> local; // what the scan saw at the target (none: must be absent)
        RemoteRow remote;
        QString temp;
        QString target;
        QString plainHash;
        quint32 keyId = 0;
        QByteArray json;
    };
    static constexpr qint64 kBatchedDownloadMax = 4 * 1024 * 1024;

    Result<Fetched> fetch(const QString& path, const RemoteRow& remote, bool durable = true);
    StepResult place(const Placement& p);
    Status makeDurable(const std::vector<Placement>& batch) const;
    Result<Sent> send(const QString& path, QIODevice& plain, qint64 size, const remote::WriteSpec& spec);
    Status commit(const JournalRow& row, const remote::RemoteEntry* entry, const QByteArray* jsonBase);
    Result<QString> prepareTarget(const QString& relPath); // absolute path; parents created, symlinks refused
    QString tempPath(const QString& tag) const;
    QString abs(const QString& rel) const { return m_ctx.root + QLatin1Char('/') + rel; }
    void pruneEmptyParents(const QString& rel) const;
    bool unchanged(const LocalFile& local) const;
    StepResult fail(const Error& e) const;
    StepResult retry(const QString& why) const;
    void step(const char* what, const QString& path) { m_ctx.seam->step(what, path); }
    remote::ProgressFn progressFn();

    Status renameLocal(const QString& from, const QString& to); // atomic; folder fsynced at flush

    /// A small upload waiting to be committed with others (RemoteStore::batchUploads()).
    struct Staged {
        LocalFile local;
        remote::BatchItem item;
        QString plainHash;
        quint32 keyId = 0;
        QByteArray json; // the merge base of a JSON file
    };
    bool stageUpload(const Action& a, const LocalFile& local, StepResult& result);
    Status sendStaged(); // rows of confirmed files join the queue; a Stop-class error is returned
    std::vector<Staged> m_staged;
    qint64 m_stagedBytes = 0;

    struct Queued {
        JournalRow row;
        std::optional<remote::RemoteEntry> entry;
    };
    PassContext& m_ctx;
    std::vector<Queued> m_queue;
    std::vector<Placement> m_placements;
    QSet<QString> m_dirtyDirs;
};

/// The activity log line of a finished step (none for steps that move nothing, retries, cancels).
std::optional<ActivityRow> activityOf(const Action& a, const StepResult& res, qint64 size);

JournalRow rowFor(const QString& path, const remote::fs::FileStat& st, const QString& plainHash, const QString& rev,
                  const QString& remoteHash, qint64 remoteSize, quint32 keyId);

} // namespace muze::sync
