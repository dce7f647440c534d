// Files stored under an older key are moved to the active one (after `keys rotate`).
#include "rekey.h"

#include "hashingdevice.h"
#include "propagatorutil.h"

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/throttle.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QBuffer>
#include <QDir>
#include <QFile>

#include <algorithm>

namespace muze::sync {

namespace fs = remote::fs;

namespace {

// A header read costs a request, not the file: count it as a small transfer in the budget.
constexpr qint64 kProbeCost = 4096;

} // namespace

Result<quint32> Propagator::remoteKeyId(const QString& path)
{
    const qint64 n = m_ctx.codec->headerBytes();
    if (n <= 0)
        return quint32(0);
    QByteArray header;
    QBuffer sink(&header);
    sink.open(QIODevice::WriteOnly);
    if (Status s = m_ctx.remote->download(path, sink, 0, n); !s)
        return s.error();
    sink.close();
    sink.open(QIODevice::ReadOnly);
    const quint32 id = m_ctx.codec->keyIdOf(sink);
    if (id == 0)
        return makeError(QStringLiteral("%1: the remote copy is not a Muze encrypted file").arg(path), errc::corrupt);
    return id;
}

StepResult Propagator::rekey(const JournalRow& row, const RemoteRow& remote, const LocalFile* local)
{
    step("rekey:begin", row.path);
    // Not a new version of the file: keep the writer's time, which picks the winner of a
    // later WAV conflict (Dropbox client_modified).
    const remote::WriteSpec spec{remote::WriteMode::Update, remote.rev,
        remote.clientModifiedMs > 0 ? QDateTime::fromMSecsSinceEpoch(remote.clientModifiedMs, Qt::UTC) : QDateTime()};

    if (local && row.localPresent && local->hash == row.localHash && unchanged(*local)) {
        // The local file is the synced content: encrypt it again, nothing to download.
        const QString file = abs(local->diskPath);
        Result<Sent> sent = makeError(QStringLiteral("not sent"));
        if (isJsonPath(row.path)) {
            Result<QByteArray> bytes = readSmall(file, kMaxJsonFileBytes);
            if (!bytes)
                return fail(bytes.error());
            if (remote::contentHash(*bytes) != row.localHash)
                return retry(QStringLiteral("%1 changed since the scan").arg(row.path));
            QBuffer buffer(&bytes.value());
            buffer.open(QIODevice::ReadOnly);
            sent = send(row.path, buffer, bytes->size(), spec);
        } else {
            QFile in(file);
            if (!in.open(QIODevice::ReadOnly))
                return fail(makeError(QStringLiteral("Cannot read %1: %2").arg(file, in.errorString()), errc::io));
            sent = send(row.path, in, local->size, spec);
        }
        if (!sent)
            return fail(sent.error());
        step("rekey:sent", row.path);
        // As for an upload: if the file moved meanwhile, a blank stat makes the next scan hash
        // it and upload the newer content over this rev.
        fs::FileStat st = fs::lstatPath(file);
        if (!sameStat(st, *local) || sent->plainHash != row.localHash)
            st = fs::FileStat{};
        const JournalRow updated = rowFor(
            row.path, st, sent->plainHash, sent->entry.rev, sent->entry.contentHash, sent->entry.size, sent->keyId);
        if (Status s = commit(updated, &sent->entry, nullptr); !s)
            return fail(s.error());
        ++m_ctx.report->reencrypted;
        return {};
    }

    // Cloud-only (or the local copy is being edited): re-encrypt the remote blob itself.
    const QString stored = tempPath(QStringLiteral("rk-in"));
    const QString fresh = tempPath(QStringLiteral("rk-out"));
    auto cleanup = [&] {
        QFile::remove(stored);
        QFile::remove(fresh);
    };
    {
        QFile file(stored);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(makeError(QStringLiteral("Cannot write %1: %2").arg(stored, file.errorString()), errc::io));
        ThrottledDevice throttled(file, m_ctx.limiter);
        HashingDevice hashing(throttled);
        Status s = m_ctx.remote->download(row.path, hashing, 0, -1, progressFn());
        const QString got = hashing.hash();
        file.close();
        if (!s) {
            cleanup();
            return fail(s.error());
        }
        if (!remote.hash.isEmpty() && got != remote.hash) {
            cleanup();
            return retry(QStringLiteral("%1 changed on the remote while it was downloaded").arg(row.path));
        }
    }
    m_ctx.bytesDone += remote.size;
    m_ctx.report->bytesDown += remote.size;
    {
        QFile in(stored);
        QFile out(fresh);
        if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            cleanup();
            return fail(makeError(QStringLiteral("Cannot re-encrypt %1: temp files").arg(row.path), errc::io));
        }
        Status s = m_ctx.codec->reencode(in, out, row.path); // authenticates every chunk of the old blob
        if (s)
            s = syncAndClose(out, false); // a temp file: the remote's commit is what must last
        if (!s) {
            cleanup();
            return fail(s.error());
        }
    }
    step("rekey:reencoded", row.path);
    QFile::remove(stored); // the old blob is not needed any more: a big take costs its size once during the upload
    QFile blob(fresh);
    if (!blob.open(QIODevice::ReadOnly)) {
        cleanup();
        return fail(makeError(QStringLiteral("Cannot read %1").arg(fresh), errc::io));
    }
    QString sentHash;
    Result<remote::RemoteEntry> entry = makeError(QStringLiteral("not sent"));
    {
        ThrottledDevice throttled(blob, m_ctx.limiter);
        HashingDevice hashing(throttled);
        entry = m_ctx.remote->upload(row.path, hashing, blob.size(), spec, progressFn());
        sentHash = hashing.hash();
    }
    const qint64 sentSize = blob.size();
    blob.close();
    cleanup();
    if (!entry)
        return fail(entry.error());
    if (!entry->contentHash.isEmpty() && entry->contentHash != sentHash)
        return fail(makeError(
            QStringLiteral("The remote stored different bytes than were sent for %1").arg(row.path), errc::corrupt));
    if (entry->contentHash.isEmpty())
        entry->contentHash = sentHash;
    m_ctx.report->bytesUp += sentSize;
    step("rekey:sent", row.path);
    JournalRow updated = row;
    updated.remoteRev = entry->rev;
    updated.remoteHash = entry->contentHash;
    updated.remoteSize = entry->size;
    updated.keyId = m_ctx.codec->activeKeyId();
    if (Status s = commit(updated, &entry.value(), nullptr); !s)
        return fail(s.error());
    ++m_ctx.report->reencrypted;
    return {};
}

Result<RekeyResult> rekeyStale(
    PassContext& ctx, Propagator& propagator, const QHash<QString, LocalFile>& localFiles, qint64 budget)
{
    RekeyResult result;
    const quint32 active = ctx.codec->activeKeyId();
    Result<QHash<QString, JournalRow>> rows = ctx.journal->rows();
    Result<QHash<QString, RemoteRow>> mirror = ctx.journal->remoteRows();
    if (!rows || !mirror)
        return rows ? mirror.error() : rows.error();

    // Synced files only (the journal's rev is the listed one): anything else is the normal
    // passes' business, and they write with the active key anyway.
    std::vector<const JournalRow*> candidates;
    for (const JournalRow& r : std::as_const(*rows)) {
        if (r.keyId == active || isPlaintextPath(r.path))
            continue;
        const auto m = mirror->constFind(r.path);
        // The reconciler's own test of "unchanged remotely": the same rev, or the same stored
        // bytes under a new rev (a folder remote copied or restored elsewhere).
        if (m == mirror->cend() || (m->rev != r.remoteRev && (m->hash.isEmpty() || m->hash != r.remoteHash)))
            continue;
        if (r.keyId != 0 && !ctx.codec->hasKey(r.keyId))
            continue; // a key this device never held may be newer than ours: not ours to undo
        candidates.push_back(&r);
    }
    std::sort(candidates.begin(), candidates.end(),
        [](const JournalRow* a, const JournalRow* b) { return a->path < b->path; });

    ctx.bytesDone = 0;
    ctx.bytesTotal = 0;
    ctx.filesDone = 0;
    ctx.filesTotal = int(candidates.size());
    for (const JournalRow* r : candidates)
        ctx.bytesTotal += r->remoteSize;

    qint64 spent = 0;
    for (const JournalRow* r : candidates) {
        if (ctx.cancelled->load()) {
            (void)propagator.flushCommits();
            return makeError(QStringLiteral("Sync cancelled"), errc::cancelled);
        }
        if (budget >= 0 && spent >= budget) {
            ++result.left;
            continue;
        }
        const RemoteRow& remote = mirror->value(r->path);
        quint32 keyId = r->keyId;
        if (keyId == 0) {
            spent += kProbeCost;
            Result<quint32> probed = propagator.remoteKeyId(r->path);
            if (!probed) {
                if (probed.error().isAnyOf({errc::offline, errc::cancelled, errc::auth})) {
                    (void)propagator.flushCommits();
                    return probed.error();
                }
                ctx.report->errors << QStringLiteral("%1: %2").arg(r->path, probed.error().message);
                continue;
            }
            keyId = *probed;
            JournalRow known = *r;
            known.keyId = keyId;
            if (Status s = propagator.queueRow(known); !s)
                return s.error();
            if (keyId == active || !ctx.codec->hasKey(keyId))
                continue;
        }
        const auto l = localFiles.constFind(r->path);
        if (ctx.observer)
            ctx.observer->fileStateChanged(r->path, FileState::Syncing);
        spent += remote.size;
        const StepResult res = propagator.rekey(*r, remote, l == localFiles.cend() ? nullptr : &*l);
        ++ctx.filesDone;
        if (ctx.observer) {
            ctx.observer->fileStateChanged(r->path,
                res.outcome == Outcome::Done         ? (r->localPresent ? FileState::Synced : FileState::CloudOnly)
                    : res.outcome == Outcome::Failed ? FileState::Error
                                                     : FileState::Pending);
            ctx.observer->progress(ctx.bytesDone, ctx.bytesTotal, ctx.filesDone, ctx.filesTotal);
        }
        if (res.outcome == Outcome::Done) {
            ++result.done;
        } else if (res.outcome == Outcome::Retry) {
            ++result.left; // written elsewhere meanwhile: the next run syncs it, then looks again
        } else if (res.outcome == Outcome::Stop) {
            (void)propagator.flushCommits();
            return res.error;
        } else {
            ++result.left;
            ctx.report->errors << QStringLiteral("%1: re-encryption failed: %2").arg(r->path, res.error.message);
            qCWarning(lcSync) << r->path << "re-encryption failed:" << res.error.message;
        }
        if (propagator.queuedCommits() >= 256) {
            if (Status s = propagator.flushCommits(); !s)
                return s.error();
        }
    }
    if (Status s = propagator.flushCommits(); !s)
        return s.error();
    return result;
}

Result<KeyUsage> storedKeyUsage(const QString& vaultRoot, quint32 activeKeyId)
{
    KeyUsage usage;
    if (!QFile::exists(QDir(vaultRoot).filePath(model::kLocalStateDir + QStringLiteral("/journal.sqlite"))))
        return usage; // never synced: every file is written under the active key when it is
    Result<std::unique_ptr<Journal>> journal = Journal::open(vaultRoot);
    if (!journal)
        return journal.error();
    Result<QHash<QString, JournalRow>> rows = (*journal)->rows();
    if (!rows)
        return rows.error();
    for (const JournalRow& r : std::as_const(*rows)) {
        if (isPlaintextPath(r.path) || r.keyId == activeKeyId)
            continue;
        ++(r.keyId == 0 ? usage.unknown : usage.older);
    }
    return usage;
}

} // namespace muze::sync
