#include <muze/vault/vaultmanager.h>

#include <muze/model/vaultstore.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QSysInfo>

namespace muze::vault {

VaultManager::VaultManager(QString configDir, QObject* parent)
    : QObject(parent), m_configDir(configDir.isEmpty() ? defaultConfigDir() : QDir::cleanPath(configDir))
{
}

QString VaultManager::defaultConfigDir()
{
    const QString env = qEnvironmentVariable("MUZE_CONFIG_DIR");
    if (!env.isEmpty())
        return QDir::cleanPath(env);
    QString dir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    return dir + QStringLiteral("/muze");
}

QString VaultManager::registryFile() const { return m_configDir + QStringLiteral("/vaults.json"); }

Status VaultManager::load()
{
    m_vaults.clear();
    m_currentId.clear();
    m_extra = Json::object();

    const QString deviceFile = m_configDir + QStringLiteral("/device.json");
    if (QFileInfo::exists(deviceFile)) {
        auto device = readJsonObjectFile(deviceFile);
        if (!device)
            return device.error();
        m_device = {jsonString(*device, "id"), jsonString(*device, "name")};
        if (!isValidId(m_device.id))
            return makeError(QStringLiteral("%1: invalid device id").arg(deviceFile), errc::corrupt_json);
    } else {
        m_device = {newId(), QSysInfo::machineHostName()};
        if (m_device.name.isEmpty())
            m_device.name = QStringLiteral("This device");
        if (Status s = writeJsonFile(deviceFile, Json{{"id", toStd(m_device.id)}, {"name", toStd(m_device.name)}}); !s)
            return s;
    }

    if (!QFileInfo::exists(registryFile()))
        return {};
    auto doc = readJsonObjectFile(registryFile());
    if (!doc)
        return doc.error();
    auto registry = registryFromJson(*doc, registryFile());
    if (!registry)
        return registry.error();
    m_vaults = registry->vaults;
    for (const VaultRecord& r : m_vaults)
        m_persistedSynced.insert(r.id, r.lastSynced);
    m_currentId = registry->current;
    if (indexOf(m_currentId) < 0)
        m_currentId = m_vaults.isEmpty() ? QString() : m_vaults.front().id;
    m_extra = registry->extra;
    return {};
}

Status VaultManager::save() const
{

    Json doc = Json::object();
    doc["format"] = 1;
    Json list = Json::array();
    for (const VaultRecord& r : m_vaults)
        list.push_back(r.toJson());
    doc["vaults"] = list;
    doc["current"] = m_currentId.isEmpty() ? Json(nullptr) : Json(toStd(m_currentId));
    for (auto it = m_extra.begin(); it != m_extra.end(); ++it) {
        if (!doc.contains(it.key()))
            doc[it.key()] = it.value();
    }
    if (Status s = writeJsonFile(registryFile(), doc); !s)
        return s;
    // Every write carries the in-memory sync state too: it is now on disk.
    m_syncStateDirty = false;
    for (const VaultRecord& r : m_vaults)
        m_persistedSynced.insert(r.id, r.lastSynced);
    return {};
}

int VaultManager::indexOf(const QString& id) const
{
    for (int i = 0; i < m_vaults.size(); ++i) {
        if (m_vaults[i].id == id)
            return i;
    }
    return -1;
}

std::optional<VaultRecord> VaultManager::byId(const QString& id) const
{
    const int i = indexOf(id);
    return i >= 0 ? std::optional(m_vaults[i]) : std::nullopt;
}

std::optional<VaultRecord> VaultManager::current() const { return byId(m_currentId); }

Result<VaultRecord> VaultManager::resolve(const QString& nameOrId) const
{
    if (auto r = byId(nameOrId))
        return *r;
    QList<VaultRecord> matches;
    for (const VaultRecord& r : m_vaults) {
        if (r.name.compare(nameOrId, Qt::CaseInsensitive) == 0)
            matches.append(r);
    }
    if (matches.size() == 1)
        return matches.front();
    if (matches.isEmpty())
        return makeError(QStringLiteral("no vault named or with id \"%1\"").arg(nameOrId), errc::not_found);
    return makeError(QStringLiteral("several vaults are named \"%1\"; use an id").arg(nameOrId), errc::ambiguous);
}

Result<VaultRecord> VaultManager::create(const VaultSpec& spec)
{
    const QString name = spec.name.trimmed();
    if (name.isEmpty() || name.size() > 200)
        return makeError(QStringLiteral("a vault needs a name (1 to 200 characters)"), errc::bad_value);
    for (const VaultRecord& r : m_vaults) {
        if (r.name.compare(name, Qt::CaseInsensitive) == 0)
            return makeError(QStringLiteral("a vault named \"%1\" already exists").arg(r.name), errc::exists);
    }
    if (spec.path.isEmpty())
        return makeError(QStringLiteral("a vault needs a folder (--path)"), errc::bad_value);
    const QString path = QDir::cleanPath(QFileInfo(spec.path).absoluteFilePath());
    for (const VaultRecord& r : m_vaults) {
        if (QDir::cleanPath(r.path) == path)
            return makeError(
                QStringLiteral("%1 is already the folder of vault \"%2\"").arg(path, r.name), errc::exists);
    }
    if (spec.provider == Provider::Dropbox && !spec.dropboxFolderPath.startsWith(QLatin1Char('/')))
        return makeError(QStringLiteral("a Dropbox vault needs --dropbox-folder /Apps/Muze/NAME"), errc::bad_value);

    VaultRecord r;
    r.id = newId();
    // An existing vault folder (a second device, a restored backup) keeps its identity.
    model::VaultStore store(path);
    if (auto existing = readJsonObjectFile(store.absolute(model::kVaultFile)); existing && isValidId(jsonString(*existing, "id")))
        r.id = jsonString(*existing, "id");
    if (byId(r.id))
        return makeError(QStringLiteral("the vault in %1 is already registered").arg(path), errc::exists);
    r.name = name;
    r.provider = spec.provider;
    r.path = path;
    r.remotePath = spec.remotePath.isEmpty() ? QString() : QDir::cleanPath(QFileInfo(spec.remotePath).absoluteFilePath());
    r.dropboxFolderPath = spec.dropboxFolderPath;
    r.icloudContainerId = spec.provider == Provider::ICloud
                              ? (spec.icloudContainerId.isEmpty() ? kDefaultICloudContainer : spec.icloudContainerId)
                              : spec.icloudContainerId;
    r.syncStatus = spec.provider == Provider::Local && r.remotePath.isEmpty() ? SyncStatus::Synced : SyncStatus::Offline;

    if (!QDir().mkpath(path))
        return makeError(QStringLiteral("cannot create folder %1").arg(path), errc::io);
    if (Status s = store.initialize(r.id, r.name); !s)
        return s.error();

    const bool first = m_vaults.isEmpty();
    r.isDefault = first || spec.makeDefault;
    if (r.isDefault) {
        for (VaultRecord& other : m_vaults)
            other.isDefault = false;
    }
    m_vaults.append(r);
    const QString previousCurrent = m_currentId;
    if (first)
        m_currentId = r.id;
    if (Status s = save(); !s) {
        m_vaults.removeLast();
        m_currentId = previousCurrent;
        return s.error();
    }
    Q_EMIT vaultsChanged();
    if (first)
        Q_EMIT currentVaultChanged(m_currentId);
    return r;
}

Status VaultManager::rename(const QString& id, const QString& newName)
{
    const int i = indexOf(id);
    if (i < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(id), errc::not_found);
    const QString name = newName.trimmed();
    if (name.isEmpty() || name.size() > 200)
        return makeError(QStringLiteral("a vault needs a name (1 to 200 characters)"), errc::bad_value);
    for (const VaultRecord& r : m_vaults) {
        if (r.id != id && r.name.compare(name, Qt::CaseInsensitive) == 0)
            return makeError(QStringLiteral("a vault named \"%1\" already exists").arg(r.name), errc::exists);
    }
    const QString old = m_vaults[i].name;
    m_vaults[i].name = name;
    if (Status s = save(); !s) {
        m_vaults[i].name = old;
        return s;
    }
    Q_EMIT vaultsChanged();
    return {};
}

Status VaultManager::remove(const QString& id, bool deleteFiles)
{
    const int i = indexOf(id);
    if (i < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(id), errc::not_found);
    const VaultRecord removed = m_vaults.takeAt(i);
    if (removed.isDefault && !m_vaults.isEmpty())
        m_vaults.front().isDefault = true;
    const bool currentChanged = m_currentId == id;
    if (currentChanged) {
        m_currentId.clear();
        for (const VaultRecord& r : m_vaults) {
            if (r.isDefault)
                m_currentId = r.id;
        }
    }
    if (Status s = save(); !s) {
        m_vaults.insert(i, removed);
        return s;
    }
    if (deleteFiles && !QDir(removed.path).removeRecursively())
        return makeError(
            QStringLiteral("vault removed, but its folder %1 could not be deleted").arg(removed.path), errc::io);
    Q_EMIT vaultsChanged();
    if (currentChanged)
        Q_EMIT currentVaultChanged(m_currentId);
    return {};
}

Status VaultManager::setDefault(const QString& id)
{
    if (indexOf(id) < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(id), errc::not_found);
    for (VaultRecord& r : m_vaults)
        r.isDefault = r.id == id;
    if (Status s = save(); !s)
        return s;
    Q_EMIT vaultsChanged();
    return {};
}

Status VaultManager::setCurrent(const QString& id)
{
    if (indexOf(id) < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(id), errc::not_found);
    if (m_currentId == id)
        return {};
    const QString old = m_currentId;
    m_currentId = id;
    if (Status s = save(); !s) {
        m_currentId = old;
        return s;
    }
    Q_EMIT currentVaultChanged(id);
    return {};
}

Status VaultManager::update(const VaultRecord& record)
{
    const int i = indexOf(record.id);
    if (i < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(record.id), errc::not_found);
    const VaultRecord old = m_vaults[i];
    m_vaults[i] = record;
    if (Status s = save(); !s) {
        m_vaults[i] = old;
        return s;
    }
    Q_EMIT vaultsChanged();
    return {};
}

Status VaultManager::setSyncState(const QString& id, SyncStatus status, const QDateTime& lastSynced)
{
    const int i = indexOf(id);
    if (i < 0)
        return makeError(QStringLiteral("no vault with id %1").arg(id), errc::not_found);
    VaultRecord& r = m_vaults[i];
    r.syncStatus = status;
    if (lastSynced.isValid())
        r.lastSynced = lastSynced;
    const QDateTime written = m_persistedSynced.value(id);
    const bool due = r.lastSynced.isValid()
        && (!written.isValid() || written.secsTo(r.lastSynced) >= kSyncStatePersistSeconds);
    m_syncStateDirty = true;
    Status s;
    if (due)
        s = save();
    Q_EMIT vaultsChanged();
    return s;
}

VaultManager::~VaultManager()
{
    if (m_syncStateDirty && !m_configDir.isEmpty())
        (void)save(); // nothing to report to at this point; the next run writes it again
}

Status VaultManager::setDeviceName(const QString& name)
{
    if (name.trimmed().isEmpty())
        return makeError(QStringLiteral("a device needs a name"), errc::bad_value);
    m_device.name = name.trimmed();
    return writeJsonFile(m_configDir + QStringLiteral("/device.json"),
                         Json{{"id", toStd(m_device.id)}, {"name", toStd(m_device.name)}});
}

} // namespace muze::vault
