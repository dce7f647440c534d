#pragma once
// The sync engine of a registered vault, made one way for muze-cli and SyncWorker alike: its
// remote (remotefactory.h), its codec from the vault's keys (codec.h), its settings, this
// device's name and id, and a codec provider so a key ring that arrives during a run is used
// in that run (SyncEngine::setCodecProvider).
//
//   Result<VaultEngine> made = makeEngineForVault(vault, settings, device.name, device.id);
//   if (made && made->keys == KeysState::Untrusted) show(made->keysError.message);
//
// The key-ring policy. Whatever the keys, the engine is made; without usable keys it has no
// codec, syncs only the key ring and reports the vault as locked (SyncReport::locked).
//   Usable     the vault is plain, or its keys open here: everything syncs
//   Locked     "locked" (or "not_found"): no keys on this device yet; nothing to warn about
//   Untrusted  "tampered_keyring" / "keyring_rollback": the ring cannot be trusted, so files
//              wait until the user unlocks with the password (which repairs it); say why
//   Failed     any other error (a damaged ring, the keychain): files wait; a one-shot command
//              reports it as its error, a long-lived worker shows it and keeps the ring moving
// Call it on the thread that will run the engine (createRemote may block; the journal opens there).

#include <muze/sync/codec.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>
#include <muze/util/result.h>
#include <muze/vault/vaultrecord.h>

#include <QString>

#include <memory>

namespace muze::sync {

enum class KeysState { Usable, Locked, Untrusted, Failed };

/// The vault's codec under the policy above: makeCodecForVault(), its error classified.
struct VaultCodec {
    std::unique_ptr<ContentCodec> codec; // null unless keys == Usable
    KeysState keys = KeysState::Usable;
    Error error; // why the keys are not usable
};
VaultCodec codecForVault(const vault::VaultRecord& vault);

struct VaultEngine {
    std::unique_ptr<SyncEngine> engine;
    KeysState keys = KeysState::Usable;
    Error keysError; // why the keys are not usable (message for the user, code as above)
};

/// Errors: those of createRemote() ("no_remote", "config", "unavailable", …); key problems
/// are not errors here (see the policy above).
Result<VaultEngine> makeEngineForVault(
    const vault::VaultRecord& vault, const SyncSettings& settings, const QString& deviceName, const QString& deviceId);

} // namespace muze::sync
