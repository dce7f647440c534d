#pragma once
// One entry of the vault registry, with exactly the fields the app has always had
// (snake_case JSON) plus what sync and encryption need. Unknown fields survive a rewrite.

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace muze::vault {

enum class Provider { Local, Dropbox, ICloud };
enum class SyncStatus { Synced, Syncing, Error, Offline };

QString providerName(Provider p);                       // "local" | "dropbox" | "icloud"
std::optional<Provider> providerFromName(const QString& name);
QString syncStatusName(SyncStatus s);                   // "synced" | "syncing" | "error" | "offline"
std::optional<SyncStatus> syncStatusFromName(const QString& name);

inline const QString kDefaultICloudContainer = QStringLiteral("iCloud.com.krondor.muze");

struct VaultRecord {
    QString id;
    QString name;
    Provider provider = Provider::Local;
    QString path;               // the vault folder on this device
    bool isDefault = false;
    QDateTime lastSynced;       // invalid = never
    SyncStatus syncStatus = SyncStatus::Synced;
    QString dropboxFolderPath;  // dropbox_config.folder_path
    QString icloudContainerId;  // icloud_config.container_id
    QString remotePath;         // a folder used as the remote (provider local, --remote)
    bool encrypted = false;     // key ring in <path>/.muze/keyring.json
    Json extra = Json::object(); // fields this version does not know

    Json toJson() const;
    static Result<VaultRecord> fromJson(const Json& json);
};

/// What a parsed vaults.json holds: its records (a "vaults" list of valid entries with distinct
/// ids), the current vault's id as written, and the top-level fields this version does not know.
/// Errors name `file` and are "corrupt_json".
struct Registry {
    QList<VaultRecord> vaults;
    QString current;
    Json extra = Json::object();
};
Result<Registry> registryFromJson(const Json& doc, const QString& file);

} // namespace muze::vault
