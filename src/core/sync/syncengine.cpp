#include <muze/sync/syncengine.h>

#include "basestore.h"
#include "caseclash.h"
#include "devicehook.h"
#include "enginestate.h"
#include "faultseam.h"
#include "propagator.h"
#include "takeguard.h"
#include "rekey.h"

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/journal.h>
#include <muze/sync/reconciler.h>
#include <muze/sync/scanner.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/throttle.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QElapsedTimer>
#include <QThread>

#include <algorithm>

namespace muze::sync {

namespace fs = remote::fs;

namespace {

fs::FileStat keyRingStat(const QString& root) { return fs::lstatPath(root + QStringLiteral("/.muze/keyring.json")); }

bool sameFile(const fs::FileStat& a, const fs::FileStat& b)
{
    return a.exists == b.exists && a.size == b.size && a.mtimeNs == b.mtimeNs && a.inode == b.inode;
}

int priority(const Action& a)
{
    // A take's delete waits for the pass's mix merges, which decide whether it still has a user.
    if ((a.kind == ActionKind::DeleteRemote || a.kind == ActionKind::DeleteLocal) && isTakePath(a.path))
        return 6;
    // A parent item's delete goes last, projects before collections: what is left then needs it.
    if ((a.kind == ActionKind::DeleteRemote || a.kind == ActionKind::DeleteLocal) && isParentItemPath(a.path))
        return a.path.endsWith(QLatin1String("/project.json")) ? 7 : 8;
    switch (a.kind) {
    case ActionKind::DeleteRemote: return 0;
    case ActionKind::DeleteLocal: return 1;
    case ActionKind::Forget:
    case ActionKind::Record:
    case ActionKind::CloudOnly: return 2;
    case ActionKind::Resolve: return 3;
    case ActionKind::Download: return 4;
    case ActionKind::Upload: return 5;
    default: return 9;
    }
}

} // namespace

SyncEngine::SyncEngine(SyncEngineConfig config, std::unique_ptr<remote::RemoteStore> remote, std::unique_ptr<ContentCodec> codec)
    : m_d(std::make_unique<Impl>()), m_config(std::move(config)), m_remote(std::move(remote))
{
    m_config.vaultRoot = QDir::cleanPath(QDir(m_config.vaultRoot).absolutePath());
    bool ok = false;
    const int settle = qEnvironmentVariableIntValue("MUZE_SYNC_SETTLE_MS", &ok);
    if (ok && settle >= 0)
        m_config.settleMs = settle;
    m_d->codec = std::move(codec);
    m_d->ringAtCodec = keyRingStat(m_config.vaultRoot);
    m_d->limiter.setRate(m_config.settings.bandwidthKiBps * 1024);
}

SyncEngine::~SyncEngine() = default;

void SyncEngine::setSettings(const SyncSettings& settings)
{
    m_config.settings = settings;
    m_d->limiter.setRate(settings.bandwidthKiBps * 1024);
}

void SyncEngine::setCodec(std::unique_ptr<ContentCodec> codec)
{
    m_d->codec = std::move(codec);
    m_d->ringAtCodec = keyRingStat(m_config.vaultRoot);
}

bool SyncEngine::codecOutdated() const { return !sameFile(m_d->ringAtCodec, keyRingStat(m_config.vaultRoot)); }
bool SyncEngine::hasCodec() const { return m_d->codec != nullptr; }
bool SyncEngine::encrypting() const { return m_d->codec && m_d->codec->encrypted(); }

void SyncEngine::cancel()
{
    m_d->cancelled.store(true);
    m_remote->cancel();
}

QString SyncEngine::cursor()
{
    if (!m_d->openJournal(m_config.vaultRoot))
        return {};
    return m_d->journal->cursor();
}

Status SyncEngine::requestDownload(const QString& path)
{
    if (Status s = m_d->openJournal(m_config.vaultRoot); !s)
        return s;
    return m_d->journal->addWanted(fs::nfc(path));
}

Result<FreeUpResult> SyncEngine::freeUpSpace(const QStringList& paths)
{
    if (Status s = m_d->openJournal(m_config.vaultRoot); !s)
        return s.error();
    return sync::freeUpSpace(m_config.vaultRoot, *m_d->journal, paths);
}

Result<SyncReport> SyncEngine::run(const SyncOptions& options)
{
    const QString& root = m_config.vaultRoot;
    const QString stateDir = root + QLatin1Char('/') + model::kLocalStateDir;
    if (!fs::lstatPath(root).isDir)
        return makeError(QStringLiteral("The vault folder %1 is missing").arg(root), QStringLiteral("io"));
    if (!QDir().mkpath(stateDir))
        return makeError(QStringLiteral("Cannot create %1").arg(stateDir), QStringLiteral("io"));
    // One sync per vault at a time, across processes; the kernel drops the lock if we die.
    fs::FileLock lock(stateDir + QStringLiteral("/sync.lock"), false);
    if (!lock.locked())
        return makeError(QStringLiteral("Another Muze is syncing this vault right now"), QStringLiteral("busy"));
    if (Status s = m_d->openJournal(root); !s)
        return s.error();
    Journal& journal = *m_d->journal;
    m_d->cancelled.store(false);
    m_remote->resetCancel();
    if (options.cancel && options.cancel->load()) // asked before these resets: not lost
        return makeError(QStringLiteral("Sync cancelled"), QStringLiteral("cancelled"));
    QDir(stateDir + QStringLiteral("/tmp")).removeRecursively(); // leftovers of a crash; we hold the lock
    purgeTrash(root, m_config.settings.trashDays);

    for (const QString& p : options.download)
        (void)journal.addWanted(fs::nfc(p));

    BaseStore bases(root);
    ConflictStore conflicts(root);
    SyncReport report;
    recordThisDevice(m_config, m_deviceId, report);
    PassContext ctx;
    ctx.root = root;
    ctx.remote = m_remote.get();
    ctx.journal = &journal;
    ctx.codec = m_d->codec.get();
    ctx.bases = &bases;
    ctx.conflicts = &conflicts;
    ctx.deviceName = m_config.deviceName;
    ctx.limiter = &m_d->limiter;
    ctx.seam = &m_d->seam;
    ctx.cancelled = &m_d->cancelled;
    ctx.observer = m_observer;
    ctx.report = &report;
    std::unique_ptr<ContentCodec> plainForLocked = makePlainCodec();
    Propagator propagator(ctx);
    QSet<QString> failedThisRun;
    QSet<QString> rejected;
    QHash<QString, LocalFile> lastScan;
    bool lockedRun = false;
    bool ringPending = false; // the last pass left the key ring to move (unsent, settling, failed)
    bool waitedForSettling = false;
    int extraPasses = 0;

    for (int pass = 1; pass <= std::max(1, options.maxPasses) + extraPasses; ++pass) {
        if (m_d->cancelled.load())
            return makeError(QStringLiteral("Sync cancelled"), QStringLiteral("cancelled"));
        report.passes = pass;
        ctx.lastPass = pass >= std::max(1, options.maxPasses) + extraPasses;

        // 1. What changed remotely: into the mirror, with the cursor, in one transaction.
        Result<remote::ChangeSet> changes = m_remote->listChanges(journal.cursor());
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
        if (Status s = journal.applyRemoteChanges(accepted); !s)
            return s.error();

        // 2. Both sides against the journal.
        Result<QHash<QString, JournalRow>> rows = journal.rows();
        Result<QHash<QString, RemoteRow>> mirror = journal.remoteRows();
        if (!rows || !mirror)
            return rows ? mirror.error() : rows.error();
        Result<ScanResult> scan = scanLocal(root, *rows, {m_config.settleMs, &m_d->cancelled});
        if (!scan)
            return scan.error();
        report.hashedFiles += scan->hashedFiles;
        report.hashedBytes += scan->hashedBytes;
        for (const QString& p : scan->problems) {
            if (!report.notes.contains(p))
                report.notes << p;
        }

        // 3. Names that differ only in case cannot coexist on Dropbox or macOS: rename.
        Result<bool> clashes = resolveCaseClashes(root, *scan, *mirror, *rows, propagator, *m_remote, journal,
                                                  failedThisRun, report);
        if (!clashes)
            return clashes.error();
        const bool remoteClashHandled = *clashes;
        if (remoteClashHandled) {
            if (Status s = propagator.flushCommits(); !s)
                return s.error();
            continue;
        }

        lastScan = scan->files; // after case-clash renames: what re-encryption may read locally

        // New keys from a key ring that came in during this run (see the ring-first rule below).
        if (m_codecProvider && m_d->codec && codecOutdated()) {
            Result<std::unique_ptr<ContentCodec>> fresh = m_codecProvider();
            if (fresh && *fresh && (*fresh)->encrypted()) {
                setCodec(std::move(*fresh));
                ctx.codec = m_d->codec.get();
            } else if (!fresh) {
                const QString note = QStringLiteral("The key ring changed and its keys cannot be used here: %1")
                                         .arg(fresh.error().message);
                if (!report.notes.contains(note))
                    report.notes << note;
            }
        }

        // 4. Decide.
        Result<QStringList> wanted = journal.wanted();
        ReconcileOptions opts;
        opts.encrypted = m_d->codec && m_d->codec->encrypted();
        opts.dataTypes = m_config.settings.dataTypes;
        opts.audioDownload = m_config.settings.audioDownload;
        if (wanted)
            opts.wanted = QSet<QString>(wanted->cbegin(), wanted->cend());
        std::vector<Action> actions = reconcile(scan->files, *mirror, *rows, opts);

        // An encrypted remote and no keys here: only the key ring may move.
        const bool remoteEncrypted = mirror->contains(QStringLiteral(".muze/keyring.json"));
        const bool locked = !m_d->codec || (remoteEncrypted && !m_d->codec->encrypted());
        ctx.codec = m_d->codec ? m_d->codec.get() : plainForLocked.get();
        lockedRun = locked;
        if (locked) {
            for (Action& a : actions) {
                if (a.kind != ActionKind::None && a.kind != ActionKind::Skip && !isPlaintextPath(a.path)) {
                    a.kind = ActionKind::Skip;
                    a.why = QStringLiteral("vault is locked");
                }
            }
            report.locked = true;
            report.message = QStringLiteral("This vault is encrypted and locked on this device: unlock it with its password "
                                            "(muze-cli keys unlock) to sync its files");
        }

        ringPending = std::any_of(actions.begin(), actions.end(),
                                  [](const Action& a) { return a.kind != ActionKind::None && isPlaintextPath(a.path); });

        // 5. Rule 5: refuse a pass that would wipe most of one side.
        const MassDelete md = checkMassDelete(actions, int(scan->files.size()), int(mirror->size()));
        if (md.tripped && !options.force) {
            report.massDeleteRefused = true;
            report.message = md.message + QStringLiteral(": refusing without --force");
            std::vector<PendingRow> queue;
            for (const Action& a : actions) {
                if (a.kind != ActionKind::None)
                    queue.push_back({a.path, actionName(a.kind), 0, {}, 0});
            }
            (void)journal.setPending(queue);
            return report;
        }

        // 6. The queue survives restarts; then do it.
        std::vector<PendingRow> queue;
        std::vector<const Action*> work;
        report.skipped.clear();
        for (const Action& a : actions) {
            if (a.kind == ActionKind::None)
                continue;
            if (a.kind == ActionKind::Skip) {
                report.skipped << QStringLiteral("%1: %2").arg(a.path, a.why);
                queue.push_back({a.path, QStringLiteral("skip"), 0, a.why, 0});
                continue;
            }
            queue.push_back({a.path, actionName(a.kind), 0, {}, 0});
            if (!failedThisRun.contains(a.path))
                work.push_back(&a);
        }
        if (Status s = journal.setPending(queue); !s)
            return s.error();
        if (work.empty()) {
            const bool onlySettling = !report.skipped.isEmpty()
                && std::all_of(actions.begin(), actions.end(), [](const Action& a) {
                       return a.kind != ActionKind::Skip || a.why == QLatin1String("settling");
                   });
            if (onlySettling && options.waitForSettling && !waitedForSettling && m_config.settleMs > 0) {
                // Rule 4 says "this round"; a one-shot sync would rather wait a moment than
                // leave the file behind.
                waitedForSettling = true;
                QThread::msleep(quint64(std::min<qint64>(m_config.settleMs + 200, 5000)));
                ++extraPasses;
                continue;
            }
            report.converged = failedThisRun.isEmpty();
            break;
        }
        std::stable_sort(work.begin(), work.end(), [](const Action* x, const Action* y) {
            const int px = priority(*x), py = priority(*y);
            if (px != py)
                return px < py;
            return isJsonPath(x->path) && !isJsonPath(y->path);
        });
        // Ring first: a key ring coming in may carry the key other files now need. Take it
        // alone, make the codec again (top of the next pass) and plan the rest anew.
        bool ringOnly = false;
        if (m_codecProvider && m_d->codec && work.size() > 1) {
            const auto ring = std::find_if(work.begin(), work.end(), [](const Action* a) {
                return isPlaintextPath(a->path) && (a->kind == ActionKind::Download || a->kind == ActionKind::Resolve);
            });
            if (ring != work.end()) {
                work = {*ring};
                ringOnly = true;
                ++extraPasses;
            }
        }
        ctx.bytesDone = 0;
        ctx.bytesTotal = 0;
        ctx.filesDone = 0;
        ctx.filesTotal = int(work.size());
        for (const Action* a : work) {
            if (a->kind == ActionKind::Upload)
                ctx.bytesTotal += scan->files.value(a->path).size;
            else if (a->kind == ActionKind::Download || a->kind == ActionKind::Resolve)
                ctx.bytesTotal += mirror->value(a->path).size;
        }
        TakeGuard takeGuard(root);
        takeGuard.watch(work);
        QElapsedTimer sinceFlush;
        sinceFlush.start();
        std::vector<ActivityRow> activity;
        auto flush = [&]() -> Status {
            sinceFlush.restart();
            (void)journal.addActivity(std::exchange(activity, {})); // for the user; never fails a run
            return propagator.flushCommits();
        };
        for (const Action* a : work) {
            if (m_d->cancelled.load()) {
                (void)flush();
                return makeError(QStringLiteral("Sync cancelled"), QStringLiteral("cancelled"));
            }
            const auto l = scan->files.constFind(a->path);
            const auto r = mirror->constFind(a->path);
            const auto j = rows->constFind(a->path);
            if (m_observer)
                m_observer->fileStateChanged(a->path, FileState::Syncing);
            if (takeGuard.applies(*a) && propagator.queuedCommits() > 0) {
                if (Status s = flush(); !s) // the merged mixes go in place before they are read
                    return s.error();
            }
            const Action guarded = takeGuard.guard(*a);
            const StepResult res = propagator.execute(guarded, l == scan->files.cend() ? nullptr : &*l,
                                                      r == mirror->cend() ? nullptr : &*r, j == rows->cend() ? nullptr : &*j);
            ++ctx.filesDone;
            const qint64 size = guarded.kind == ActionKind::Upload ? scan->files.value(a->path).size : mirror->value(a->path).size;
            if (std::optional<ActivityRow> line = activityOf(guarded, res, size))
                activity.push_back(*line);
            if (res.outcome == Outcome::Failed || res.outcome == Outcome::Stop) {
                const qint64 retryAfter = m_remote->retryAfterSeconds() > 0
                                              ? clock().now().toSecsSinceEpoch() + m_remote->retryAfterSeconds()
                                              : 0;
                (void)journal.notePendingError(a->path, actionName(a->kind), res.error.message, retryAfter);
            }
            if (m_observer) {
                m_observer->fileStateChanged(a->path, res.outcome == Outcome::Done ? res.state
                                                      : res.outcome == Outcome::Failed ? FileState::Error
                                                                                       : FileState::Pending);
                m_observer->progress(ctx.bytesDone, ctx.bytesTotal, ctx.filesDone, ctx.filesTotal);
            }
            if (res.outcome == Outcome::Retry)
                noteLeftForNextSync(ctx, a->path, res.error);
            if (res.outcome == Outcome::Stop) {
                (void)flush(); // what did finish is recorded
                return res.error;
            }
            if (res.outcome == Outcome::Failed) {
                failedThisRun.insert(a->path);
                report.errors << QStringLiteral("%1: %2").arg(a->path, res.error.message);
                qCWarning(lcSync) << a->path << res.error.message;
            }
            if (propagator.queuedCommits() >= 256 || sinceFlush.elapsed() > 2000) {
                if (Status s = flush(); !s)
                    return s.error();
            }
        }
        if (Status s = flush(); !s)
            return s.error();
        if (ringOnly)
            continue;
    }

    // After a key rotation: files still stored under an older key move to the active one.
    if (options.rekeyBudget != 0 && !lockedRun && m_d->codec && m_d->codec->encrypted()) {
        if (ringPending) {
            // Files under a key other devices cannot see yet would be unreadable there.
            report.notes << QStringLiteral("Re-encryption waits until the key ring is synced");
        } else if (codecOutdated()) {
            // Another device's rotation arrived in this run: the keys in hand may be older
            // than the ring's, so moving files "to the active key" could move them back.
            report.notes << QStringLiteral("The key ring changed during this sync; re-encryption continues on the next one");
        } else {
            ctx.codec = m_d->codec.get();
            Result<RekeyResult> rk = rekeyStale(ctx, propagator, lastScan, options.rekeyBudget);
            if (!rk)
                return rk.error();
            report.reencryptLeft = rk->left;
        }
    }

    // Bases no row names any more go; so do temp files.
    if (Result<QHash<QString, JournalRow>> rows = journal.rows()) {
        QSet<QString> referenced;
        for (const JournalRow& r : *rows) {
            if (isJsonPath(r.path))
                referenced.insert(r.localHash);
        }
        bases.collectGarbage(referenced);
    }
    QDir(stateDir + QStringLiteral("/tmp")).removeRecursively();
    if (report.converged && !report.skipped.isEmpty())
        report.converged = false;
    return report;
}

} // namespace muze::sync
