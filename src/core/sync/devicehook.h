#pragma once
// The sync engine's hook into the vault's device list (vault/devicelist.h): at the start of a
// run, this device records that it uses the vault (`.muze/devices/<id>.json`), so the file
// syncs in the same run.

#include <muze/sync/syncengine.h>

namespace muze::sync {

/// Does nothing when `deviceId` is empty (engines made by tests and tools). A failure is a note
/// in the report, never a failed run.
void recordThisDevice(const SyncEngineConfig& config, const QString& deviceId, SyncReport& report);

} // namespace muze::sync
