#include <muze/sync/synccontroller.h>

#include <muze/sync/syncworker.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>
#include <QMetaMethod>
#include <QThread>

namespace muze::sync {

namespace {
QString stateFile(const QString& dir)
{
    return QDir(dir).filePath(QStringLiteral("sync-state.json"));
}
} // namespace

void SyncController::ThreadStopper::operator()(QThread* thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

SyncController::SyncController(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<VaultStatus>();
    qRegisterMetaType<FileSyncStates>();
}

SyncController::~SyncController()
{
    for (auto& [id, entry] : m_workers)
        entry.worker->interrupt(); // all at once, so they wind down together
    m_workers.clear(); // each thread: quit, wait, delete (the worker goes with deleteLater)
}

QStringList SyncController::vaultIds() const
{
    QStringList ids;
    for (const auto& [id, entry] : m_workers)
        ids << id;
    return ids;
}

VaultStatus SyncController::status(const QString& vaultId) const
{
    VaultStatus s = m_status.value(vaultId);
    s.vaultId = vaultId;
    return s;
}

void SyncController::setConfigDir(const QString& dir)
{
    m_configDir = dir;
    const QString file = stateFile(dir);
    bool all = false;
    if (QFile::exists(file)) {
        if (Result<Json> doc = readJsonObjectFile(file);
            doc && doc->contains("all_paused") && (*doc)["all_paused"].is_boolean())
            all = (*doc)["all_paused"].get<bool>();
    }
    if (all != m_allPaused)
        setAllPaused(all);
}

void SyncController::addVault(const vault::VaultRecord& vault, const QString& deviceName, const QString& deviceId)
{
    removeVault(vault.id);
    auto* thread = new QThread;
    thread->setObjectName(QStringLiteral("muze-sync-") + vault.id);
    auto* worker = new SyncWorker(vault, deviceName);
    worker->setDeviceId(deviceId);
    worker->moveToThread(thread);
    if (m_allPaused)
        QMetaObject::invokeMethod(
            worker, [worker] { worker->setAllPaused(true); }, Qt::QueuedConnection);
    connect(thread, &QThread::started, worker, &SyncWorker::start);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &SyncWorker::statusChanged, this, &SyncController::onStatus);
    connect(worker, &SyncWorker::progress, this, &SyncController::progress);
    connect(worker, &SyncWorker::fileStatesChanged, this, &SyncController::onFileStates);
    connect(worker, &SyncWorker::syncFinished, this, &SyncController::syncFinished);
    connect(worker, &SyncWorker::spaceFreed, this, &SyncController::spaceFreed);
    // The pause is in the vault's small local settings file: known before the worker reports.
    const Result<SyncSettings> settings = SyncSettings::load(vault.path);
    m_paused.insert(vault.id, settings && settings->paused);
    Entry entry{std::unique_ptr<QThread, ThreadStopper>(thread), worker};
    m_workers.emplace(vault.id, std::move(entry));
    thread->start();
}

void SyncController::removeVault(const QString& vaultId)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    it->second.worker->interrupt();
    m_workers.erase(it);
    m_paused.remove(vaultId);
    m_status.remove(vaultId);
}

void SyncController::onStatus(const VaultStatus& status)
{
    if (!m_workers.count(status.vaultId))
        return; // a removed vault's last words
    m_status.insert(status.vaultId, status);
    Q_EMIT statusChanged(status);
    Q_EMIT vaultStateChanged(status.vaultId, vaultStateName(status.state), status.message);
}

void SyncController::onFileStates(const QString& vaultId, const FileSyncStates& states, bool snapshot)
{
    if (!m_workers.count(vaultId))
        return;
    Q_EMIT fileStatesChanged(vaultId, states, snapshot);
    if (isSignalConnected(QMetaMethod::fromSignal(&SyncController::fileStateChanged))) {
        for (const FileSyncState& s : states)
            Q_EMIT fileStateChanged(vaultId, s.path, fileStateName(s.state));
    }
}

void SyncController::syncNow(const QString& vaultId, bool force)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(
        w, [w, force] { w->syncNow(force); }, Qt::QueuedConnection);
}

void SyncController::requestDownload(const QString& vaultId, const QString& path)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(
        w, [w, path] { w->requestDownload(path); }, Qt::QueuedConnection);
}

void SyncController::setSettings(const QString& vaultId, const SyncSettings& settings)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    m_paused.insert(vaultId, settings.paused);
    QMetaObject::invokeMethod(
        w,
        [w, settings] {
            w->applySettings(settings);
            w->saveSettings();
        },
        Qt::QueuedConnection);
}

void SyncController::keepOnDevice(const QString& vaultId, const QStringList& paths)
{
    for (const QString& p : paths)
        requestDownload(vaultId, p); // one run fetches them all (requests coalesce)
}

void SyncController::freeUpSpace(const QString& vaultId, const QStringList& paths)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(w, [w, paths] { w->freeUpSpace(paths); }, Qt::QueuedConnection);
}

void SyncController::setPaused(const QString& vaultId, bool paused)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end() || m_paused.value(vaultId) == paused)
        return;
    SyncWorker* w = it->second.worker;
    if (paused)
        w->cancelCurrentRun(); // its thread may be inside a run: stop it from here
    m_paused.insert(vaultId, paused);
    QMetaObject::invokeMethod(
        w, [w, paused] { w->setPaused(paused); }, Qt::QueuedConnection);
    Q_EMIT pausedChanged(vaultId, paused);
}

void SyncController::setAllPaused(bool paused)
{
    if (m_allPaused == paused)
        return;
    m_allPaused = paused;
    if (!m_configDir.isEmpty())
        (void)writeJsonFile(stateFile(m_configDir), Json{{"all_paused", paused}});
    for (auto& [id, entry] : m_workers) {
        SyncWorker* w = entry.worker;
        if (paused)
            w->cancelCurrentRun();
        QMetaObject::invokeMethod(
            w, [w, paused] { w->setAllPaused(paused); }, Qt::QueuedConnection);
    }
    Q_EMIT allPausedChanged(paused);
}

} // namespace muze::sync
