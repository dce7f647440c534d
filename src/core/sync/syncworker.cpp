#include <muze/sync/syncworker.h>

#include <muze/model/layout.h>
#include <muze/remote/remotefactory.h>
#include <muze/sync/codec.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileSystemWatcher>
#include <QThread>
#include <QTimer>

#include <atomic>

namespace muze::sync {

namespace {
// Gradual re-encryption after a key rotation (DESIGN.md §4): each run moves up to this much to
// the active key, then the worker comes back after a pause, so new edits never wait long
// behind a library of takes being rewritten.
constexpr qint64 kRekeyBytesPerRun = 256LL * 1024 * 1024;
constexpr int kRekeyPauseMs = 5000;
} // namespace

// Waits for remote news on its own thread with its own remote, and pokes the worker.
class LongPoller : public QThread {
public:
    LongPoller(vault::VaultRecord vault, SyncWorker* worker) : m_vault(std::move(vault)), m_worker(worker) {}
    ~LongPoller() override { stopAndWait(); }

    void setCursor(const QString& cursor)
    {
        QMutexLocker lock(&m_mutex);
        m_cursor = cursor;
    }
    void stopAndWait()
    {
        m_stop.store(true);
        {
            QMutexLocker lock(&m_mutex);
            if (m_remote)
                m_remote->cancel();
        }
        wait();
    }

protected:
    void run() override
    {
        Result<std::unique_ptr<remote::RemoteStore>> made = remote::createRemote(m_vault);
        if (!made)
            return;
        {
            QMutexLocker lock(&m_mutex);
            m_remote = std::move(*made);
        }
        while (!m_stop.load()) {
            QString cursor;
            {
                QMutexLocker lock(&m_mutex);
                cursor = m_cursor;
            }
            if (cursor.isEmpty()) {
                napInterruptibly(1);
                continue;
            }
            Result<bool> news = m_remote->waitForChanges(cursor, 90);
            if (m_stop.load())
                break;
            if (news && *news) {
                {
                    QMutexLocker lock(&m_mutex);
                    m_cursor.clear(); // the worker hands over a fresh cursor after it synced
                }
                QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->syncNow(false); }, Qt::QueuedConnection);
            } else if (!news) {
                napInterruptibly(news.error().code == QLatin1String("rate_limited") ? 60 : 30);
            }
        }
        QMutexLocker lock(&m_mutex);
        m_remote.reset();
    }

private:
    void napInterruptibly(int seconds)
    {
        for (int i = 0; i < seconds * 10 && !m_stop.load(); ++i)
            msleep(100);
    }

    vault::VaultRecord m_vault;
    SyncWorker* m_worker;
    std::atomic<bool> m_stop{false};
    QMutex m_mutex;
    QString m_cursor;
    std::unique_ptr<remote::RemoteStore> m_remote;
};

class SyncWorker::Observer : public SyncObserver {
public:
    explicit Observer(SyncWorker* w) : m_w(w) { m_clock.start(); }
    void fileStateChanged(const QString& path, FileState state) override
    {
        Q_EMIT m_w->fileStateChanged(m_w->m_vault.id, path, fileStateName(state));
    }
    void progress(qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal) override
    {
        if (filesDone < filesTotal && m_clock.elapsed() < 100)
            return;
        m_clock.restart();
        Q_EMIT m_w->progress(m_w->m_vault.id, bytesDone, bytesTotal, filesDone, filesTotal);
    }

private:
    SyncWorker* m_w;
    QElapsedTimer m_clock;
};

SyncWorker::SyncWorker(vault::VaultRecord vault, QString deviceName, QObject* parent)
    : QObject(parent), m_vault(std::move(vault)), m_deviceName(std::move(deviceName))
{
}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::interrupt()
{
    QMutexLocker lock(&m_engineMutex);
    if (m_engine)
        m_engine->cancel();
}

void SyncWorker::setState(const QString& state, const QString& message)
{
    m_state = state;
    Q_EMIT vaultStateChanged(m_vault.id, state, message);
}

void SyncWorker::start()
{
    if (Result<SyncSettings> s = SyncSettings::load(m_vault.path))
        m_settings = *s;
    Result<std::unique_ptr<remote::RemoteStore>> made = remote::createRemote(m_vault);
    if (!made) {
        setState(QStringLiteral("error"), made.errorString());
        return;
    }
    const bool longpoll = (*made)->kind() == QLatin1String("dropbox");
    Result<std::unique_ptr<ContentCodec>> codec = makeCodecForVault(m_vault);
    if (!codec) {
        qCInfo(lcSync) << m_vault.name << "is locked on this device:" << codec.errorString();
        if (codec.error().code != QLatin1String("locked"))
            m_keysProblem = codec.error().message;
    }
    SyncEngineConfig config{m_vault.path, m_deviceName, m_settings, 2000};
    {
        QMutexLocker lock(&m_engineMutex);
        m_engine = std::make_unique<SyncEngine>(config, std::move(*made), codec ? std::move(*codec) : nullptr);
        m_engine->setCodecProvider([vault = m_vault] { return makeCodecForVault(vault); });
        m_engine->setDeviceId(m_deviceId);
    }
    m_observer = std::make_unique<Observer>(this);
    m_engine->setObserver(m_observer.get());

    m_interval = new QTimer(this);
    connect(m_interval, &QTimer::timeout, this, [this] { runSync(false); });
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
    QMetaObject::invokeMethod(this, [this] { runSync(false); }, Qt::QueuedConnection);
}

void SyncWorker::stop()
{
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
    m_settings = settings;
    if (m_engine)
        m_engine->setSettings(settings);
    if (m_interval) {
        if (settings.intervalMinutes > 0)
            m_interval->start(settings.intervalMinutes * 60 * 1000);
        else
            m_interval->stop();
    }
}

void SyncWorker::saveSettings()
{
    if (Status s = m_settings.save(m_vault.path); !s)
        setState(QStringLiteral("error"), s.errorString());
}

void SyncWorker::syncNow(bool force)
{
    if (m_retry)
        m_retry->stop();
    runSync(force);
}

void SyncWorker::requestDownload(const QString& path)
{
    if (!m_engine)
        return;
    if (Status s = m_engine->requestDownload(path); !s) {
        Q_EMIT fileStateChanged(m_vault.id, path, QStringLiteral("error"));
        return;
    }
    runSync(false);
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
    if (!m_engine || m_syncing)
        return;
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
        Result<std::unique_ptr<ContentCodec>> codec = makeCodecForVault(m_vault);
        if (codec && (*codec)->encrypted()) {
            m_engine->setCodec(std::move(*codec));
            m_keysProblem.clear();
        } else if (!codec && (codec.error().code == QLatin1String("tampered_keyring")
                              || codec.error().code == QLatin1String("keyring_rollback"))) {
            // The ring can no longer be trusted: stop writing files until the user unlocks
            // with the password (which repairs it), and say why.
            m_engine->setCodec(nullptr);
            m_keysProblem = codec.error().message;
        }
    }
    setState(QStringLiteral("syncing"), QString());
    SyncOptions options;
    options.force = force;
    options.waitForSettling = false; // the worker comes back by itself (debounce)
    options.rekeyBudget = kRekeyBytesPerRun; // after a key rotation, a slice per run
    Result<SyncReport> report = m_engine->run(options);
    m_syncing = false;
    rewatch();

    if (!report) {
        const QString code = report.error().code;
        if (code == QLatin1String("offline")) {
            m_backoffSeconds = m_backoffSeconds ? std::min(m_backoffSeconds * 2, 300) : 15;
            m_retry->start(m_backoffSeconds * 1000);
            setState(QStringLiteral("offline"), report.errorString());
        } else if (code == QLatin1String("busy")) {
            m_retry->start(10000);
            setState(QStringLiteral("pending"), report.errorString());
        } else if (code != QLatin1String("cancelled")) {
            setState(QStringLiteral("error"), report.errorString());
        }
        Q_EMIT syncFinished(m_vault.id, false, report.errorString());
        return;
    }
    m_backoffSeconds = 0;
    if (m_poller)
        m_poller->setCursor(m_engine->cursor());
    if (report->massDeleteRefused)
        setState(QStringLiteral("attention"), report->message);
    else if (report->message.contains(QLatin1String("locked")))
        setState(QStringLiteral("locked"), m_keysProblem.isEmpty() ? report->message : m_keysProblem);
    else if (!report->errors.isEmpty())
        setState(QStringLiteral("error"), report->errors.first());
    else if (!report->converged)
        setState(QStringLiteral("pending"), report->skipped.isEmpty() ? report->summary() : report->skipped.first());
    else
        setState(QStringLiteral("synced"), report->summary());
    Q_EMIT syncFinished(m_vault.id, report->converged, report->summary());
    // Skipped files (recording, settling) and our own edits seen meanwhile: look again soon.
    if (m_eventsDuringSync || (!report->converged && !report->skipped.isEmpty()))
        m_debounce->start(3000);
    else if (report->reencryptLeft > 0 && report->errors.isEmpty())
        m_debounce->start(kRekeyPauseMs); // the next slice of re-encryption
}

} // namespace muze::sync
