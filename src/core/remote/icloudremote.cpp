// iCloud Drive as a remote: the shared logic over UbiquityContainer (icloudremote.h).
#include <muze/remote/icloudremote.h>

#include <muze/remote/contenthash.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>

namespace muze::remote {

namespace {
constexpr int kPollMs = 100;

Error offline(const QString& why)
{
    return makeError(why, errc::offline);
}
Error cancelledError()
{
    return makeError(QStringLiteral("Cancelled"), errc::cancelled);
}

bool placeholderExists(const QString& absPath)
{
    const QFileInfo fi(absPath);
    return QFileInfo::exists(fi.dir().filePath(placeholderName(fi.fileName())));
}
} // namespace

ICloudRemote::ICloudRemote(std::shared_ptr<UbiquityContainer> container, QString folder, QString cacheDir, CopyNamer namer)
    : m_container(std::move(container))
    , m_folder(folder, cacheDir, QStringLiteral("icloud"))
    , m_cacheDir(std::move(cacheDir))
    , m_namer(std::move(namer))
{
}

ICloudRemote::~ICloudRemote() = default;

Status ICloudRemote::checkAvailable() const
{
    if (!m_container->available())
        return offline(QStringLiteral("iCloud Drive is not signed in on this device: sign in to iCloud and turn on "
                                      "iCloud Drive for Muze, then sync again"));
    return {};
}

QString ICloudRemote::absolute(const QString& rel) const
{
    return rel.isEmpty() ? m_folder.root() : m_folder.root() + QLatin1Char('/') + rel;
}

ProgressFn ICloudRemote::cancellable(const ProgressFn& progress) const
{
    return [this, progress](qint64 done, qint64 total) {
        if (isCancelled())
            return false;
        return progress ? progress(done, total) : true;
    };
}

Status ICloudRemote::keepConflictsAsCopies(const QString& absPath)
{
    Result<std::vector<UbiquityVersion>> conflicts = m_container->versions(absPath, true);
    if (!conflicts)
        return conflicts.error();
    const QString rel = QDir(m_folder.root()).relativeFilePath(absPath);
    const QString tmpDir = QDir(m_cacheDir.isEmpty() ? QDir::tempPath() : m_cacheDir).filePath(QStringLiteral("icloud-tmp"));
    if (!QDir().mkpath(tmpDir))
        return makeError(QStringLiteral("Cannot create %1").arg(tmpDir), errc::io);
    for (const UbiquityVersion& v : *conflicts) {
        const QString copyRel = m_namer(rel, v.deviceName.isEmpty() ? QStringLiteral("iCloud") : v.deviceName, v.modified);
        const QString tmp = QDir(tmpDir).filePath(QStringLiteral("conflict-") + QString::number(qHash(v.id), 16));
        QFile::remove(tmp);
        if (Status s = m_container->copyVersion(absPath, v.id, tmp); !s)
            return s;
        QFile file(tmp);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("Cannot read %1").arg(tmp), errc::io);
        Result<RemoteEntry> written = makeError(QString(), errc::io);
        const Status coordinated = m_container->coordinatedWrite(absolute(copyRel), [&](const QString&) -> Status {
            written = m_folder.upload(copyRel, file, file.size(), {WriteMode::Add, {}, v.modified}, cancellable({}));
            return written ? Status{} : Status(written.error());
        });
        file.close();
        if (!coordinated && written.ok())
            return coordinated;
        if (!written) {
            // A copy from an earlier run that stopped before resolving: fine if it is these bytes.
            Result<QString> mine = contentHashFile(tmp);
            Result<QString> there = contentHashFile(absolute(copyRel));
            if (!written.error().is(errc::conflict) || !mine || !there || *mine != *there)
                return written.error();
        }
        QFile::remove(tmp);
        // Only now that the other device's bytes are safe as a file of the vault.
        if (Status s = m_container->resolveConflicts(absPath, {v.id}); !s)
            return s;
        qCInfo(lcICloud) << "kept an iCloud conflict version of" << rel << "as" << copyRel;
    }
    return {};
}

Status ICloudRemote::waitForDownloads(QStringList pending)
{
    QElapsedTimer timer;
    timer.start();
    while (!pending.isEmpty()) {
        if (isCancelled())
            return cancelledError();
        if (Status s = checkAvailable(); !s)
            return s;
        Result<std::vector<UbiquityItem>> now = m_container->items(m_folder.root());
        if (!now)
            return now.error();
        QStringList still;
        for (const UbiquityItem& item : *now) {
            if (item.state != DownloadState::Current && pending.contains(item.path))
                still.append(item.path);
        }
        pending = still;
        if (pending.isEmpty())
            break;
        if (timer.elapsed() > m_downloadTimeoutMs)
            return offline(QStringLiteral("iCloud is still downloading files of this vault (%1 left, %2 first); "
                                          "Muze syncs them when they arrive")
                               .arg(pending.size())
                               .arg(QDir(m_folder.root()).relativeFilePath(pending.front())));
        QThread::msleep(kPollMs);
    }
    return {};
}

Status ICloudRemote::prepare()
{
    if (Status s = checkAvailable(); !s)
        return s;
    if (!QFileInfo::exists(m_folder.root()))
        return {}; // first use: the folder remote creates it
    Result<std::vector<UbiquityItem>> items = m_container->items(m_folder.root());
    if (!items)
        return items.error();
    QStringList pending;
    for (const UbiquityItem& item : *items) {
        if (item.hasUnresolvedConflicts) {
            if (Status s = keepConflictsAsCopies(item.path); !s)
                return s;
        }
        if (item.state == DownloadState::NotDownloaded) {
            if (Status s = m_container->startDownload(item.path); !s)
                return s;
        }
        if (item.state != DownloadState::Current)
            pending.append(item.path);
    }
    return waitForDownloads(pending);
}

Result<ChangeSet> ICloudRemote::listChanges(const QString& cursor)
{
    if (Status s = prepare(); !s)
        return s.error();
    Result<ChangeSet> changes = m_folder.listChanges(cursor);
    if (!changes)
        return changes;
    std::vector<RemoteEntry> kept;
    bool evicted = false;
    for (RemoteEntry& e : changes->entries) {
        const QString name = e.path.section(QLatin1Char('/'), -1);
        if (isPlaceholderName(name)) {
            evicted = true; // evicted between prepare() and the listing
            continue;
        }
        if (e.deleted && placeholderExists(absolute(e.path))) {
            evicted = true; // not deleted: iCloud freed its bytes
            continue;
        }
        kept.push_back(std::move(e));
    }
    // A complete listing must name every file: one that just became a placeholder is missing
    // from it, and a missing file would read as deleted. Ask again later.
    if (changes->complete && evicted)
        return offline(QStringLiteral("iCloud removed a downloaded file while Muze listed the vault; trying again"));
    changes->entries = std::move(kept);
    return changes;
}

Result<RemoteEntry> ICloudRemote::stat(const QString& path)
{
    if (Status s = checkAvailable(); !s)
        return s.error();
    return m_folder.stat(path);
}

Status ICloudRemote::download(const QString& path, QIODevice& sink, qint64 offset, qint64 length, const ProgressFn& progress)
{
    if (Status s = checkAvailable(); !s)
        return s;
    const QString abs = absolute(path);
    if (placeholderExists(abs)) {
        if (Status s = m_container->startDownload(abs); !s)
            return s;
        if (Status s = waitForDownloads({abs}); !s)
            return s;
    }
    return m_container->coordinatedRead(
        abs, [&](const QString&) { return m_folder.download(path, sink, offset, length, cancellable(progress)); });
}

Result<RemoteEntry> ICloudRemote::upload(const QString& path, QIODevice& source, qint64 size, const WriteSpec& spec,
                                         const ProgressFn& progress)
{
    if (Status s = checkAvailable(); !s)
        return s.error();
    Result<RemoteEntry> out = makeError(QStringLiteral("Not written"), errc::io);
    const Status s = m_container->coordinatedWrite(absolute(path), [&](const QString&) -> Status {
        out = m_folder.upload(path, source, size, spec, cancellable(progress));
        return out ? Status{} : Status(out.error());
    });
    if (!s && out.ok())
        return s.error();
    return out;
}

Status ICloudRemote::remove(const QString& path, const QString& rev)
{
    if (Status s = checkAvailable(); !s)
        return s;
    return m_container->coordinatedWrite(absolute(path), [&](const QString&) { return m_folder.remove(path, rev); });
}

Status ICloudRemote::makeFolder(const QString& path)
{
    if (Status s = checkAvailable(); !s)
        return s;
    return m_folder.makeFolder(path);
}

Result<bool> ICloudRemote::waitForChanges(const QString& cursor, int timeoutSeconds)
{
    // In one-second slices, so cancel() on this wrapper and a sign-out are seen promptly.
    m_folder.setPollIntervalMs(1000);
    for (int waited = 0; waited < std::max(1, timeoutSeconds); ++waited) {
        if (isCancelled())
            return cancelledError();
        if (Status s = checkAvailable(); !s)
            return s.error();
        Result<bool> changed = m_folder.waitForChanges(cursor, 1);
        if (!changed || *changed)
            return changed;
    }
    return false;
}

Result<SpaceUsage> ICloudRemote::spaceUsage()
{
    if (Status s = checkAvailable(); !s)
        return s.error();
    return m_folder.spaceUsage();
}

Status ICloudRemote::flush() { return m_folder.flush(); }

} // namespace muze::remote
