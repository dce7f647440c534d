// The simulated ubiquity container (simulatedubiquity.h): a folder that behaves like iCloud's
// container for the parts ICloudRemote relies on.
#include <muze/remote/simulatedubiquity.h>

#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace muze::remote {

namespace {
const QString kDocuments = QStringLiteral("Documents");
const QString kCloud = QStringLiteral(".sim-cloud");
const QString kVersions = QStringLiteral(".sim-versions");
const QString kSignedOut = QStringLiteral(".sim-signed-out");

Error io(const QString& what)
{
    return makeError(what, errc::io);
}
} // namespace

bool isPlaceholderName(const QString& fileName, QString* realName)
{
    static const QString suffix = QStringLiteral(".icloud");
    if (fileName.size() <= suffix.size() + 1 || !fileName.startsWith(QLatin1Char('.')) || !fileName.endsWith(suffix))
        return false;
    if (realName)
        *realName = fileName.mid(1, fileName.size() - 1 - suffix.size());
    return true;
}

QString placeholderName(const QString& name) { return QLatin1Char('.') + name + QStringLiteral(".icloud"); }

SimulatedUbiquityContainer::SimulatedUbiquityContainer(QString simulatedRoot, QString containerId)
    : m_root(QDir(simulatedRoot).filePath(containerId))
    , m_id(std::move(containerId))
{
}

Result<QString> SimulatedUbiquityContainer::documentsRoot()
{
    if (!available())
        return makeError(QStringLiteral("iCloud Drive is not signed in on this device"), errc::unavailable);
    const QString docs = QDir(m_root).filePath(kDocuments);
    if (!QDir().mkpath(docs))
        return io(QStringLiteral("Cannot create %1").arg(docs));
    return docs;
}

bool SimulatedUbiquityContainer::available() const { return !QFileInfo::exists(QDir(m_root).filePath(kSignedOut)); }

void SimulatedUbiquityContainer::setAvailabilityCallback(std::function<void(bool)> callback) { m_callback = std::move(callback); }

void SimulatedUbiquityContainer::setAvailable(bool on)
{
    const QString marker = QDir(m_root).filePath(kSignedOut);
    QDir().mkpath(m_root);
    if (on)
        QFile::remove(marker);
    else
        (void)writeFileAtomic(marker, {});
    if (m_callback)
        m_callback(on);
}

QString SimulatedUbiquityContainer::relOf(const QString& path) const
{
    return QDir(QDir(m_root).filePath(kDocuments)).relativeFilePath(path);
}

QString SimulatedUbiquityContainer::versionsDir(const QString& path) const
{
    return QDir(m_root).filePath(kVersions + QLatin1Char('/') + relOf(path));
}

Result<std::vector<UbiquityItem>> SimulatedUbiquityContainer::items(const QString& folder)
{
    std::vector<UbiquityItem> out;
    QDirIterator it(folder, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo fi(it.next());
        UbiquityItem item;
        QString real;
        if (isPlaceholderName(fi.fileName(), &real)) {
            item.path = fi.dir().filePath(real);
            item.state = DownloadState::NotDownloaded;
        } else {
            item.path = fi.filePath();
        }
        const QFileInfoList meta = QDir(versionsDir(item.path)).entryInfoList({QStringLiteral("*.json")}, QDir::Files);
        item.hasUnresolvedConflicts = std::any_of(meta.cbegin(), meta.cend(), [](const QFileInfo& m) {
            Result<Json> j = readJsonObjectFile(m.filePath());
            return j && jsonBool(*j, "conflict");
        });
        out.push_back(std::move(item));
    }
    return out;
}

Status SimulatedUbiquityContainer::startDownload(const QString& path)
{
    const QFileInfo fi(path);
    const QString placeholder = fi.dir().filePath(placeholderName(fi.fileName()));
    if (!QFileInfo::exists(placeholder))
        return {};
    const QString cloud = QDir(m_root).filePath(kCloud + QLatin1Char('/') + relOf(path));
    if (!QFile::rename(cloud, path))
        return io(QStringLiteral("Cannot download %1").arg(path));
    QFile::remove(placeholder);
    return {};
}

Status SimulatedUbiquityContainer::evict(const QString& path)
{
    const QFileInfo fi(path);
    const QString cloud = QDir(m_root).filePath(kCloud + QLatin1Char('/') + relOf(path));
    QDir().mkpath(QFileInfo(cloud).path());
    QFile::remove(cloud);
    if (!QFile::rename(path, cloud))
        return io(QStringLiteral("Cannot evict %1").arg(path));
    return writeFileAtomic(fi.dir().filePath(placeholderName(fi.fileName())), {});
}

Status SimulatedUbiquityContainer::coordinatedRead(const QString& path, const std::function<Status(const QString&)>& read)
{
    return read(path);
}

Status SimulatedUbiquityContainer::coordinatedWrite(const QString& path, const std::function<Status(const QString&)>& write)
{
    return write(path);
}

Result<QString> SimulatedUbiquityContainer::addVersion(const QString& path, const QByteArray& bytes,
                                                       const QString& deviceName, const QDateTime& modified, bool conflict)
{
    const QString dir = versionsDir(path);
    QDir().mkpath(dir);
    const QString id = newId();
    if (Status s = writeFileAtomic(QDir(dir).filePath(id + QStringLiteral(".bin")), bytes); !s)
        return s.error();
    Json meta{{"device", toStd(deviceName)}, {"modified", toStd(modified.toUTC().toString(Qt::ISODateWithMs))},
              {"conflict", conflict}};
    if (Status s = writeJsonFile(QDir(dir).filePath(id + QStringLiteral(".json")), meta); !s)
        return s.error();
    return id;
}

Result<std::vector<UbiquityVersion>> SimulatedUbiquityContainer::versions(const QString& path, bool conflictsOnly)
{
    std::vector<UbiquityVersion> out;
    const QDir dir(versionsDir(path));
    for (const QFileInfo& m : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files)) {
        Result<Json> j = readJsonObjectFile(m.filePath());
        if (!j)
            continue;
        UbiquityVersion v;
        v.id = m.completeBaseName();
        v.deviceName = jsonString(*j, "device");
        v.modified = QDateTime::fromString(jsonString(*j, "modified"), Qt::ISODateWithMs);
        v.conflict = jsonBool(*j, "conflict");
        v.size = QFileInfo(dir.filePath(v.id + QStringLiteral(".bin"))).size();
        if (v.conflict || !conflictsOnly)
            out.push_back(std::move(v));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.modified < b.modified; });
    return out;
}

Status SimulatedUbiquityContainer::copyVersion(const QString& path, const QString& versionId, const QString& destination)
{
    if (!isValidId(versionId))
        return makeError(QStringLiteral("No version %1 of %2").arg(versionId, path), errc::not_found);
    const QString bin = QDir(versionsDir(path)).filePath(versionId + QStringLiteral(".bin"));
    if (!QFileInfo::exists(bin))
        return makeError(QStringLiteral("No version %1 of %2").arg(versionId, path), errc::not_found);
    if (!QFile::copy(bin, destination))
        return io(QStringLiteral("Cannot copy a version of %1 to %2").arg(path, destination));
    return {};
}

Status SimulatedUbiquityContainer::resolveConflicts(const QString& path, const QStringList& versionIds)
{
    const QDir dir(versionsDir(path));
    for (const QString& id : versionIds) {
        if (!isValidId(id))
            continue;
        QFile::remove(dir.filePath(id + QStringLiteral(".bin")));
        QFile::remove(dir.filePath(id + QStringLiteral(".json")));
    }
    return {};
}

} // namespace muze::remote
