#pragma once
// The sync journal of one vault: SQLite at <vault>/.muze-state/journal.sqlite (local-only).
//
//   files    one row per path as of its last successful sync (DESIGN.md §3): the local file's
//            size/mtime/inode/plaintext hash, the remote rev and hash (ciphertext when
//            encrypted), key id, state, last error, retry-after. Written only after that
//            path's transfer finished and was verified.
//   remote   the remote tree as last listed (a mirror advanced with the cursor in one
//            transaction), so a change seen but not yet acted on is never forgotten.
//   pending  the queue: what the last pass still had to do, with errors and retry times.
//            It survives restarts (offline) and feeds per-file status without a network.
//   wanted   audio the user asked for (download on demand).
//   activity the last kActivityKeep transfers and errors (time, file, direction, size, result)
//            for the user to read (journalactivity.cpp).
//   meta     cursor, schema version.
//
// Durability: WAL with synchronous=NORMAL. A commit survives a crash of the process at any
// instant (the WAL is in the OS cache); a power cut may lose the last commits, never the
// database's integrity. Losing a journal row only makes the next pass re-examine that path:
// both sides then hold the same content, which rule 3 ("equal content is never a conflict")
// records without a transfer. FULL would add an fsync per file for no gain in safety.
//
// Threading: a Journal opens its own connection (a name unique per instance and thread) and
// must be used and destroyed on the thread that opened it.

#include <muze/util/result.h>

#include <QHash>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace muze::remote {
struct ChangeSet;
}

namespace muze::sync {

struct JournalRow {
    QString path; // NFC
    bool localPresent = true; // false: known remotely only ("cloud-only")
    qint64 localSize = 0;
    qint64 localMtimeNs = 0;
    quint64 localInode = 0;
    QString localHash; // plaintext content hash
    QString remoteRev;
    QString remoteHash; // hash of the stored bytes (ciphertext in an encrypted vault)
    qint64 remoteSize = 0;
    quint32 keyId = 0;
    QString state = QStringLiteral("synced"); // synced | cloud_only
    QString lastError;
    qint64 retryAfter = 0; // epoch seconds
};

struct RemoteRow {
    QString path;
    QString rev;
    QString hash;
    qint64 size = 0;
    qint64 clientModifiedMs = 0; // 0 = unknown
    QString pathLower; // the remote's key (Dropbox path_lower); the mirror holds one row per key
    QString id;        // the remote's file id; empty when unknown
};

struct PendingRow {
    QString path;
    QString action;
    int attempts = 0;
    QString lastError;
    qint64 retryAfter = 0;
};

struct ActivityRow {
    qint64 timeMs = 0;  // epoch milliseconds
    QString path;
    QString direction;  // "up" | "down" | "delete-remote" | "delete-local" | "merge" | "conflict"
    qint64 size = 0;    // bytes moved (0 for deletes)
    bool ok = true;
    QString result;     // "" when ok, else the error
};

class Journal {
public:
    static constexpr int kActivityKeep = 200;

    static Result<std::unique_ptr<Journal>> open(const QString& vaultRoot);
    ~Journal();
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    QString filePath() const { return m_file; }

    Result<QHash<QString, JournalRow>> rows() const;
    Result<std::optional<JournalRow>> row(const QString& path) const;
    Status putRow(const JournalRow& row);
    Status removeRow(const QString& path);

    Result<QHash<QString, RemoteRow>> remoteRows() const;
    /// Applies a listing to the mirror and stores its cursor, atomically. A deleted entry
    /// removes its whole subtree (Dropbox reports a deleted or moved folder alone), compared
    /// by the remote's path_lower; an entry's folders keep the casing the mirror knows.
    Status applyRemoteChanges(const remote::ChangeSet& changes);
    /// One row per remote key: a row with a pathLower replaces any other spelling of it.
    Status putRemote(const RemoteRow& row);
    Status removeRemote(const QString& path);
    QString cursor() const;

    Result<std::vector<PendingRow>> pending() const;
    /// Replaces the queue, keeping attempts/errors of paths that stay queued.
    Status setPending(const std::vector<PendingRow>& queue);
    Status removePending(const QString& path);
    Status notePendingError(const QString& path, const QString& action, const QString& error, qint64 retryAfter);

    Result<QStringList> wanted() const;
    Status addWanted(const QString& path);
    Status removeWanted(const QString& path);

    /// Appends to the activity log in one transaction and keeps its newest kActivityKeep rows.
    Status addActivity(const std::vector<ActivityRow>& rows);
    /// Newest first.
    Result<std::vector<ActivityRow>> activity(int limit = kActivityKeep) const;

    QString meta(const QString& key) const;
    Status setMeta(const QString& key, const QString& value);

    /// Runs `fn` in one transaction (rolled back when it fails).
    Status transaction(const std::function<Status()>& fn);

private:
    Journal() = default;
    Status init();
    Status exec(const QString& sql);
    Status addMirrorKeys();                                                  // journalmirror.cpp
    Status removeRemoteTree(const QString& path, const QString& pathLower); // journalmirror.cpp

    QString m_file;
    QString m_connection;
};

} // namespace muze::sync
