#include <muze/sync/syncengine.h>

#include "basestore.h"
#include "caseclash.h"
#include "devicehook.h"
#include "enginestate.h"
#include "faultseam.h"
#include "propagator.h"
#include "rekey.h"
#include "syncpass.h"

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/journal.h>
#include <muze/sync/reconciler.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/syncplan.h>
#include <muze/sync/throttle.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>

#include <QDir>
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

// New keys from a key ring that came in during this run (the ring-first rule, syncplan.h).
void SyncEngine::refreshCodec(SyncReport& report)
{
    if (!m_codecProvider || !m_d->codec || !codecOutdated())
        return;
    Result<std::unique_ptr<ContentCodec>> fresh = m_codecProvider();
    if (fresh && *fresh && (*fresh)->encrypted()) {
        setCodec(std::move(*fresh));
    } else if (!fresh) {
        const QString note =
            QStringLiteral("The key ring changed and its keys cannot be used here: %1").arg(fresh.error().message);
        if (!report.notes.contains(note))
            report.notes << note;
    }
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
        return makeError(QStringLiteral("The vault folder %1 is missing").arg(root), errc::io);
    if (!QDir().mkpath(stateDir))
        return makeError(QStringLiteral("Cannot create %1").arg(stateDir), errc::io);
    // One sync per vault at a time, across processes; the kernel drops the lock if we die.
    fs::FileLock lock(stateDir + QStringLiteral("/sync.lock"), false);
    if (!lock.locked())
        return makeError(QStringLiteral("Another Muze is syncing this vault right now"), errc::busy);
    if (Status s = m_d->openJournal(root); !s)
        return s.error();
    Journal& journal = *m_d->journal;
    m_d->cancelled.store(false);
    m_remote->resetCancel();
    if (options.cancel && options.cancel->load()) // asked before these resets: not lost
        return makeError(QStringLiteral("Sync cancelled"), errc::cancelled);
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
    bool executed = false; // some pass had work: bases may have lost their last row

    for (int pass = 1; pass <= std::max(1, options.maxPasses) + extraPasses; ++pass) {
        if (m_d->cancelled.load())
            return makeError(QStringLiteral("Sync cancelled"), errc::cancelled);
        report.passes = pass;
        ctx.lastPass = pass >= std::max(1, options.maxPasses) + extraPasses;

        // 1. List: what changed remotely, into the mirror with the cursor, in one transaction.
        if (Status s = listRemote(*m_remote, journal, rejected, report); !s)
            return s.error();

        // 2. Scan: both sides against the journal.
        Result<PassView> view = scanPass(root, journal, {m_config.settleMs, &m_d->cancelled}, report);
        if (!view)
            return view.error();

        // Names that differ only in case cannot coexist on Dropbox or macOS: rename.
        Result<bool> clashes = resolveCaseClashes(root, view->scan, view->mirror, view->rows, propagator, *m_remote,
                                                  journal, failedThisRun, report);
        if (!clashes)
            return clashes.error();
        if (*clashes) { // a remote rename: list again
            if (Status s = propagator.flushCommits(); !s)
                return s.error();
            continue;
        }
        lastScan = view->scan.files; // after case-clash renames: what re-encryption may read locally
        refreshCodec(report);

        // 3. Plan: the reconciler's decisions, then what this pass does of them (syncplan.h).
        Result<QStringList> wanted = journal.wanted();
        ReconcileOptions opts;
        opts.encrypted = encrypting();
        opts.dataTypes = m_config.settings.dataTypes;
        opts.audioDownload = m_config.settings.audioDownload;
        if (wanted)
            opts.wanted = QSet<QString>(wanted->cbegin(), wanted->cend());
        PlanInput input;
        input.actions = reconcile(view->scan.files, view->mirror, view->rows, opts);
        input.hasCodec = hasCodec();
        input.encrypting = encrypting();
        input.remoteEncrypted = view->mirror.contains(QStringLiteral(".muze/keyring.json"));
        input.localFiles = int(view->scan.files.size());
        input.remoteFiles = int(view->mirror.size());
        input.force = options.force;
        input.failed = failedThisRun;
        input.canRemakeKeys = m_codecProvider && hasCodec();
        const SyncPlan todo = plan(std::move(input));

        ctx.codec = m_d->codec ? m_d->codec.get() : plainForLocked.get();
        lockedRun = todo.locked;
        ringPending = todo.ringPending;
        report.locked = report.locked || todo.locked;
        if (!todo.message.isEmpty())
            report.message = todo.message;
        if (todo.refused) { // rule 5: the queue says what waits for --force
            report.massDeleteRefused = true;
            (void)journal.setPending(todo.queue);
            return report;
        }
        // The queue survives restarts.
        if (Status s = journal.setPending(todo.queue); !s)
            return s.error();
        report.skipped = todo.skipped;
        if (todo.work.empty()) {
            if (todo.onlySettling && options.waitForSettling && !waitedForSettling && m_config.settleMs > 0) {
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
        if (todo.ringOnly) // the key ring alone; the next pass makes the codec again and plans the rest
            ++extraPasses;

        // 4. Execute.
        executed = true;
        if (Status s = executePlan(todo.work, *view, ctx, propagator, failedThisRun); !s)
            return s.error();
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

    // Bases no row names any more go. A run without work changed no row, so a no-op sync skips
    // this second read of the journal (what a killed run left waits for the next run with work).
    if (executed) {
        if (Result<QHash<QString, JournalRow>> rows = journal.rows()) {
            QSet<QString> referenced;
            for (const JournalRow& r : *rows) {
                if (isJsonPath(r.path))
                    referenced.insert(r.localHash);
            }
            bases.collectGarbage(referenced);
        }
    }
    QDir(stateDir + QStringLiteral("/tmp")).removeRecursively();
    if (report.converged && !report.skipped.isEmpty())
        report.converged = false;
    return report;
}

} // namespace muze::sync
