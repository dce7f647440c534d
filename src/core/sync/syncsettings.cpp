#include <muze/sync/syncsettings.h>

#include <muze/model/layout.h>

#include <QDir>
#include <QFile>

namespace muze::sync {

namespace {
QString fileFor(const QString& root)
{
    return QDir(root).filePath(model::kLocalStateDir + QStringLiteral("/sync-settings.json"));
}
} // namespace

Json SyncSettings::toJson() const
{
    return Json{{"interval_minutes", intervalMinutes},
                {"data_types", dataTypes == DataTypes::All ? "all" : "json"},
                {"audio_download", audioDownload == AudioDownload::All ? "all" : "on_demand"},
                {"bandwidth_kbps", bandwidthKiBps},
                {"trash_days", trashDays},
                {"paused", paused}};
}

SyncSettings SyncSettings::fromJson(const Json& json)
{
    SyncSettings s;
    const int interval = int(jsonInteger(json, "interval_minutes", 15, -1, 1 << 20));
    if (interval == 0 || interval == 5 || interval == 15 || interval == 60)
        s.intervalMinutes = interval;
    s.dataTypes = jsonString(json, "data_types") == QLatin1String("json") ? DataTypes::JsonOnly : DataTypes::All;
    s.audioDownload = jsonString(json, "audio_download") == QLatin1String("on_demand") ? AudioDownload::OnDemand
                                                                                        : AudioDownload::All;
    s.bandwidthKiBps = jsonInteger(json, "bandwidth_kbps", 0, 0, qint64(1) << 40);
    s.trashDays = int(jsonInteger(json, "trash_days", 7, 0, 365));
    s.paused = json.is_object() && json.contains("paused") && json["paused"].is_boolean() && json["paused"].get<bool>();
    return s;
}

Result<SyncSettings> SyncSettings::load(const QString& vaultRoot)
{
    const QString path = fileFor(vaultRoot);
    if (!QFile::exists(path))
        return SyncSettings{};
    Result<Json> doc = readJsonObjectFile(path);
    if (!doc)
        return doc.error();
    return fromJson(*doc);
}

Status SyncSettings::save(const QString& vaultRoot) const { return writeJsonFile(fileFor(vaultRoot), toJson()); }

} // namespace muze::sync
