#include <muze/vault/vaultrecord.h>

#include <muze/util/clock.h>
#include <muze/util/ids.h>

namespace muze::vault {

QString providerName(Provider p)
{
    switch (p) {
    case Provider::Local: return QStringLiteral("local");
    case Provider::Dropbox: return QStringLiteral("dropbox");
    case Provider::ICloud: return QStringLiteral("icloud");
    }
    return {};
}

std::optional<Provider> providerFromName(const QString& name)
{
    for (Provider p : {Provider::Local, Provider::Dropbox, Provider::ICloud}) {
        if (providerName(p) == name)
            return p;
    }
    return std::nullopt;
}

QString syncStatusName(SyncStatus s)
{
    switch (s) {
    case SyncStatus::Synced: return QStringLiteral("synced");
    case SyncStatus::Syncing: return QStringLiteral("syncing");
    case SyncStatus::Error: return QStringLiteral("error");
    case SyncStatus::Offline: return QStringLiteral("offline");
    }
    return {};
}

std::optional<SyncStatus> syncStatusFromName(const QString& name)
{
    for (SyncStatus s : {SyncStatus::Synced, SyncStatus::Syncing, SyncStatus::Error, SyncStatus::Offline}) {
        if (syncStatusName(s) == name)
            return s;
    }
    return std::nullopt;
}

Json VaultRecord::toJson() const
{
    Json j = Json::object();
    j["id"] = toStd(id);
    j["name"] = toStd(name);
    j["provider"] = toStd(providerName(provider));
    j["path"] = toStd(path);
    j["is_default"] = isDefault;
    j["last_synced"] = lastSynced.isValid() ? Json(toStd(isoTimestamp(lastSynced))) : Json(nullptr);
    j["sync_status"] = toStd(syncStatusName(syncStatus));
    j["dropbox_config"] = dropboxFolderPath.isEmpty() ? Json(nullptr) : Json{{"folder_path", toStd(dropboxFolderPath)}};
    j["icloud_config"] = icloudContainerId.isEmpty() ? Json(nullptr) : Json{{"container_id", toStd(icloudContainerId)}};
    j["remote_path"] = remotePath.isEmpty() ? Json(nullptr) : Json(toStd(remotePath));
    j["encrypted"] = encrypted;
    if (extra.is_object()) {
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            if (!j.contains(it.key()))
                j[it.key()] = it.value();
        }
    }
    return j;
}

Result<VaultRecord> VaultRecord::fromJson(const Json& j)
{
    auto bad
        = [](const QString& why) { return makeError(QStringLiteral("vault entry: %1").arg(why), errc::corrupt_json); };
    if (!j.is_object())
        return bad(QStringLiteral("not an object"));
    VaultRecord r;
    r.id = jsonString(j, "id");
    if (!isValidId(r.id))
        return bad(QStringLiteral("missing or invalid \"id\""));
    r.name = jsonString(j, "name");
    if (r.name.isEmpty())
        return bad(QStringLiteral("vault %1 has no name").arg(r.id));
    const auto provider = providerFromName(jsonString(j, "provider"));
    if (!provider)
        return bad(QStringLiteral("vault %1 has an unknown provider \"%2\"").arg(r.id, jsonString(j, "provider")));
    r.provider = *provider;
    r.path = jsonString(j, "path");
    if (r.path.isEmpty())
        return bad(QStringLiteral("vault %1 has no path").arg(r.id));
    r.isDefault = jsonBool(j, "is_default");
    r.lastSynced = parseIsoTimestamp(jsonString(j, "last_synced"));
    r.syncStatus = syncStatusFromName(jsonString(j, "sync_status")).value_or(SyncStatus::Synced);
    if (j.contains("dropbox_config"))
        r.dropboxFolderPath = jsonString(j["dropbox_config"], "folder_path");
    if (j.contains("icloud_config"))
        r.icloudContainerId = jsonString(j["icloud_config"], "container_id");
    r.remotePath = jsonString(j, "remote_path");
    r.encrypted = jsonBool(j, "encrypted");
    r.extra = j;
    for (const char* known : {"id", "name", "provider", "path", "is_default", "last_synced", "sync_status",
                              "dropbox_config", "icloud_config", "remote_path", "encrypted"})
        r.extra.erase(known);
    return r;
}

Result<Registry> registryFromJson(const Json& doc, const QString& file)
{
    auto bad = [&file](const QString& why) {
        return makeError(QStringLiteral("%1: %2").arg(file, why), errc::corrupt_json);
    };
    if (!doc.is_object())
        return bad(QStringLiteral("not a JSON object"));
    const auto list = doc.find("vaults");
    if (list == doc.end() || !list->is_array())
        return bad(QStringLiteral("\"vaults\" must be a list"));
    Registry out;
    for (const Json& entry : *list) {
        auto record = VaultRecord::fromJson(entry);
        if (!record)
            return bad(record.error().message);
        for (const VaultRecord& seen : out.vaults) {
            if (seen.id == record->id)
                return bad(QStringLiteral("vault id %1 appears twice").arg(record->id));
        }
        out.vaults.append(std::move(*record));
    }
    out.current = jsonString(doc, "current");
    out.extra = doc;
    out.extra.erase("vaults");
    out.extra.erase("current");
    return out;
}

} // namespace muze::vault
