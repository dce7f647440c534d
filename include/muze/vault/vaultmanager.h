#pragma once
// The vault registry of this device: the list of vaults, the default and the current one,
// and this device's id and name. Persisted in <configDir>/vaults.json and device.json.
// Lives on the GUI (or CLI) thread; signals fire after each successful change.

#include <muze/vault/vaultrecord.h>

#include <QList>
#include <QHash>
#include <QObject>

namespace muze::vault {

struct DeviceInfo {
    QString id;
    QString name;
};

struct VaultSpec {
    QString name;
    Provider provider = Provider::Local;
    QString path;
    QString remotePath;
    QString dropboxFolderPath;
    QString icloudContainerId;
    bool makeDefault = false;
};

class VaultManager : public QObject {
    Q_OBJECT
public:
    explicit VaultManager(QString configDir = {}, QObject* parent = nullptr);
    /// Writes sync state held only in memory (see setSyncState).
    ~VaultManager() override;

    /// The platform config dir (QStandardPaths) unless MUZE_CONFIG_DIR is set.
    static QString defaultConfigDir();
    QString configDir() const { return m_configDir; }

    /// Reads the registry and the device identity (creating the identity on first use).
    /// A corrupt registry is an error that names the file; nothing is overwritten.
    Status load();

    const QList<VaultRecord>& vaults() const { return m_vaults; }
    /// By id, or by a name matching exactly one vault (case-insensitive).
    Result<VaultRecord> resolve(const QString& nameOrId) const;
    std::optional<VaultRecord> byId(const QString& id) const;

    /// Creates the vault folder (and vault.json) and registers it. The first vault becomes
    /// the default and the current one.
    Result<VaultRecord> create(const VaultSpec& spec);
    Status rename(const QString& id, const QString& newName);
    /// Unregisters a vault; its folder is deleted only when `deleteFiles` is set.
    Status remove(const QString& id, bool deleteFiles);
    Status setDefault(const QString& id);
    Status setCurrent(const QString& id);
    /// Updates any stored field of a record (sync status, encryption flag, ...).
    Status update(const VaultRecord& record);
    /// Sync status and last-synced time change with every sync run: they are kept in memory
    /// (vaultsChanged is emitted) and written to the registry only when last_synced moved by
    /// kSyncStatePersistSeconds or more since it was last written, or with any other change,
    /// or when the manager goes away — not an fsync'd write on the GUI thread per run.
    Status setSyncState(const QString& id, SyncStatus status, const QDateTime& lastSynced = {});
    static constexpr int kSyncStatePersistSeconds = 300;

    QString currentId() const { return m_currentId; }
    std::optional<VaultRecord> current() const;
    const DeviceInfo& device() const { return m_device; }
    Status setDeviceName(const QString& name);

Q_SIGNALS:
    void vaultsChanged();
    void currentVaultChanged(const QString& id);

private:
    Status save() const;
    QString registryFile() const;
    int indexOf(const QString& id) const;

    QString m_configDir;
    QList<VaultRecord> m_vaults;
    QString m_currentId;
    DeviceInfo m_device;
    Json m_extra = Json::object();
    mutable bool m_syncStateDirty = false;
    mutable QHash<QString, QDateTime> m_persistedSynced; // vault id → last_synced as last written
};

} // namespace muze::vault
