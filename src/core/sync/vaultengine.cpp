#include <muze/sync/vaultengine.h>

#include <muze/sync/remotefactory.h>

namespace muze::sync {

namespace {

KeysState keysStateOf(const Error& e)
{
    if (e.isAnyOf({errc::locked, errc::not_found}))
        return KeysState::Locked;
    if (e.isAnyOf({errc::tampered_keyring, errc::keyring_rollback}))
        return KeysState::Untrusted;
    return KeysState::Failed;
}

} // namespace

VaultCodec codecForVault(const vault::VaultRecord& vault)
{
    Result<std::unique_ptr<ContentCodec>> codec = makeCodecForVault(vault);
    if (!codec)
        return VaultCodec{nullptr, keysStateOf(codec.error()), codec.error()};
    return VaultCodec{std::move(*codec), KeysState::Usable, {}};
}

Result<VaultEngine> makeEngineForVault(
    const vault::VaultRecord& vault, const SyncSettings& settings, const QString& deviceName, const QString& deviceId)
{
    Result<std::unique_ptr<remote::RemoteStore>> store = createRemote(vault);
    if (!store)
        return store.error();
    VaultCodec codec = codecForVault(vault);
    SyncEngineConfig config{vault.path, deviceName, settings, 2000};
    VaultEngine out;
    out.engine = std::make_unique<SyncEngine>(config, std::move(*store), std::move(codec.codec));
    out.engine->setCodecProvider([vault] { return makeCodecForVault(vault); });
    out.engine->setDeviceId(deviceId);
    out.keys = codec.keys;
    out.keysError = codec.error;
    return out;
}

} // namespace muze::sync
