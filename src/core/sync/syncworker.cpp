#include <muze/sync/syncworker.h>

#include "filestatebatcher.h"
#include "longpoller.h"

#include <muze/model/layout.h>
#include <muze/sync/codec.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/freeup.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/vaultengine.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileSystemWatcher>
#include <QThread>
#include <QTimer>

namespace muze::sync {

namespace {
// Gradual re-encryption after a key rotation (DESIGN.md §4): each run moves up to this much to
// the active key, then the worker comes back after a pause, so new edits never wait long
// behind a library of takes being rewritten.
constexpr qint64 kRekeyBytesPerRun = 256LL * 1024 * 1024;
constexpr int kRekeyPauseMs = 5000;
// File states reach the GUI in batches at most this often (~20 a second).
constexpr int kFileBatchMs = 50;
// A snapshot is sent in slices this big so no single queued signal is huge.
constexpr qsizetype kSnapshotSlice = 2000;
} // namespace

SyncWorker::SyncWorker(vault::VaultRecord vault, QString deviceName, QObject* parent)
    : QObject(parent)
    , m_vault(std::move(vault))
    , m_deviceName(std::move(deviceName))
{
    m_status.vaultId = m_vault.id;
}

SyncWorker::~SyncWorker()
{
    stop();
}

void SyncWorker::interrupt()
{
    m_stopping.store(true);
    cancelCurrentRun();
}

void SyncWorker::cancelCurrentRun()
{
    QMutexLocker lock(&m_engineMutex);
    if (m_runToken)
        m_runToken->store(true);
    if (m_engine)
        m_engine->cancel();
}

void SyncWorker::setState(VaultState state, const QString& message)
{
    m_status.state = state;
    m_status.message = message;
    m_status.paused = paused();
    Q_EMIT statusChanged(m_status);
}

void SyncWorker::start()
{
    if (Result<SyncSettings> s = SyncSettings::load(m_vault.path))
        m_settings = *s;
    Result<VaultEngine> made = makeEngineForVault(m_vault, m_settings, m_deviceName, m_deviceId);
    if (!made) {
        setState(VaultState::Error, made.errorString());
        return;
    }
    if (made->keys != KeysState::Usable) {
        // Locked or not, the engine moves the key ring; a ring that cannot be used says why.
        qCInfo(lcSync) << m_vault.name << "is locked on this device:" << made->keysError.message;
        if (made->keys != KeysState::Locked)
            m_keysProblem = made->keysError.message;
    }
    const bool longpoll = made->engine->remote().kind() == QLatin1String("dropbox");
    {
        QMutexLocker lock(&m_engineMutex);
        m_engine = std::move(made->engine);
        if (m_stopping.load())
            m_engine->cancel();
    }
    const QString id = m_vault.id;
    m_observer = std::make_unique<FileStateBatcher>(
        m_vault.path, [this, id](const FileSyncStates& batch) { Q_EMIT fileStatesChanged(id, batch, false); },
        [this, id](qint64 done, qint64 total, int filesDone, int filesTotal) {
            Q_EMIT progress(id, done, total, filesDone, filesTotal);
        },
        kFileBatchMs);
    m_engine->setObserver(m_observer.get());

    m_interval = new QTimer(this);
    connect(m_interval, &QTimer::timeout, this, [this] {
        if (!m_syncing) // a run is going anyway
            runSync(false);
    });
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    connect(m_debounce, &QTimer::timeout, this, [this] { runSync(false); });
    m_retry = new QTimer(this);
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, [this] { runSync(false); });
    m_watcher = new QFileSystemWatcher(this);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, [this] { onLocalEvent(); });
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, [this] { onLocalEvent(); });
    applySettings(m_settings);
    if (longpoll) {
        m_poller = new LongPoller(m_vault, this);
        m_poller->start();
    }
    QMetaObject::invokeMethod(
        this, [this] { runSync(false); }, Qt::QueuedConnection);
}

void SyncWorker::stop()
{
    m_stopping.store(true);
    if (m_poller) {
        m_poller->stopAndWait();
        delete m_poller;
        m_poller = nullptr;
    }
    if (m_interval)
        m_interval->stop();
    if (m_debounce)
        m_debounce->stop();
    if (m_retry)
        m_retry->stop();
    QMutexLocker lock(&m_engineMutex);
    m_engine.reset(); // closes the journal connection on this thread
}

void SyncWorker::applySettings(const SyncSettings& settings)
{
    if (m_syncing) { // the engine's settings do not change under a run: the follow-up takes them
        m_queued.settings = true;
        m_queued.newSettings = settings;
        request(false);
        return;
    }
    const bool wasPaused = paused();
    m_settings = settings;
    if (m_engine)
        m_engine->setSettings(settings);
    if (m_interval) {
        if (settings.intervalMinutes > 0)
            m_interval->start(settings.intervalMinutes * 60 * 1000);
        else
            m_interval->stop();
    }
    if (m_engine && wasPaused != paused()) {
        if (paused())
            setState(VaultState::Paused, QString());
        else
            runSync(false);
    }
}

void SyncWorker::saveSettings()
{
    if (Status s = m_settings.save(m_vault.path); !s)
        setState(VaultState::Error, s.errorString());
}

void SyncWorker::setPaused(bool on)
{
    if (on)
        cancelCurrentRun();
    SyncSettings s = m_syncing && m_queued.settings ? m_queued.newSettings : m_settings;
    s.paused = on;
    if (Status saved = s.save(m_vault.path); !saved)
        qCWarning(lcSync) << "cannot remember the pause of" << m_vault.name << saved.errorString();
    applySettings(s);
}

void SyncWorker::setAllPaused(bool on)
{
    if (m_allPaused == on)
        return;
    const bool wasPaused = paused();
    m_allPaused = on;
    if (on)
        cancelCurrentRun();
    if (!m_engine || wasPaused == paused())
        return;
    if (paused())
        setState(VaultState::Paused, QString());
    else
        runSync(false);
}

void SyncWorker::freeUpSpace(const QStringList& paths)
{
    if (m_syncing) { // the vault is locked by the run: right after it
        m_queued.freeUp << paths;
        return;
    }
    const Result<FreeUpResult> r = m_engine ? m_engine->freeUpSpace(paths) : sync::freeUpSpace(m_vault.path, paths);
    if (!r) {
        Q_EMIT spaceFreed(m_vault.id, {}, {}, 0, r.errorString());
        return;
    }
    if (m_engine)
        emitSnapshot(m_status); // the freed takes are cloud-only now
    Q_EMIT spaceFreed(m_vault.id, r->freed, r->kept, r->bytes, QString());
}

void SyncWorker::syncNow(bool force)
{
    if (m_retry)
        m_retry->stop();
    request(force);
}

void SyncWorker::requestDownload(const QString& path)
{
    if (!m_queued.downloads.contains(path))
        m_queued.downloads << path; // the next run adds it to the on-demand list and fetches it
    request(false);
}

void SyncWorker::request(bool force)
{
    // Requests coalesce: those that arrive during a run (a nested event loop) or while their
    // queued calls wait behind one (a run that blocked this thread) make one follow-up run.
    m_queued.run = true;
    m_queued.force = m_queued.force || force;
    if (m_syncing || m_kickPosted)
        return;
    m_kickPosted = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_kickPosted = false;
            if (m_queued.run)
                runSync(false);
        },
        Qt::QueuedConnection);
}

void SyncWorker::onLocalEvent()
{
    if (m_syncing) {
        m_eventsDuringSync = true;
        return;
    }
    // Debounce 2 s, but never postpone a sync more than 20 s while events keep coming.
    if (!m_debounce->isActive())
        m_firstEvent.start();
    if (m_firstEvent.isValid() && m_firstEvent.elapsed() > 20000)
        m_debounce->start(0);
    else
        m_debounce->start(2000);
}

void SyncWorker::rewatch()
{
    if (!m_watcher)
        return;
    const QStringList old = m_watcher->directories();
    if (!old.isEmpty())
        m_watcher->removePaths(old);
    QStringList dirs{m_vault.path};
    QDirIterator it(m_vault.path, QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    const QString prefix = m_vault.path + QLatin1Char('/');
    while (it.hasNext()) {
        const QString dir = it.next();
        if (!isIgnoredPath(dir.mid(prefix.size())))
            dirs << dir;
    }
    m_watcher->addPaths(dirs);
}

void SyncWorker::runSync(bool force)
{
    if (!m_engine || m_stopping.load())
        return;
    if (m_syncing) { // a timer delivered by a nested event loop during the run
        request(force);
        return;
    }
    if (paused()) {
        if (m_status.state != VaultState::Paused)
            setState(VaultState::Paused, QString());
        return;
    }
    force = force || m_queued.force;
    SyncOptions options;
    options.download = m_queued.downloads;
    const QStringList freeUp = m_queued.freeUp;
    m_queued = Queued{};
    m_queued.freeUp = freeUp;
    m_syncing = true;
    m_eventsDuringSync = false;
    if (m_debounce)
        m_debounce->stop();
    // A vault unlocked since the engine was made (keys now in the keychain), or one that
    // turned out to be encrypted (its key ring arrived): pick up the keys.
    // A key ring that changed (a rotation here or on another device) means new keys: new
    // files must use the new active key, and re-encryption must aim at it.
    if (!m_engine->hasCodec() || m_engine->codecOutdated()
        || (!m_engine->encrypting() && QFile::exists(m_vault.path + QStringLiteral("/.muze/keyring.json")))) {
        VaultCodec codec = codecForVault(m_vault);
        if (codec.codec && codec.codec->encrypted()) {
            m_engine->setCodec(std::move(codec.codec));
            m_keysProblem.clear();
        } else if (codec.keys == KeysState::Untrusted) {
            // The ring can no longer be trusted: stop writing files until the user unlocks
            // with the password (which repairs it), and say why.
            m_engine->setCodec(nullptr);
            m_keysProblem = codec.error.message;
        }
    }
    setState(VaultState::Syncing, QString());
    auto token = std::make_shared<std::atomic<bool>>(false);
    {
        QMutexLocker lock(&m_engineMutex);
        m_runToken = token;
        if (m_stopping.load())
            token->store(true);
    }
    options.force = force;
    options.waitForSettling = false; // the worker comes back by itself (debounce)
    options.rekeyBudget = kRekeyBytesPerRun; // after a key rotation, a slice per run
    options.cancel = token.get();
    const Result<SyncReport> report = m_engine->run(options);
    {
        QMutexLocker lock(&m_engineMutex);
        m_runToken.reset();
    }
    m_observer->flush();
    m_syncing = false;
    if (m_stopping.load())
        return; // going away: no rescans, no follow-up
    if (m_queued.settings) {
        const SyncSettings next = m_queued.newSettings;
        m_queued.settings = false;
        applySettings(next);
    }
    rewatch();
    finishRun(report);
    if (!m_queued.freeUp.isEmpty())
        freeUpSpace(std::exchange(m_queued.freeUp, {}));
    if (m_queued.run && !paused())
        request(false); // exactly one follow-up with the union of what was asked meanwhile
}

void SyncWorker::finishRun(const Result<SyncReport>& report)
{
    VaultStatus& st = m_status;
    st.offline = false;
    st.signedOut = false;
    st.massDeleteRefused = false;
    if (!report) {
        const QString code = report.error().code;
        st.offline = code == errc::offline;
        st.signedOut = code == errc::auth;
        emitSnapshot(st);
        if (st.offline) {
            m_backoffSeconds = m_backoffSeconds ? std::min(m_backoffSeconds * 2, 300) : 15;
            m_retry->start(m_backoffSeconds * 1000);
            setState(VaultState::Offline, report.errorString());
        } else if (code == errc::busy) {
            m_retry->start(10000);
            setState(VaultState::Pending, report.errorString());
        } else if (st.signedOut) {
            setState(VaultState::SignedOut, report.errorString());
        } else if (code == errc::cancelled) {
            setState(paused() ? VaultState::Paused : VaultState::Pending, QString());
        } else {
            setState(VaultState::Error, report.errorString());
        }
        Q_EMIT syncFinished(m_vault.id, false, report.errorString());
        return;
    }
    m_backoffSeconds = 0;
    if (m_poller)
        m_poller->setCursor(m_engine->cursor());
    st.locked = report->locked || !m_keysProblem.isEmpty();
    st.massDeleteRefused = report->massDeleteRefused;
    emitSnapshot(st);
    if (report->massDeleteRefused)
        setState(VaultState::Attention, report->message);
    else if (report->locked)
        setState(VaultState::Locked, m_keysProblem.isEmpty() ? report->message : m_keysProblem);
    else if (!report->errors.isEmpty())
        setState(VaultState::Error, report->errors.first());
    else if (!report->converged)
        setState(VaultState::Pending, report->skipped.isEmpty() ? report->summary() : report->skipped.first());
    else
        setState(VaultState::Synced, report->summary());
    Q_EMIT syncFinished(m_vault.id, report->converged, report->summary());
    if (m_queued.run)
        return; // the follow-up run looks again anyway
    // Skipped files (recording, settling) and our own edits seen meanwhile: look again soon.
    if (m_eventsDuringSync || (!report->converged && !report->skipped.isEmpty()))
        m_debounce->start(3000);
    else if (report->reencryptLeft > 0 && report->errors.isEmpty())
        m_debounce->start(kRekeyPauseMs); // the next slice of re-encryption
}

void SyncWorker::emitSnapshot(VaultStatus& st)
{
    st.conflicts = int(ConflictStore(m_vault.path).list().size());
    Result<std::vector<FileStatus>> all = m_engine->status(); // local: scan, journal, last listing
    if (!all)
        return;
    int waiting = 0;
    FileSyncStates slice;
    bool first = true;
    auto send = [&] {
        Q_EMIT fileStatesChanged(m_vault.id, slice, first);
        first = false;
        slice.clear();
    };
    for (const FileStatus& f : *all) {
        if (f.state == FileState::Pending || f.state == FileState::Error)
            ++waiting;
        slice.append(FileSyncState{f.path, f.state, f.detail, -1, -1});
        if (slice.size() >= kSnapshotSlice)
            send();
    }
    if (!slice.isEmpty() || first)
        send();
    st.pendingChanges = waiting;
}

} // namespace muze::sync
