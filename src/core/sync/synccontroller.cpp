#include <muze/sync/synccontroller.h>

#include <muze/sync/syncworker.h>

#include <QThread>

namespace muze::sync {

void SyncController::ThreadStopper::operator()(QThread* thread) const
{
    thread->quit();
    thread->wait();
    delete thread;
}

SyncController::SyncController(QObject* parent) : QObject(parent) {}

SyncController::~SyncController()
{
    for (auto& [id, entry] : m_workers)
        entry.worker->interrupt();
    m_workers.clear(); // each thread: quit, wait, delete (the worker goes with deleteLater)
}

QStringList SyncController::vaultIds() const
{
    QStringList ids;
    for (const auto& [id, entry] : m_workers)
        ids << id;
    return ids;
}

void SyncController::addVault(const vault::VaultRecord& vault, const QString& deviceName, const QString& deviceId)
{
    removeVault(vault.id);
    auto* thread = new QThread;
    thread->setObjectName(QStringLiteral("muze-sync-") + vault.id);
    auto* worker = new SyncWorker(vault, deviceName);
    worker->setDeviceId(deviceId);
    worker->moveToThread(thread);
    connect(thread, &QThread::started, worker, &SyncWorker::start);
    connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &SyncWorker::vaultStateChanged, this, &SyncController::vaultStateChanged);
    connect(worker, &SyncWorker::progress, this, &SyncController::progress);
    connect(worker, &SyncWorker::fileStateChanged, this, &SyncController::fileStateChanged);
    connect(worker, &SyncWorker::syncFinished, this, &SyncController::syncFinished);
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
}

void SyncController::syncNow(const QString& vaultId, bool force)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(w, [w, force] { w->syncNow(force); }, Qt::QueuedConnection);
}

void SyncController::requestDownload(const QString& vaultId, const QString& path)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(w, [w, path] { w->requestDownload(path); }, Qt::QueuedConnection);
}

void SyncController::setSettings(const QString& vaultId, const SyncSettings& settings)
{
    const auto it = m_workers.find(vaultId);
    if (it == m_workers.end())
        return;
    SyncWorker* w = it->second.worker;
    QMetaObject::invokeMethod(
        w,
        [w, settings] {
            w->applySettings(settings);
            w->saveSettings();
        },
        Qt::QueuedConnection);
}

} // namespace muze::sync
