#include "propagator.h"

#include "hashingdevice.h"

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/sync/jsonmerge.h>
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

#include <unistd.h>

namespace muze::sync {

namespace fs = remote::fs;

namespace {

bool sameStat(const fs::FileStat& st, const LocalFile& f)
{
    return st.isFile && st.size == f.size && st.mtimeNs == f.mtimeNs && st.inode == f.inode;
}

Status syncAndClose(QFile& f)
{
    const bool ok = f.flush() && ::fsync(f.handle()) == 0;
    const QString why = f.errorString();
    f.close();
    if (!ok)
        return makeError(QStringLiteral("Cannot write %1: %2").arg(f.fileName(), why), QStringLiteral("io"));
    return {};
}

// readSmall() reserves its whole limit up front; JSON files are small, so read what is there.
Result<QByteArray> readSmall(const QString& path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()), QStringLiteral("io"));
    if (f.size() > maxBytes)
        return makeError(QStringLiteral("%1 is too large").arg(path), QStringLiteral("too_large"));
    QByteArray data = f.readAll();
    if (data.size() > maxBytes)
        return makeError(QStringLiteral("%1 is too large").arg(path), QStringLiteral("too_large"));
    return data;
}

QString stampOf(qint64 ms)
{
    const QDateTime t = ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms) : clock().now().toLocalTime();
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HHmmss"));
}

} // namespace

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
    const QString& c = e.code;
    if (c == QLatin1String("offline") || c == QLatin1String("cancelled") || c == QLatin1String("auth")
        || c == QLatin1String("insufficient_space"))
        return {Outcome::Stop, e, FileState::Pending};
    if (c == QLatin1String("conflict") || c == QLatin1String("changed") || c == QLatin1String("not_found"))
        return {Outcome::Retry, e, FileState::Pending}; // the remote moved since the listing
    return {Outcome::Failed, e, FileState::Error};
}

StepResult Propagator::retry(const QString& why) const
{
    return {Outcome::Retry, makeError(why, QStringLiteral("changed")), FileState::Pending};
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
                             QStringLiteral("hostile_path"));
        if (st.exists && !st.isDir)
            return makeError(QStringLiteral("%1: a file is in the way of this folder").arg(relPath), QStringLiteral("io"));
        if (!st.exists && !QDir().mkdir(next))
            return makeError(QStringLiteral("Cannot create the folder %1").arg(next), QStringLiteral("io"));
        current = next;
    }
    return current + QLatin1Char('/') + parts.last();
}

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

Status Propagator::flushCommits()
{
    if (m_queue.empty() && m_dirtyDirs.isEmpty())
        return m_ctx.remote->flush();
    if (Status s = m_ctx.remote->flush(); !s)
        return s;
    for (const QString& dir : std::as_const(m_dirtyDirs)) {
        if (Status s = fs::fsyncPath(dir); !s && fs::lstatPath(dir).isDir)
            return s;
    }
    m_dirtyDirs.clear();
    step("journal:flush", QString::number(m_queue.size()));
    Status s = m_ctx.journal->transaction([&]() -> Status {
        for (const Queued& q : m_queue) {
            if (q.entry) {
                const remote::RemoteEntry& e = *q.entry;
                const qint64 client = e.clientModified.isValid() ? e.clientModified.toMSecsSinceEpoch() : 0;
                if (Status r = m_ctx.journal->putRemote(RemoteRow{e.path, e.rev, e.contentHash, e.size, client}); !r)
                    return r;
            }
            if (Status r = m_ctx.journal->putRow(q.row); !r)
                return r;
            if (Status r = m_ctx.journal->removePending(q.row.path); !r)
                return r;
        }
        return {};
    });
    if (s)
        m_queue.clear();
    step("journal:flushed", {});
    return s;
}

Result<Propagator::Fetched> Propagator::fetch(const QString& path, const RemoteRow& remote)
{
    const QString temp = tempPath(QStringLiteral("dl"));
    QFile file(temp);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(QStringLiteral("Cannot write %1: %2").arg(temp, file.errorString()), QStringLiteral("io"));
    QString storedHash;
    {
        ThrottledDevice throttled(file, m_ctx.limiter);
        HashingDevice hashing(throttled);
        Status s = m_ctx.remote->download(path, hashing, 0, -1, progressFn());
        storedHash = hashing.hash();
        if (s)
            s = syncAndClose(file);
        if (!s) {
            file.close();
            QFile::remove(temp);
            return s.error();
        }
    }
    step("download:received", path);
    if (!remote.hash.isEmpty() && storedHash != remote.hash) {
        QFile::remove(temp);
        return makeError(QStringLiteral("%1 changed on the remote while it was downloaded").arg(path), QStringLiteral("changed"));
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
        return makeError(QStringLiteral("Cannot decrypt %1: temp files").arg(path), QStringLiteral("io"));
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
        s = syncAndClose(out);
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
            return makeError(QStringLiteral("Cannot write %1").arg(blob), QStringLiteral("io"));
        Status s;
        {
            HashingDevice hashing(plain);
            s = m_ctx.codec->encode(hashing, size, out, path);
            sent.plainHash = hashing.hash();
        }
        if (s)
            s = syncAndClose(out);
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
        return makeError(QStringLiteral("The remote stored different bytes than were sent for %1").arg(path),
                         QStringLiteral("corrupt"));
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
            return fail(makeError(QStringLiteral("Cannot read %1: %2").arg(file, in.errorString()), QStringLiteral("io")));
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
    Result<Fetched> f = fetch(a.path, remote);
    if (!f)
        return fail(f.error());
    auto drop = [&] { QFile::remove(f->temp); };
    Result<QString> target = local ? Result<QString>(abs(local->diskPath)) : prepareTarget(a.path);
    if (!target) {
        drop();
        return fail(target.error());
    }
    // Rule 1: replace only the file the journal knows, exactly as scanned; never a newcomer.
    const fs::FileStat now = fs::lstatPath(*target);
    if (now.isDir || now.isSymlink) {
        drop();
        return fail(makeError(QStringLiteral("%1: a folder or link of that name is in the way here").arg(a.path),
                              QStringLiteral("io")));
    }
    if (local ? !sameStat(now, *local) : now.exists) {
        drop();
        return retry(QStringLiteral("%1 changed on this device meanwhile").arg(a.path));
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
    if (Status s = renameLocal(f->temp, *target); !s) {
        drop();
        return fail(s.error());
    }
    step("download:renamed", a.path);
    const JournalRow row = rowFor(a.path, fs::lstatPath(*target), f->plainHash, remote.rev, remote.hash, remote.size, f->keyId);
    if (Status s = commit(row, nullptr, isJsonPath(a.path) ? &json : nullptr); !s)
        return fail(s.error());
    (void)m_ctx.journal->removeWanted(a.path);
    step("download:queued", a.path);
    ++m_ctx.report->downloaded;
    return {};
}

StepResult Propagator::deleteLocal(const Action& a, const LocalFile& local)
{
    step("delete_local:begin", a.path);
    if (!unchanged(local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    if (Status s = moveToTrash(m_ctx.root, local.diskPath); !s)
        return fail(s.error());
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
    if (!removed && removed.error().code != QLatin1String("not_found"))
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

StepResult Propagator::resolve(const Action& a, const LocalFile& local, const RemoteRow& remote, const JournalRow* row)
{
    if (isPlaintextPath(a.path))
        return fail(makeError(QStringLiteral("The vault's key ring differs between this device and the remote; "
                                             "nothing was overwritten. Unlock the vault with its password on this device."),
                              QStringLiteral("keyring_conflict")));
    step("resolve:begin", a.path);
    Result<Fetched> f = fetch(a.path, remote);
    if (!f)
        return fail(f.error());
    if (f->plainHash == local.hash) {
        // Rule 3: equal content is never a conflict.
        QFile::remove(f->temp);
        return record(a, &local, remote, row);
    }
    StepResult r;
    if (isJsonPath(a.path))
        r = merge(a, local, remote, row, *f);
    else
        r = conflictCopy(a, local, remote, *f);
    QFile::remove(f->temp);
    return r;
}

StepResult Propagator::merge(const Action& a, const LocalFile& local, const RemoteRow& remote, const JournalRow* row, Fetched& f)
{
    const QString file = abs(local.diskPath);
    Result<QByteArray> localBytes = readSmall(file, kMaxJsonFileBytes);
    Result<QByteArray> remoteBytes = readSmall(f.temp, kMaxJsonFileBytes);
    if (!localBytes || !remoteBytes)
        return fail(localBytes ? remoteBytes.error() : localBytes.error());
    if (remote::contentHash(*localBytes) != local.hash)
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    Result<Json> localJson = parseJson(*localBytes, a.path);
    Result<Json> remoteJson = parseJson(*remoteBytes, a.path);
    if (!localJson || !remoteJson)
        return conflictCopy(a, local, remote, f); // not mergeable: keep both files
    const bool differentItems = localJson->is_object() && remoteJson->is_object()
        && jsonString(*localJson, "id") != jsonString(*remoteJson, "id");
    const bool hasBase = row && row->localPresent && m_ctx.bases->has(row->localHash);
    if (differentItems && !hasBase && a.path == model::kVaultFile)
        return adoptRemote(a, local, remote, f);
    if (differentItems)
        return conflictCopy(a, local, remote, f);

    std::optional<Json> base;
    if (hasBase) {
        Result<QByteArray> baseBytes = m_ctx.bases->get(row->localHash);
        if (baseBytes && !baseBytes->isEmpty()) {
            if (Result<Json> parsed = parseJson(*baseBytes, a.path))
                base = *parsed;
        }
    }
    const MergeResult merged = mergeJson(base ? &*base : nullptr, *localJson, *remoteJson);
    for (const FieldConflict& c : merged.conflicts) {
        ConflictRecord rec;
        rec.id = ConflictRecord::makeId(a.path, c.field, QByteArray::fromStdString(c.localValue.dump()),
                                        QByteArray::fromStdString(c.remoteValue.dump()));
        rec.path = a.path;
        rec.kind = QStringLiteral("field");
        rec.field = c.field;
        rec.local = {c.localValue, {}, c.localModifiedAt, m_ctx.deviceName};
        rec.remote = {c.remoteValue, {}, c.remoteModifiedAt, {}};
        rec.kept = c.localWon ? QStringLiteral("local") : QStringLiteral("remote");
        rec.detectedBy = m_ctx.deviceName;
        rec.createdAt = nowIso();
        if (Status s = m_ctx.conflicts->add(rec); !s)
            return fail(s.error());
        ++m_ctx.report->conflicts;
    }
    step("merge:recorded", a.path);

    const QByteArray out = dumpJson(merged.merged);
    const QString outHash = remote::contentHash(out);
    if (outHash != local.hash) {
        if (!unchanged(local))
            return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
        if (Status s = writeFileAtomic(file, out); !s)
            return fail(s.error());
        step("merge:written", a.path);
    }
    remote::RemoteEntry entry{a.path, false, false, remote.size, remote.rev, remote.hash, {}, {}};
    quint32 keyId = f.keyId;
    if (outHash != f.plainHash) {
        QByteArray copy = out;
        QBuffer buffer(&copy);
        buffer.open(QIODevice::ReadOnly);
        Result<Sent> sent = send(a.path, buffer, out.size(), {remote::WriteMode::Update, remote.rev, clock().now()});
        if (!sent)
            return fail(sent.error());
        entry = sent->entry;
        keyId = sent->keyId;
        step("merge:uploaded", a.path);
    }
    const JournalRow r = rowFor(a.path, fs::lstatPath(file), outHash, entry.rev, entry.contentHash, entry.size, keyId);
    if (Status s = commit(r, outHash != f.plainHash ? &entry : nullptr, &out); !s)
        return fail(s.error());
    step("merge:queued", a.path);
    ++m_ctx.report->merged;
    return {Outcome::Done, {}, merged.conflicts.empty() ? FileState::Synced : FileState::Conflict};
}

StepResult Propagator::adoptRemote(const Action& a, const LocalFile& local, const RemoteRow& remote, Fetched& f)
{
    // A device joining a vault: its freshly created vault.json names another vault. The remote
    // one is the vault being joined; this device's file is kept in the local trash.
    if (!unchanged(local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    if (Status s = moveToTrash(m_ctx.root, local.diskPath); !s)
        return fail(s.error());
    const QString target = abs(local.diskPath);
    if (Status s = renameLocal(f.temp, target); !s)
        return fail(s.error());
    step("adopt:renamed", a.path);
    Result<QByteArray> bytes = readSmall(target, kMaxJsonFileBytes);
    const JournalRow r = rowFor(a.path, fs::lstatPath(target), f.plainHash, remote.rev, remote.hash, remote.size, f.keyId);
    if (Status s = commit(r, nullptr, bytes ? &*bytes : nullptr); !s)
        return fail(s.error());
    m_ctx.report->notes << QStringLiteral("%1: joined the remote's vault; this device's own vault.json is in %2/trash")
                               .arg(a.path, model::kLocalStateDir);
    ++m_ctx.report->downloaded;
    return {};
}

StepResult Propagator::conflictCopy(const Action& a, const LocalFile& local, const RemoteRow& remote, Fetched& f)
{
    // GUIDE §3: the newer write keeps the path; the other becomes a conflicted copy beside it.
    // The write times come from different clocks: they only pick a winner, never decide
    // whether something changed. An unknown remote time loses; a tie goes to the larger hash
    // so every device would choose alike.
    const qint64 localMs = local.mtimeNs / 1000000;
    const qint64 remoteMs = remote.clientModifiedMs;
    const bool localWins = remoteMs <= 0 || (localMs != remoteMs ? localMs > remoteMs : local.hash > f.plainHash);
    const QString loserHash = localWins ? f.plainHash : local.hash;
    const QString stamp = stampOf(localWins ? remoteMs : localMs);
    QString copyRel = conflictedCopyPath(local.diskPath, m_ctx.deviceName, stamp);
    for (int n = 2; n < 100; ++n) {
        const fs::FileStat st = fs::lstatPath(abs(copyRel));
        if (!st.exists)
            break;
        Result<QString> h = remote::contentHashFile(abs(copyRel));
        if (h && *h == loserHash)
            break; // this conflict was handled before a crash: reuse its copy
        copyRel = conflictedCopyPath(local.diskPath, m_ctx.deviceName, stamp + QStringLiteral(" %1").arg(n));
    }
    const bool copyExists = fs::lstatPath(abs(copyRel)).exists;

    ConflictRecord rec;
    rec.id = ConflictRecord::makeId(a.path, QStringLiteral("file"), local.hash.toUtf8(), f.plainHash.toUtf8());
    rec.path = a.path;
    rec.kind = QStringLiteral("file");
    rec.copy = fs::nfc(copyRel);
    rec.local = {{}, local.hash, isoTimestamp(QDateTime::fromMSecsSinceEpoch(localMs, Qt::UTC)), m_ctx.deviceName};
    rec.remote = {{}, f.plainHash, remoteMs > 0 ? isoTimestamp(QDateTime::fromMSecsSinceEpoch(remoteMs, Qt::UTC)) : QString(), {}};
    rec.kept = localWins ? QStringLiteral("local") : QStringLiteral("remote");
    rec.detectedBy = m_ctx.deviceName;
    rec.createdAt = nowIso();
    if (Status s = m_ctx.conflicts->add(rec); !s)
        return fail(s.error());
    step("conflict:recorded", a.path);

    const QString file = abs(local.diskPath);
    if (!unchanged(local))
        return retry(QStringLiteral("%1 changed since the scan").arg(a.path));
    if (!localWins) {
        // Local version → the copy (a rename keeps its bytes); the remote version → the path.
        if (copyExists) {
            if (Status s = moveToTrash(m_ctx.root, local.diskPath); !s)
                return fail(s.error());
        } else if (Status s = renameLocal(file, abs(copyRel)); !s) {
            return fail(s.error());
        }
        step("conflict:local-moved", a.path);
        if (Status s = renameLocal(f.temp, file); !s)
            return fail(s.error());
        step("conflict:remote-placed", a.path);
        const JournalRow r = rowFor(a.path, fs::lstatPath(file), f.plainHash, remote.rev, remote.hash, remote.size, f.keyId);
        if (Status s = commit(r, nullptr, nullptr); !s)
            return fail(s.error());
    } else {
        // Remote version → the copy; the local version goes up over the remote one.
        if (!copyExists) {
            if (Status s = renameLocal(f.temp, abs(copyRel)); !s)
                return fail(s.error());
        }
        step("conflict:copy-placed", a.path);
        QFile in(file);
        if (!in.open(QIODevice::ReadOnly))
            return fail(makeError(QStringLiteral("Cannot read %1").arg(file), QStringLiteral("io")));
        Result<Sent> sent = send(a.path, in, local.size, {remote::WriteMode::Update, remote.rev, fs::fromNs(local.mtimeNs)});
        if (!sent)
            return fail(sent.error());
        step("conflict:uploaded", a.path);
        fs::FileStat st = fs::lstatPath(file);
        if (!sameStat(st, local) || sent->plainHash != local.hash)
            st = fs::FileStat{};
        const JournalRow r = rowFor(a.path, st, sent->plainHash, sent->entry.rev, sent->entry.contentHash, sent->entry.size,
                                    sent->keyId);
        if (Status s = commit(r, &sent->entry, nullptr); !s)
            return fail(s.error());
    }
    step("conflict:queued", a.path);
    ++m_ctx.report->conflicts;
    return {Outcome::Done, {}, FileState::Conflict};
}

} // namespace muze::sync
