#pragma once
// Picks the RemoteStore for a vault from its registry record. It lives in sync, above remote,
// because it reads the vault record: the remote module knows no vaults (docs/ARCHITECTURE.md).
//   local + remotePath  → FolderRemote on that folder;
//   dropbox             → remote::createDropboxRemote() on the vault's Dropbox folder;
//   icloud              → "iCloud unavailable on this platform", unless the environment variable
//                         MUZE_ICLOUD_SIMULATED_ROOT names a folder standing in for the ubiquity
//                         container: then a FolderRemote (kind "icloud") on
//                         $MUZE_ICLOUD_SIMULATED_ROOT/<container id>/Documents/<vault name>.
// Local-only caches (the folder remote's listing snapshot) go to <vault>/.muze-state/remote/.
// Call it on the thread that will use the store (the sync worker's).
// Errors: "no_remote" (a local vault without --remote), "config" (a Dropbox vault without a
// folder), "unavailable" (iCloud not on this platform).

#include <muze/remote/remotestore.h>
#include <muze/util/result.h>
#include <muze/vault/vaultrecord.h>

#include <memory>

namespace muze::sync {

Result<std::unique_ptr<remote::RemoteStore>> createRemote(const vault::VaultRecord& vault);

/// The folder a simulated iCloud container maps `vault` to ("" when the env var is unset).
QString simulatedICloudFolder(const vault::VaultRecord& vault);

} // namespace muze::sync
