#include "propagator.h"
#include "diskfull.h"
#include "takeguard.h"

#include "hashingdevice.h"
#include "propagatorutil.h"

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <unistd.h>

namespace muze::sync {

namespace fs = remote::fs;

JournalRow rowFor(const QString& path, const fs::FileStat& st, const QString& plainHash, const QString& rev,
                  const QString& remoteHash, qint64 remoteSize, quint32 keyId)
{
    JournalRow r;
    r.path = path;
    r.localPresent = true;
    r.localSize = st.size;
    r.localMtimeNs = st.mtimeNs;
    r.localInode = st.inode;
    r.localHash = plainHash;
    r.remoteRev = rev;
    r.remoteHash = remoteHash;
    r.remoteSize = remoteSize;
    r.keyId = keyId;
    return r;
}

StepResult Propagator::fail(const Error& e) const
{
    if (e.isAnyOf({errc::offline, errc::cancelled, errc::auth, errc::insufficient_space, errc::local_disk_full}))
        return {Outcome::Stop, e, FileState::Pending};
    if (e.isAnyOf({errc::conflict, errc::changed, errc::not_found}))
        return {Outcome::Retry, e, FileState::Pending}; // the remote moved since the listing
    return {Outcome::Failed, e, FileState::Error};
}

StepResult Propagator::retry(const QString& why) const
{
    return {Outcome::Retry, makeError(why, errc::changed), FileState::Pending};
}

bool Propagator::unchanged(const LocalFile& local) const { return sameStat(fs::lstatPath(abs(local.diskPath)), local); }

QString Propagator::tempPath(const QString& tag) const
{
    const QString dir = m_ctx.root + QLatin1Char('/') + model::kLocalStateDir + QStringLiteral("/tmp");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + tag + QLatin1Char('-') + newId();
}

remote::ProgressFn Propagator::progressFn()
{
    const qint64 base = m_ctx.bytesDone;
    auto midway = std::make_shared<bool>(false);
    return [this, base, midway](qint64 done, qint64 total) {
        if (done < total && !*midway) {
            *midway = true; // a crash point inside a multi-chunk transfer
            step("transfer:partial", {});
        }
        if (m_ctx.observer)
            m_ctx.observer->progress(base + done, m_ctx.bytesTotal, m_ctx.filesDone, m_ctx.filesTotal);
        return !m_ctx.cancelled->load();
    };
}

Result<QString> Propagator::prepareTarget(const QString& relPath)
{
    // Walk the parents as they are spelled on disk (a folder may be stored NFD), refusing to
    // go through a symlink — a remote name must never lead outside the vault.
    QString current = m_ctx.root;
    const QStringList parts = relPath.split(QLatin1Char('/'));
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        QString next = current + QLatin1Char('/') + parts[i];
        fs::FileStat st = fs::lstatPath(next);
        if (!st.exists) {
            for (const QString& name : QDir(current).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
                if (fs::nfc(name) == parts[i]) {
                    next = current + QLatin1Char('/') + name;
                    st = fs::lstatPath(next);
                    break;
                }
            }
        }
        if (st.isSymlink)
            return makeError(QStringLiteral("%1: a symlink is in the way; refusing to write through it").arg(relPath),
                errc::hostile_path);
        if (st.exists && !st.isDir)
            return makeError(QStringLiteral("%1: a file is in the way of this folder").arg(relPath), errc::io);
        if (!st.exists && !QDir().mkdir(next))
            return makeError(QStringLiteral("Cannot create the folder %1").arg(next), errc::io);
        current = next;
    }
    return current + QLatin1Char('/') + parts.last();
}

namespace {
// Empty folders below `dir`, deepest first (rmdir leaves any that still hold something).
void removeEmptyFolders(const QString& dir)
{
    for (const QFileInfo& sub : QDir(dir).entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden | QDir::NoSymLinks)) {
        removeEmptyFolders(sub.absoluteFilePath());
        QDir().rmdir(sub.absoluteFilePath());
    }
}
} // namespace

void Propagator::pruneEmptyParents(const QString& rel) const
{
    QString dir = QFileInfo(abs(rel)).absolutePath();
    while (dir.size() > m_ctx.root.size() && QDir().rmdir(dir))
        dir = QFileInfo(dir).absolutePath();
}

Status Propagator::commit(const JournalRow& row, const remote::RemoteEntry* entry, const QByteArray* jsonBase)
{
    // Base first, row later: a row never names a base that is not there.
    if (jsonBase) {
        if (Status s = m_ctx.bases->put(row.localHash, *jsonBase); !s)
            return s;
    }
    m_queue.push_back({row, entry ? std::optional<remote::RemoteEntry>(*entry) : std::nullopt});
    return {};
}

Status Propagator::renameLocal(const QString& from, const QString& to)
{
    if (Status s = fs::renameAtomic(from, to); !s)
        return s;
    m_dirtyDirs.insert(QFileInfo(to).absolutePath());
    return {};
}

Result<Propagator::Fetched> Propagator::fetch(const QString& path, const RemoteRow& remote, bool durable)
{
    const QString temp = tempPath(QStringLiteral("dl"));
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(QStringLiteral("Cannot write %1: %2").arg(temp, file.errorString()), errc::io);
    QString storedHash;
    {
        ThrottledDevice throttled(file, m_ctx.limiter);
        HashingDevice hashing(throttled);
        Status s = m_ctx.remote->download(path, hashing, 0, -1, progressFn());
        storedHash = hashing.hash();
        if (s)
            s = syncAndClose(file, durable && (!m_ctx.codec->encrypted() || isPlaintextPath(path)));
        if (!s) {
            const bool full = file.error() == QFileDevice::ResourceError || localDiskFull(m_ctx.root, remote.size);
            file.close();
            QFile::remove(temp); // never a half file, here or at the final path
            if (full)
                return diskFullError(m_ctx.root, path, remote.size);
            return s.error();
        }
    }
    step("download:received", path);
    if (!remote.hash.isEmpty() && storedHash != remote.hash) {
        QFile::remove(temp);
        return makeError(QStringLiteral("%1 changed on the remote while it was downloaded").arg(path), errc::changed);
    }
    if (remote.clientModifiedMs > 0)
        (void)fs::setMtime(temp, QDateTime::fromMSecsSinceEpoch(remote.clientModifiedMs, Qt::UTC));
    m_ctx.bytesDone += remote.size;
    m_ctx.report->bytesDown += remote.size;
    if (!m_ctx.codec->encrypted() || isPlaintextPath(path))
        return Fetched{temp, storedHash, 0};

    const QString plain = tempPath(QStringLiteral("plain"));
    QFile in(temp);
    QFile out(plain);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
        QFile::remove(temp);
        return makeError(QStringLiteral("Cannot decrypt %1: temp files").arg(path), errc::io);
    }
    const quint32 keyId = m_ctx.codec->keyIdOf(in);
    in.seek(0);
    QString plainHash;
    Status s;
    {
        HashingDevice hashing(out);
        s = m_ctx.codec->decode(in, hashing, path);
        plainHash = hashing.hash();
    }
    if (s)
        s = syncAndClose(out, durable);
    in.close();
    QFile::remove(temp);
    if (!s) {
        out.close();
        QFile::remove(plain);
        return s.error();
    }
    if (remote.clientModifiedMs > 0)
        (void)fs::setMtime(plain, QDateTime::fromMSecsSinceEpoch(remote.clientModifiedMs, Qt::UTC));
    return Fetched{plain, plainHash, keyId};
}

Result<Propagator::Sent> Propagator::send(const QString& path, QIODevice& plain, qint64 size, const remote::WriteSpec& spec)
{
    Sent sent;
    QString storedHash;
    Result<remote::RemoteEntry> entry = makeError(QStringLiteral("not sent"));
    if (m_ctx.codec->encrypted() && !isPlaintextPath(path)) {
        const QString blob = tempPath(QStringLiteral("enc"));
        QFile out(blob);
        if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return makeError(QStringLiteral("Cannot write %1").arg(blob), errc::io);
        Status s;
        {
            HashingDevice hashing(plain);
            s = m_ctx.codec->encode(hashing, size, out, path);
            sent.plainHash = hashing.hash();
        }
        if (s)
            s = syncAndClose(out, false); // a temp file read back at once: the remote's commit is what must last
        if (!s) {
            out.close();
            QFile::remove(blob);
            return s.error();
        }
        QFile in(blob);
        in.open(QIODevice::ReadOnly);
        {
            ThrottledDevice throttled(in, m_ctx.limiter);
            HashingDevice hashing(throttled);
            entry = m_ctx.remote->upload(path, hashing, in.size(), spec, progressFn());
            storedHash = hashing.hash();
        }
        in.close();
        QFile::remove(blob);
        sent.keyId = m_ctx.codec->activeKeyId();
    } else {
        ThrottledDevice throttled(plain, m_ctx.limiter);
        HashingDevice hashing(throttled);
        entry = m_ctx.remote->upload(path, hashing, size, spec, progressFn());
        storedHash = hashing.hash();
        sent.plainHash = storedHash;
    }
    if (!entry)
        return entry.error();
    if (!entry->contentHash.isEmpty() && entry->contentHash != storedHash)
        return makeError(
            QStringLiteral("The remote stored different bytes than were sent for %1").arg(path), errc::corrupt);
    if (entry->contentHash.isEmpty())
        entry->contentHash = storedHash;
    sent.entry = *entry;
    m_ctx.bytesDone += size;
    m_ctx.report->bytesUp += size;
    return sent;
}

StepResult Propagator::execute(const Action& a, const LocalFile* local, const RemoteRow* remote, const JournalRow* row)
{
    switch (a.kind) {
    case ActionKind::Upload:
        return upload(a, *local);
    case ActionKind::Download:
        return download(a, local, *remote);
    case ActionKind::DeleteLocal:
        return deleteLocal(a, *local);
    case ActionKind::DeleteRemote:
        return deleteRemote(a);
    case ActionKind::Record:
        return record(a, local, *remote, row);
    case ActionKind::Forget:
        return forget(a);
    case ActionKind::CloudOnly:
        return cloudOnly(a, *remote);
    case ActionKind::Resolve:
        return resolve(a, *local, *remote, row);
    case ActionKind::None:
    case ActionKind::Skip:
        break;
    }
    return {};
}

StepResult Propagator::fetchInto(const QString& remotePath, const RemoteRow& remote, const QString& localRel)
{
    Result<Fetched> f = fetch(remotePath, remote);
    if (!f)
        return fail(f.error());
    Result<QString> target = prepareTarget(localRel);
    if (!target || fs::lstatPath(*target).exists) {
        QFile::remove(f->temp);
        return target ? retry(QStringLiteral("%1 exists").arg(localRel)) : fail(target.error());
    }
    if (Status s = renameLocal(f->temp, *target); !s) {
        QFile::remove(f->temp);
        return fail(s.error());
    }
    return {};
}

StepResult Propagator::upload(const Action& a, const LocalFile& local)
{
    step("upload:begin", a.path);
    if (!unchanged(local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    if (StepResult staged; stageUpload(a, local, staged)) // many small files: one commit (propagatorbatch.cpp)
        return staged;
    const QString file = abs(local.diskPath);
    const remote::WriteSpec spec{a.mode, a.rev, fs::fromNs(local.mtimeNs)};
    QByteArray json;
    Result<Sent> sent = makeError(QStringLiteral("not sent"));
    if (isJsonPath(a.path)) {
        // JSON is read once, so the bytes sent and the merge base are the same bytes.
        Result<QByteArray> bytes = readSmall(file, kMaxJsonFileBytes);
        if (!bytes)
            return fail(bytes.error());
        json = *bytes;
        QBuffer buffer(&json);
        buffer.open(QIODevice::ReadOnly);
        sent = send(a.path, buffer, json.size(), spec);
    } else {
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly))
            return fail(makeError(QStringLiteral("Cannot read %1: %2").arg(file, in.errorString()), errc::io));
        sent = send(a.path, in, local.size, spec);
    }
    if (!sent)
        return fail(sent.error());
    step("upload:sent", a.path);
    // The row describes what was sent. If the file moved meanwhile, its stat is left blank so
    // the next scan hashes it and uploads the newer content over this rev.
    fs::FileStat st = fs::lstatPath(file);
    if (!sameStat(st, local) || sent->plainHash != local.hash)
        st = fs::FileStat{};
    const JournalRow row = rowFor(a.path, st, sent->plainHash, sent->entry.rev, sent->entry.contentHash, sent->entry.size,
                                  sent->keyId);
    if (Status s = commit(row, &sent->entry, isJsonPath(a.path) ? &json : nullptr); !s)
        return fail(s.error());
    step("upload:queued", a.path);
    ++m_ctx.report->uploaded;
    return {};
}

StepResult Propagator::download(const Action& a, const LocalFile* local, const RemoteRow& remote)
{
    step("download:begin", a.path);
    // Small files are placed in batches (see flushCommits): their data is made durable by one
    // syncfs for the batch instead of one fsync each.
    const bool batch = remote.size <= kBatchedDownloadMax;
    Result<Fetched> f = fetch(a.path, remote, !batch);
    if (!f)
        return fail(f.error());
    auto drop = [&] { QFile::remove(f->temp); };
    Result<QString> target = local ? Result<QString>(abs(local->diskPath)) : prepareTarget(a.path);
    if (!target) {
        drop();
        return fail(target.error());
    }
    const fs::FileStat now = fs::lstatPath(*target);
    if (now.isDir || now.isSymlink) {
        drop();
        return fail(
            makeError(QStringLiteral("%1: a folder or link of that name is in the way here").arg(a.path), errc::io));
    }
    QByteArray json;
    if (isJsonPath(a.path)) {
        Result<QByteArray> bytes = readSmall(f->temp, kMaxJsonFileBytes);
        if (!bytes) {
            drop();
            return fail(bytes.error());
        }
        json = *bytes;
    }
    Placement p{a.path, local ? std::optional<LocalFile>(*local) : std::nullopt, remote, f->temp, *target, f->plainHash,
                f->keyId, json};
    if (batch) {
        m_placements.push_back(std::move(p));
        step("download:fetched", a.path);
        return {};
    }
    StepResult r = place(p);
    if (r.outcome == Outcome::Done)
        step("download:queued", a.path);
    return r;
}

StepResult Propagator::deleteLocal(const Action& a, const LocalFile& local)
{
    step("delete_local:begin", a.path);
    if (!unchanged(local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    if (Status s = moveToTrash(m_ctx.root, local.diskPath); !s)
        return fail(s.error());
    // A project or collection gone here leaves no empty mixes/ or audio/ behind: the app would
    // read the folder as an item whose file is missing.
    if (isParentItemPath(a.path))
        removeEmptyFolders(QFileInfo(abs(local.diskPath)).absolutePath());
    pruneEmptyParents(local.diskPath);
    step("delete_local:trashed", a.path);
    Status s = m_ctx.journal->transaction([&]() -> Status {
        if (Status r = m_ctx.journal->removeRow(a.path); !r)
            return r;
        return m_ctx.journal->removePending(a.path);
    });
    if (!s)
        return fail(s.error());
    step("delete_local:queued", a.path);
    ++m_ctx.report->deletedLocal;
    return {};
}

StepResult Propagator::deleteRemote(const Action& a)
{
    step("delete_remote:begin", a.path);
    Status removed = m_ctx.remote->remove(a.path, a.rev);
    if (!removed && !removed.error().is(errc::not_found))
        return fail(removed.error());
    step("delete_remote:removed", a.path);
    Status s = m_ctx.journal->transaction([&]() -> Status {
        if (Status r = m_ctx.journal->removeRow(a.path); !r)
            return r;
        if (Status r = m_ctx.journal->removeRemote(a.path); !r)
            return r;
        return m_ctx.journal->removePending(a.path);
    });
    if (!s)
        return fail(s.error());
    step("delete_remote:queued", a.path);
    ++m_ctx.report->deletedRemote;
    return {};
}

StepResult Propagator::record(const Action& a, const LocalFile* local, const RemoteRow& remote, const JournalRow* row)
{
    if (!local || !unchanged(*local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    QByteArray json;
    if (isJsonPath(a.path)) {
        Result<QByteArray> bytes = readSmall(abs(local->diskPath), kMaxJsonFileBytes);
        if (!bytes)
            return fail(bytes.error());
        if (remote::contentHash(*bytes) != local->hash)
            return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
        json = *bytes;
    }
    const quint32 keyId = row && row->remoteRev == remote.rev ? row->keyId : 0;
    const JournalRow r = rowFor(a.path, fs::lstatPath(abs(local->diskPath)), local->hash, remote.rev, remote.hash,
                                remote.size, keyId);
    if (Status s = commit(r, nullptr, isJsonPath(a.path) ? &json : nullptr); !s)
        return fail(s.error());
    if (a.local != Side::Unchanged)
        ++m_ctx.report->recorded;
    return {};
}

StepResult Propagator::forget(const Action& a)
{
    Status s = m_ctx.journal->transaction([&]() -> Status {
        if (Status r = m_ctx.journal->removeRow(a.path); !r)
            return r;
        if (Status r = m_ctx.journal->removeWanted(a.path); !r)
            return r;
        return m_ctx.journal->removePending(a.path);
    });
    return s ? StepResult{} : fail(s.error());
}

StepResult Propagator::cloudOnly(const Action& a, const RemoteRow& remote)
{
    JournalRow r;
    r.path = a.path;
    r.localPresent = false;
    r.remoteRev = remote.rev;
    r.remoteHash = remote.hash;
    r.remoteSize = remote.size;
    r.state = QStringLiteral("cloud_only");
    if (Status s = commit(r, nullptr, nullptr); !s)
        return fail(s.error());
    ++m_ctx.report->cloudOnly;
    return {Outcome::Done, {}, FileState::CloudOnly};
}

} // namespace muze::sync
