// Both sides changed: equal content is recorded, JSON is merged three-way, anything else
// keeps both versions (the newer write at the path, the other as a conflicted copy).
#include "propagator.h"
#include "propagatorutil.h"

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/sync/jsonmerge.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/json.h>

#include <QBuffer>
#include <QFile>

namespace muze::sync {

namespace fs = remote::fs;

StepResult Propagator::resolve(const Action& a, const LocalFile& local, const RemoteRow& remote, const JournalRow* row)
{
    if (isPlaintextPath(a.path))
        return fail(
            makeError(QStringLiteral("The vault's key ring differs between this device and the remote; "
                                     "nothing was overwritten. Unlock the vault with its password on this device."),
                errc::keyring_conflict));
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
        rec.base = c.baseValue;
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
    remote::RemoteEntry entry{a.path, false, false, remote.size, remote.rev, remote.hash, {}, {}, remote.pathLower, remote.id};
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
    // DESIGN.md §3: the newer write keeps the path; the other becomes a conflicted copy beside it.
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
            return fail(makeError(QStringLiteral("Cannot read %1").arg(file), errc::io));
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
