#include <muze/sync/journal.h>

#include "diskfull.h"
#include "mirrorcasing.h"

#include <muze/model/layout.h>
#include <muze/remote/remotestore.h>
#include <muze/util/clock.h>

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <atomic>

namespace muze::sync {

namespace {

constexpr int kSchemaVersion = 1;
// What a journal write may need: a WAL index and a batch of pages.
constexpr qint64 kJournalHeadroom = 1024 * 1024;
std::atomic<quint64> g_connectionCounter{0};

// SQLite's primary result code for "database or disk is full", as nativeErrorCode() gives it.
constexpr int kSqliteFull = 13;

// A write the disk had no room for is the user's to fix: say which vault's disk and what to
// free, as a download that meets a full disk does, with the same code (issue 16). SQLite says
// SQLITE_FULL, but not always in a way QSQLITE passes on (a failed COMMIT comes without the
// native code; growing the WAL index fails as an I/O error), so a journal error on a disk with
// next to nothing left counts as the full disk it almost surely is.
Error dbError(const QString& journalFile, const QString& what, const QSqlError& e)
{
    const QString vaultRoot = QFileInfo(journalFile).dir().absoluteFilePath(QStringLiteral(".."));
    if (e.nativeErrorCode().toInt() == kSqliteFull || localDiskFull(vaultRoot, kJournalHeadroom))
        return diskFullError(QDir::cleanPath(vaultRoot), QStringLiteral("the sync journal"), kJournalHeadroom);
    return makeError(QStringLiteral("Sync journal: %1: %2").arg(what, e.text()), errc::journal);
}

JournalRow rowFrom(const QSqlQuery& q)
{
    JournalRow r;
    r.path = q.value(0).toString();
    r.localPresent = q.value(1).toInt() != 0;
    r.localSize = q.value(2).toLongLong();
    r.localMtimeNs = q.value(3).toLongLong();
    r.localInode = q.value(4).toULongLong();
    r.localHash = q.value(5).toString();
    r.remoteRev = q.value(6).toString();
    r.remoteHash = q.value(7).toString();
    r.remoteSize = q.value(8).toLongLong();
    r.keyId = quint32(q.value(9).toUInt());
    r.state = q.value(10).toString();
    r.lastError = q.value(11).toString();
    r.retryAfter = q.value(12).toLongLong();
    return r;
}

const char* kRowColumns = "path, local_present, local_size, local_mtime_ns, local_inode, local_hash, remote_rev, "
                          "remote_hash, remote_size, key_id, state, last_error, retry_after";

} // namespace

Result<std::unique_ptr<Journal>> Journal::open(const QString& vaultRoot)
{
    std::unique_ptr<Journal> j(new Journal);
    const QString dir = QDir(vaultRoot).filePath(model::kLocalStateDir);
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("Cannot create %1").arg(dir), errc::io);
    j->m_file = dir + QStringLiteral("/journal.sqlite");
    // One connection per Journal, named for its thread so two threads never share one.
    j->m_connection = QStringLiteral("muze-journal-%1-%2")
                          .arg(quintptr(QThread::currentThreadId()), 0, 16)
                          .arg(g_connectionCounter.fetch_add(1));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), j->m_connection);
        db.setDatabaseName(j->m_file);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (!db.open())
            return dbError(j->m_file, QStringLiteral("cannot open %1").arg(j->m_file), db.lastError());
    }
    if (Status s = j->init(); !s)
        return s.error();
    return j;
}

Journal::~Journal()
{
    if (m_connection.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Status Journal::exec(const QString& sql)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(sql))
        return dbError(m_file, sql.left(60), q.lastError());
    return {};
}

Status Journal::init()
{
    // WAL: readers (status) never block the writer; NORMAL: see the header for why it is enough.
    for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=OFF"}) {
        if (Status s = exec(QString::fromLatin1(pragma)); !s)
            return s;
    }
    const char* schema[] = {
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, local_present INTEGER NOT NULL,"
        " local_size INTEGER, local_mtime_ns INTEGER, local_inode INTEGER, local_hash TEXT,"
        " remote_rev TEXT, remote_hash TEXT, remote_size INTEGER, key_id INTEGER,"
        " state TEXT NOT NULL, last_error TEXT, retry_after INTEGER, synced_at TEXT)",
        "CREATE TABLE IF NOT EXISTS remote(path TEXT PRIMARY KEY, rev TEXT, hash TEXT, size INTEGER,"
        " client_mtime_ms INTEGER, path_lower TEXT, file_id TEXT)",
        "CREATE TABLE IF NOT EXISTS pending(path TEXT PRIMARY KEY, action TEXT, attempts INTEGER,"
        " last_error TEXT, retry_after INTEGER, queued_at TEXT)",
        "CREATE TABLE IF NOT EXISTS wanted(path TEXT PRIMARY KEY)",
        "CREATE TABLE IF NOT EXISTS activity(seq INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL,"
        " path TEXT NOT NULL, direction TEXT NOT NULL, size INTEGER, ok INTEGER NOT NULL, result TEXT)",
    };
    for (const char* sql : schema) {
        if (Status s = exec(QString::fromLatin1(sql)); !s)
            return s;
    }
    if (Status s = addMirrorKeys(); !s)
        return s;
    const QString version = meta(QStringLiteral("schema"));
    if (version.isEmpty())
        return setMeta(QStringLiteral("schema"), QString::number(kSchemaVersion));
    if (version.toInt() > kSchemaVersion)
        return makeError(QStringLiteral("The sync journal %1 was written by a newer Muze").arg(m_file), errc::journal);
    return {};
}

Result<QHash<QString, JournalRow>> Journal::rows() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM files").arg(QLatin1String(kRowColumns))))
        return dbError(m_file, QStringLiteral("reading files"), q.lastError());
    QHash<QString, JournalRow> out;
    while (q.next()) {
        JournalRow r = rowFrom(q);
        out.insert(r.path, std::move(r));
    }
    return out;
}

Result<std::optional<JournalRow>> Journal::row(const QString& path) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT %1 FROM files WHERE path = ?").arg(QLatin1String(kRowColumns)));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("reading %1").arg(path), q.lastError());
    if (!q.next())
        return std::optional<JournalRow>();
    return std::optional<JournalRow>(rowFrom(q));
}

Status Journal::putRow(const JournalRow& r)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO files(%1, synced_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
                  .arg(QLatin1String(kRowColumns)));
    q.addBindValue(r.path);
    q.addBindValue(r.localPresent ? 1 : 0);
    q.addBindValue(r.localSize);
    q.addBindValue(r.localMtimeNs);
    q.addBindValue(qint64(r.localInode));
    q.addBindValue(r.localHash);
    q.addBindValue(r.remoteRev);
    q.addBindValue(r.remoteHash);
    q.addBindValue(r.remoteSize);
    q.addBindValue(r.keyId);
    q.addBindValue(r.state);
    q.addBindValue(r.lastError);
    q.addBindValue(r.retryAfter);
    q.addBindValue(nowIso());
    if (!q.exec())
        return dbError(m_file, QStringLiteral("writing %1").arg(r.path), q.lastError());
    return {};
}

Status Journal::removeRow(const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM files WHERE path = ?"));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("removing %1").arg(path), q.lastError());
    return {};
}

Result<QHash<QString, RemoteRow>> Journal::remoteRows() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT path, rev, hash, size, client_mtime_ms, path_lower, file_id FROM remote")))
        return dbError(m_file, QStringLiteral("reading the remote mirror"), q.lastError());
    QHash<QString, RemoteRow> out;
    while (q.next()) {
        RemoteRow r{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(), q.value(3).toLongLong(),
                    q.value(4).toLongLong(), q.value(5).toString(), q.value(6).toString()};
        out.insert(r.path, std::move(r));
    }
    return out;
}

Status Journal::putRemote(const RemoteRow& r)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    QString lower = r.pathLower;
    if (lower.isEmpty()) { // keep the key the remote gave this path before
        q.prepare(QStringLiteral("SELECT path_lower FROM remote WHERE path = ?"));
        q.addBindValue(r.path);
        if (q.exec() && q.next())
            lower = q.value(0).toString();
    } else { // another spelling of the same remote file is this one now
        q.prepare(QStringLiteral("DELETE FROM remote WHERE path_lower = ? AND path <> ?"));
        q.addBindValue(lower);
        q.addBindValue(r.path);
        if (!q.exec())
            return dbError(m_file, QStringLiteral("writing the mirror of %1").arg(r.path), q.lastError());
    }
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO remote(path, rev, hash, size, client_mtime_ms, path_lower, file_id)"
                             " VALUES(?,?,?,?,?,?,?)"));
    q.addBindValue(r.path);
    q.addBindValue(r.rev);
    q.addBindValue(r.hash);
    q.addBindValue(r.size);
    q.addBindValue(r.clientModifiedMs);
    q.addBindValue(lower.isEmpty() ? QVariant() : QVariant(lower));
    q.addBindValue(r.id.isEmpty() ? QVariant() : QVariant(r.id));
    if (!q.exec())
        return dbError(m_file, QStringLiteral("writing the mirror of %1").arg(r.path), q.lastError());
    return {};
}

Status Journal::removeRemote(const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM remote WHERE path = ?"));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("removing the mirror of %1").arg(path), q.lastError());
    return {};
}

Status Journal::applyRemoteChanges(const remote::ChangeSet& changes)
{
    // Nothing changed (the common answer to a no-op sync): no read of the mirror, no write.
    if (!changes.complete && changes.entries.empty() && changes.cursor == cursor())
        return {};
    Result<QHash<QString, RemoteRow>> before = remoteRows();
    if (!before)
        return before.error();
    MirrorCasing casing(*before);
    return transaction([&]() -> Status {
        if (changes.complete) {
            if (Status s = exec(QStringLiteral("DELETE FROM remote")); !s)
                return s;
        }
        for (const remote::RemoteEntry& e : changes.entries) {
            if (e.isFolder)
                continue;
            if (e.deleted) {
                if (Status s = removeRemoteTree(e.path, e.pathLower); !s)
                    return s;
                continue;
            }
            const qint64 client = e.clientModified.isValid() ? e.clientModified.toMSecsSinceEpoch() : 0;
            const QString path = casing.spell(e.path, e.pathLower);
            if (Status s = putRemote(RemoteRow{path, e.rev, e.contentHash, e.size, client, e.pathLower, e.id}); !s)
                return s;
        }
        return setMeta(QStringLiteral("cursor"), changes.cursor);
    });
}

QString Journal::cursor() const { return meta(QStringLiteral("cursor")); }

Result<std::vector<PendingRow>> Journal::pending() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT path, action, attempts, last_error, retry_after FROM pending ORDER BY path")))
        return dbError(m_file, QStringLiteral("reading the queue"), q.lastError());
    std::vector<PendingRow> out;
    while (q.next())
        out.push_back({q.value(0).toString(), q.value(1).toString(), q.value(2).toInt(), q.value(3).toString(),
                       q.value(4).toLongLong()});
    return out;
}

Status Journal::setPending(const std::vector<PendingRow>& queue)
{
    Result<std::vector<PendingRow>> before = pending();
    if (!before)
        return before.error();
    QHash<QString, PendingRow> old;
    for (const PendingRow& p : *before)
        old.insert(p.path, p);
    if (queue.empty() && old.isEmpty())
        return {}; // nothing queued before or now: no write (a no-op sync writes nothing)
    return transaction([&]() -> Status {
        if (Status s = exec(QStringLiteral("DELETE FROM pending")); !s)
            return s;
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO pending(path, action, attempts, last_error, retry_after, queued_at)"
                                 " VALUES(?,?,?,?,?,?)"));
        for (const PendingRow& p : queue) {
            const auto o = old.constFind(p.path);
            const bool keep = o != old.cend() && o->action == p.action;
            q.bindValue(0, p.path);
            q.bindValue(1, p.action);
            q.bindValue(2, keep ? o->attempts : p.attempts);
            q.bindValue(3, keep ? o->lastError : p.lastError);
            q.bindValue(4, keep ? o->retryAfter : p.retryAfter);
            q.bindValue(5, nowIso());
            if (!q.exec())
                return dbError(m_file, QStringLiteral("queueing %1").arg(p.path), q.lastError());
        }
        return {};
    });
}

Status Journal::removePending(const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM pending WHERE path = ?"));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("dequeueing %1").arg(path), q.lastError());
    return {};
}

Status Journal::notePendingError(const QString& path, const QString& action, const QString& error, qint64 retryAfter)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT INTO pending(path, action, attempts, last_error, retry_after, queued_at) VALUES(?,?,1,?,?,?)"
                             " ON CONFLICT(path) DO UPDATE SET action = excluded.action, attempts = attempts + 1,"
                             " last_error = excluded.last_error, retry_after = excluded.retry_after"));
    q.addBindValue(path);
    q.addBindValue(action);
    q.addBindValue(error);
    q.addBindValue(retryAfter);
    q.addBindValue(nowIso());
    if (!q.exec())
        return dbError(m_file, QStringLiteral("noting an error for %1").arg(path), q.lastError());
    return {};
}

Result<QStringList> Journal::wanted() const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("SELECT path FROM wanted ORDER BY path")))
        return dbError(m_file, QStringLiteral("reading downloads on demand"), q.lastError());
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Status Journal::addWanted(const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR IGNORE INTO wanted(path) VALUES(?)"));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("asking for %1").arg(path), q.lastError());
    return {};
}

Status Journal::removeWanted(const QString& path)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("DELETE FROM wanted WHERE path = ?"));
    q.addBindValue(path);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("forgetting the request for %1").arg(path), q.lastError());
    return {};
}

QString Journal::meta(const QString& key) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    q.addBindValue(key);
    if (!q.exec() || !q.next())
        return {};
    return q.value(0).toString();
}

Status Journal::setMeta(const QString& key, const QString& value)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
    q.addBindValue(key);
    q.addBindValue(value);
    if (!q.exec())
        return dbError(m_file, QStringLiteral("writing %1").arg(key), q.lastError());
    return {};
}

Status Journal::transaction(const std::function<Status()>& fn)
{
    QSqlDatabase db = QSqlDatabase::database(m_connection, false);
    if (!db.transaction())
        return dbError(m_file, QStringLiteral("starting a transaction"), db.lastError());
    Status s = fn();
    if (!s) {
        db.rollback();
        return s;
    }
    if (!db.commit()) {
        const QSqlError e = db.lastError();
        db.rollback();
        return dbError(m_file, QStringLiteral("committing"), e);
    }
    return {};
}

} // namespace muze::sync
