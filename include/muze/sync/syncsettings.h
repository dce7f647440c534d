#pragma once
// Per-device, per-vault sync settings, kept in the vault's local-only state
// (<vault>/.muze-state/sync-settings.json) so each device chooses for itself.
//
//   interval_minutes  0 (manual), 5, 15 (default) or 60
//   data_types        "all" (JSON + audio, default) | "json" (audio neither sent nor fetched)
//   audio_download    "all" (default: every take is fetched, by muze-cli and the app alike)
//                     | "on_demand" (takes stay cloud-only until asked for)
//   bandwidth_kbps    upload/download limit in KiB/s, 0 = unlimited (default)
//   trash_days        how long locally deleted files stay in .muze-state/trash (default 7)
//   paused            true: the user paused sync of this vault on this device (default false)

#include <muze/util/json.h>
#include <muze/util/result.h>

namespace muze::sync {

enum class DataTypes { All, JsonOnly };
enum class AudioDownload { All, OnDemand };

struct SyncSettings {
    int intervalMinutes = 15;
    DataTypes dataTypes = DataTypes::All;
    AudioDownload audioDownload = AudioDownload::All;
    qint64 bandwidthKiBps = 0;
    int trashDays = 7;
    bool paused = false;

    Json toJson() const;
    static SyncSettings fromJson(const Json& json); // unknown or bad values fall back to defaults
    /// Missing file: defaults.
    static Result<SyncSettings> load(const QString& vaultRoot);
    Status save(const QString& vaultRoot) const;
    bool operator==(const SyncSettings&) const = default;
};

} // namespace muze::sync
