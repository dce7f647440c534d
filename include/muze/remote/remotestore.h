#pragma once
// The remote side of a vault (DESIGN.md §5): a folder, Dropbox, or iCloud's container.
//
// Threading: a RemoteStore is created, used and destroyed on the sync worker's thread. Calls
// block that thread until done (network implementations spin a local event loop), so the
// engine reads like the rules it follows; `cancel()` may be called from any thread and makes
// the running call return an error with code "cancelled" promptly.
//
// Paths are vault-relative, '/'-separated, NFC, without a leading slash ("" = the root).
// Errors carry a stable Error::code: "not_found", "conflict" (write mode / rev mismatch),
// "offline" (unreachable: queue and retry later), "rate_limited" (see retryAfterSeconds),
// "auth" (sign in again), "insufficient_space", "hostile_path", "cancelled", "io", "corrupt".

#include <muze/util/result.h>

#include <QDateTime>
#include <QIODevice>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace muze::remote {

struct RemoteEntry {
    QString path;          // vault-relative, case as stored remotely
    bool isFolder = false;
    bool deleted = false;  // in a change feed: this path is gone
    qint64 size = 0;
    QString rev;           // changes on every write of this path
    QString contentHash;   // Dropbox content_hash of the bytes stored remotely
    QDateTime modified;    // server time; informational only, never compared across devices
    QDateTime clientModified; // the writing device's own time for this version (Dropbox
                              // client_modified); invalid when unknown. Only used to pick
                              // which of two conflicting WAV takes keeps the path.
    QString pathLower;     // the remote's own lower-case key of `path` (Dropbox path_lower,
                           // vault-relative); empty when the remote has none
    QString id;            // the remote's id of the file (Dropbox "id:..."), kept across
                           // renames and moves; empty when the remote has none
};

struct ChangeSet {
    std::vector<RemoteEntry> entries;
    QString cursor;      // pass to the next listChanges()
    bool complete = false; // true: `entries` is the whole remote tree (first listing or after a reset)
};

enum class WriteMode { Add, Overwrite, Update };

struct WriteSpec {
    WriteMode mode = WriteMode::Add;
    QString rev; // for Update: the rev this write replaces
    QDateTime clientModified; // optional: stored as the entry's clientModified (Dropbox client_modified)
};

struct SpaceUsage {
    qint64 used = 0;
    qint64 allocated = -1; // -1 = unknown / unlimited
};

/// Called with bytes transferred so far; return false to abort the transfer.
using ProgressFn = std::function<bool(qint64 done, qint64 total)>;

class BatchUploads;

class RemoteStore {
public:
    virtual ~RemoteStore() = default;

    virtual QString kind() const = 0; // "folder", "dropbox", "icloud"

    /// Changes since `cursor`; an empty cursor lists everything (complete = true). A cursor the
    /// remote no longer accepts also yields a complete listing.
    virtual Result<ChangeSet> listChanges(const QString& cursor) = 0;
    virtual Result<RemoteEntry> stat(const QString& path) = 0;

    /// Streams the file (or `length` bytes from `offset`, -1 = to the end) into `sink`.
    virtual Status download(const QString& path, QIODevice& sink, qint64 offset = 0, qint64 length = -1,
                            const ProgressFn& progress = {}) = 0;
    /// Streams `size` bytes from `source` to `path`. Large files use resumable sessions where
    /// the remote has them. Returns the new entry (rev, content hash).
    virtual Result<RemoteEntry> upload(const QString& path, QIODevice& source, qint64 size, const WriteSpec& spec,
                                       const ProgressFn& progress = {}) = 0;
    /// Deletes a file; with a non-empty `rev`, only if that is still the current rev.
    virtual Status remove(const QString& path, const QString& rev = {}) = 0;
    virtual Status makeFolder(const QString& path) = 0;

    /// Blocks until something changed after `cursor` (true) or the timeout passed (false).
    virtual Result<bool> waitForChanges(const QString& cursor, int timeoutSeconds) = 0;
    virtual Result<SpaceUsage> spaceUsage() = 0;

    /// Makes every write that already returned success durable (a folder remote fsyncs the
    /// folders its renames touched). The sync engine calls it before it records transfers in
    /// its journal, so it can batch that cost. Default: nothing to do (a server's commit is
    /// durable when it answers).
    virtual Status flush() { return {}; }

    /// The remote's way of committing many small files at once (muze/remote/batchupload.h),
    /// or nullptr when it has none: then every file goes through upload().
    virtual BatchUploads* batchUploads() { return nullptr; }

    /// Asks the running call (on another thread) to stop soon.
    void cancel() { m_cancelled.store(true); }
    void resetCancel() { m_cancelled.store(false); }
    bool isCancelled() const { return m_cancelled.load(); }

    /// Seconds the server asked us to wait after a "rate_limited" error (0 = none).
    int retryAfterSeconds() const { return m_retryAfter; }

protected:
    std::atomic<bool> m_cancelled{false};
    int m_retryAfter = 0;
};

} // namespace muze::remote
