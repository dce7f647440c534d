#include "syncpass.h"

#include "takeguard.h"

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>

#include <QElapsedTimer>

#include <utility>

namespace muze::sync {

namespace fs = remote::fs;

Status listRemote(remote::RemoteStore& remote, Journal& journal, QSet<QString>& rejected, SyncReport& report)
{
    Result<remote::ChangeSet> changes = remote.listChanges(journal.cursor());
    if (!changes)
        return changes.error();
    remote::ChangeSet accepted;
    accepted.cursor = changes->cursor;
    accepted.complete = changes->complete;
    for (remote::RemoteEntry& e : changes->entries) {
        if (e.isFolder)
            continue;
        if (!isAcceptableRemotePath(e.path)) {
            const bool hostile = !isSafeRelativePath(e.path) || fs::nfc(e.path) != e.path || model::isLocalOnly(e.path);
            if (hostile && !rejected.contains(e.path)) {
                rejected.insert(e.path);
                qCWarning(lcSync) << "refusing a hostile remote name:" << e.path;
                report.rejected << e.path;
            }
            continue;
        }
        accepted.entries.push_back(std::move(e));
    }
    return journal.applyRemoteChanges(accepted);
}

Result<PassView> scanPass(const QString& root, Journal& journal, const ScanOptions& options, SyncReport& report)
{
    Result<QHash<QString, JournalRow>> rows = journal.rows();
    Result<QHash<QString, RemoteRow>> mirror = journal.remoteRows();
    if (!rows || !mirror)
        return rows ? mirror.error() : rows.error();
    Result<ScanResult> scan = scanLocal(root, *rows, options);
    if (!scan)
        return scan.error();
    report.hashedFiles += scan->hashedFiles;
    report.hashedBytes += scan->hashedBytes;
    for (const QString& p : scan->problems) {
        if (!report.notes.contains(p))
            report.notes << p;
    }
    return PassView{std::move(*rows), std::move(*mirror), std::move(*scan)};
}

Status executePlan(const std::vector<Action>& work, const PassView& view, PassContext& ctx, Propagator& propagator,
    QSet<QString>& failed)
{
    const QHash<QString, LocalFile>& local = view.scan.files;
    const QHash<QString, RemoteRow>& mirror = view.mirror;
    const QHash<QString, JournalRow>& rows = view.rows;
    Journal& journal = *ctx.journal;
    SyncObserver* observer = ctx.observer;
    ctx.bytesDone = 0;
    ctx.bytesTotal = 0;
    ctx.filesDone = 0;
    ctx.filesTotal = int(work.size());
    for (const Action& a : work) {
        if (a.kind == ActionKind::Upload)
            ctx.bytesTotal += local.value(a.path).size;
        else if (a.kind == ActionKind::Download || a.kind == ActionKind::Resolve)
            ctx.bytesTotal += mirror.value(a.path).size;
    }
    TakeGuard takeGuard(ctx.root);
    takeGuard.watch(work);
    QElapsedTimer sinceFlush;
    sinceFlush.start();
    std::vector<ActivityRow> activity;
    auto flush = [&]() -> Status {
        sinceFlush.restart();
        (void)journal.addActivity(std::exchange(activity, {})); // for the user; never fails a run
        return propagator.flushCommits();
    };
    for (const Action& a : work) {
        if (ctx.cancelled->load()) {
            (void)flush();
            return makeError(QStringLiteral("Sync cancelled"), errc::cancelled);
        }
        const auto l = local.constFind(a.path);
        const auto r = mirror.constFind(a.path);
        const auto j = rows.constFind(a.path);
        if (observer)
            observer->fileStateChanged(a.path, FileState::Syncing);
        if (takeGuard.applies(a) && propagator.queuedCommits() > 0) {
            if (Status s = flush(); !s) // the merged mixes go in place before they are read
                return s;
        }
        const Action guarded = takeGuard.guard(a);
        const StepResult res = propagator.execute(guarded, l == local.cend() ? nullptr : &*l,
            r == mirror.cend() ? nullptr : &*r, j == rows.cend() ? nullptr : &*j);
        ++ctx.filesDone;
        const qint64 size = guarded.kind == ActionKind::Upload ? local.value(a.path).size : mirror.value(a.path).size;
        if (std::optional<ActivityRow> line = activityOf(guarded, res, size))
            activity.push_back(*line);
        if (res.outcome == Outcome::Failed || res.outcome == Outcome::Stop) {
            const qint64 retryAfter = ctx.remote->retryAfterSeconds() > 0
                ? clock().now().toSecsSinceEpoch() + ctx.remote->retryAfterSeconds()
                : 0;
            (void)journal.notePendingError(a.path, actionName(a.kind), res.error.message, retryAfter);
        }
        if (observer) {
            observer->fileStateChanged(a.path,
                res.outcome == Outcome::Done         ? res.state
                    : res.outcome == Outcome::Failed ? FileState::Error
                                                     : FileState::Pending);
            observer->progress(ctx.bytesDone, ctx.bytesTotal, ctx.filesDone, ctx.filesTotal);
        }
        if (res.outcome == Outcome::Retry)
            noteLeftForNextSync(ctx, a.path, res.error);
        if (res.outcome == Outcome::Stop) {
            (void)flush(); // what did finish is recorded
            return res.error;
        }
        if (res.outcome == Outcome::Failed) {
            failed.insert(a.path);
            ctx.report->errors << QStringLiteral("%1: %2").arg(a.path, res.error.message);
            qCWarning(lcSync) << a.path << res.error.message;
        }
        if (propagator.queuedCommits() >= 256 || sinceFlush.elapsed() > 2000) {
            if (Status s = flush(); !s)
                return s;
        }
    }
    return flush();
}

} // namespace muze::sync
