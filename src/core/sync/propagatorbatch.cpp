// Many small uploads in one commit (docs/DESIGN.md §3 rule 2 per file): when the remote can
// commit many files at once (RemoteStore::batchUploads(), Dropbox's finish_batch_v2), an
// upload of a small file is read (and encrypted) into memory and staged; the staged files
// go up together when 1,000 are waiting, when they hold kStagedBytesMax, or at the next
// flushCommits(). A file's journal row is queued only after its own commit was confirmed;
// a file the remote refused is reported and queued for the next pass on its own, the others
// are recorded as usual.
#include "propagator.h"

#include "propagatorutil.h"

#include <muze/remote/contenthash.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/clock.h>
#include <muze/util/logging.h>

#include <QBuffer>

namespace muze::sync {

void noteLeftForNextSync(PassContext& ctx, const QString& path, const Error& why)
{
    if (!ctx.lastPass || why.is(errc::cancelled))
        return;
    const QString line = QStringLiteral("%1: %2 (tried again at the next sync)").arg(path, why.message);
    if (!ctx.report->skipped.contains(line))
        ctx.report->skipped << line;
}

namespace fs = remote::fs;

namespace {

constexpr qint64 kStagedBytesMax = 32LL * 1024 * 1024; // memory a batch may hold before it goes

} // namespace

bool Propagator::stageUpload(const Action& a, const LocalFile& local, StepResult& result)
{
    remote::BatchUploads* batch = m_ctx.remote->batchUploads();
    // The key ring goes alone and at once: files encrypted under a new key must never land first.
    if (!batch || isPlaintextPath(a.path) || local.size > batch->batchFileLimit())
        return false;
    Result<QByteArray> bytes = readSmall(abs(local.diskPath), batch->batchFileLimit());
    if (!bytes) {
        result = bytes.error().is(errc::too_large) ? retry(QStringLiteral("%1 grew since the scan").arg(a.path))
                                                   : fail(bytes.error());
        return true;
    }
    if (m_ctx.limiter)
        m_ctx.limiter->consume(bytes->size());
    Staged s;
    s.local = local;
    s.plainHash = remote::contentHash(*bytes);
    if (isJsonPath(a.path))
        s.json = *bytes;
    s.item.path = a.path;
    s.item.spec = remote::WriteSpec{a.mode, a.rev, fs::fromNs(local.mtimeNs)};
    if (m_ctx.codec->encrypted()) {
        QBuffer in(&*bytes);
        QBuffer out(&s.item.data);
        in.open(QIODevice::ReadOnly);
        out.open(QIODevice::WriteOnly);
        if (Status enc = m_ctx.codec->encode(in, bytes->size(), out, a.path); !enc) {
            result = fail(enc.error());
            return true;
        }
        s.keyId = m_ctx.codec->activeKeyId();
    } else {
        s.item.data = *bytes;
    }
    m_stagedBytes += s.item.data.size();
    m_ctx.bytesDone += local.size;
    m_staged.push_back(std::move(s));
    step("upload:staged", a.path);
    result = {Outcome::Done, {}, FileState::Syncing};
    if (int(m_staged.size()) >= batch->batchEntryLimit() || m_stagedBytes >= kStagedBytesMax) {
        if (Status sent = sendStaged(); !sent)
            result = fail(sent.error()); // offline, signed out or cancelled: end the run
    }
    return true;
}

Status Propagator::sendStaged()
{
    if (m_staged.empty())
        return {};
    std::vector<Staged> staged;
    staged.swap(m_staged);
    m_stagedBytes = 0;
    std::vector<remote::BatchItem> items;
    items.reserve(staged.size());
    for (Staged& s : staged)
        items.push_back(std::move(s.item));
    step("upload:batch", QString::number(items.size()));
    const std::vector<Result<remote::RemoteEntry>> results = m_ctx.remote->batchUploads()->uploadBatch(items);

    Status stop;
    std::vector<ActivityRow> activity;
    for (size_t k = 0; k < staged.size(); ++k) {
        const Staged& s = staged[k];
        const QString& path = items[k].path;
        Result<remote::RemoteEntry> r
            = k < results.size() ? results[k] : makeError(QStringLiteral("no answer"), errc::io);
        if (r) {
            step("upload:sent", path);
            // The row describes what was sent; a file that moved meanwhile is hashed and sent again.
            fs::FileStat st = fs::lstatPath(abs(s.local.diskPath));
            if (!sameStat(st, s.local) || s.plainHash != s.local.hash)
                st = fs::FileStat{};
            const JournalRow row = rowFor(path, st, s.plainHash, r->rev, r->contentHash, r->size, s.keyId);
            if (Status c = commit(row, &*r, isJsonPath(path) ? &s.json : nullptr); !c)
                r = c.error();
        }
        ActivityRow line{clock().now().toMSecsSinceEpoch(), path, QStringLiteral("up"), s.local.size, bool(r), {}};
        if (r) {
            step("upload:queued", path);
            ++m_ctx.report->uploaded;
            m_ctx.report->bytesUp += s.local.size;
            if (m_ctx.observer)
                m_ctx.observer->fileStateChanged(path, FileState::Synced);
            activity.push_back(line);
            continue;
        }
        const StepResult res = fail(r.error());
        if (res.outcome == Outcome::Stop && stop)
            stop = r.error();
        if (res.outcome == Outcome::Failed) {
            m_ctx.report->errors << QStringLiteral("%1: %2").arg(path, r.error().message);
            qCWarning(lcSync) << path << r.error().message;
        }
        if (res.outcome == Outcome::Retry)
            noteLeftForNextSync(m_ctx, path, r.error());
        else
            (void)m_ctx.journal->notePendingError(path, actionName(ActionKind::Upload), r.error().message, 0);
        if (res.outcome != Outcome::Retry && !r.error().is(errc::cancelled)) {
            line.result = r.error().message;
            activity.push_back(line);
        }
        if (m_ctx.observer)
            m_ctx.observer->fileStateChanged(path, res.outcome == Outcome::Failed ? FileState::Error : FileState::Pending);
    }
    (void)m_ctx.journal->addActivity(activity); // for the user; never fails a run
    return stop;
}

} // namespace muze::sync
