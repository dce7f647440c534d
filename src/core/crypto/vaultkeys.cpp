#include <muze/crypto/vaultkeys.h>

#include <muze/util/logging.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace muze::crypto {

namespace {

Error lockedError(const QString& why = {})
{
    QString message = QStringLiteral("vault is locked: run muze-cli keys unlock");
    if (!why.isEmpty())
        message += QStringLiteral(" (%1)").arg(why);
    return makeError(message, QStringLiteral("locked"));
}

Result<KeyRing> loadRing(const QString& vaultRoot)
{
    if (!isVaultEncrypted(vaultRoot))
        return makeError(QStringLiteral("The vault at %1 is not encrypted (no %2)").arg(vaultRoot, kKeyRingFile),
                         QStringLiteral("not_encrypted"));
    return KeyRing::load(keyRingPath(vaultRoot));
}

Result<DeviceKeys> deviceKeysOf(const KeyRing& ring)
{
    auto keys = ring.unlockedKeys();
    if (!keys)
        return keys.error();
    if (!keys->contains(ring.activeKeyId()))
        return makeError(QStringLiteral("The active key %1 does not open with this password: the password was changed "
                                        "while another device added that key. Unlock on that device first.")
                             .arg(ring.activeKeyId()),
                         QStringLiteral("corrupt_keyring"));
    return DeviceKeys{ring.salt(), ring.kek().clone(), std::move(keys.value())};
}

// Stale keys of an unlocked ring (docs/FORMAT.md §6) that this device kept are re-wrapped under
// the ring's KEK. True when the ring changed and must be saved.
bool adoptKeptKeys(KeyRing& ring, const QString& vaultId, const MasterKeyStore& store)
{
    if (ring.staleKeyIds().isEmpty())
        return false;
    auto kept = store.load(vaultId);
    if (!kept)
        return false;
    bool adopted = false;
    for (quint32 id : ring.staleKeyIds()) {
        if (const SecretBytes* key = kept->keys.masterKey(id))
            adopted = ring.adoptKey(id, *key).ok() || adopted;
    }
    return adopted;
}

Status storeRing(const KeyRing& ring, const QString& vaultId, const MasterKeyStore& store)
{
    auto device = deviceKeysOf(ring);
    if (!device)
        return device.error();
    return store.store(vaultId, *device);
}

} // namespace

QString keyRingPath(const QString& vaultRoot) { return QDir(vaultRoot).filePath(kKeyRingFile); }

bool isVaultEncrypted(const QString& vaultRoot) { return QFileInfo::exists(keyRingPath(vaultRoot)); }

Status initVaultEncryption(const QString& vaultRoot, const QString& vaultId, const QByteArray& password,
                           const KdfParams& params, const MasterKeyStore& store)
{
    if (isVaultEncrypted(vaultRoot))
        return makeError(QStringLiteral("The vault is already encrypted (%1 exists)").arg(keyRingPath(vaultRoot)),
                         QStringLiteral("already_encrypted"));
    auto ring = KeyRing::create(password, params);
    if (!ring)
        return ring.error();
    const QString path = keyRingPath(vaultRoot);
    if (Status s = ring->save(path); !s)
        return s;
    if (Status s = storeRing(*ring, vaultId, store); !s) {
        QFile::remove(path); // nobody has seen this key ring yet: leave the vault as it was
        return s;
    }
    qCDebug(lcCrypto) << "vault" << vaultId << "encrypted with key ring" << ring->id();
    return {};
}

Status unlockVault(const QString& vaultRoot, const QString& vaultId, const QByteArray& password, const MasterKeyStore& store)
{
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    if (Status s = ring->unlock(password); !s)
        return s;
    if (adoptKeptKeys(*ring, vaultId, store)) {
        if (Status s = ring->save(keyRingPath(vaultRoot)); !s)
            return s;
    }
    return storeRing(*ring, vaultId, store);
}

Status lockVault(const QString& vaultId, const MasterKeyStore& store) { return store.forget(vaultId); }

Status changeVaultPassword(const QString& vaultRoot, const QString& vaultId, const QByteArray& oldPassword,
                           const QByteArray& newPassword, const MasterKeyStore& store)
{
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    if (Status s = ring->changePassword(oldPassword, newPassword); !s)
        return s;
    adoptKeptKeys(*ring, vaultId, store);
    if (Status s = ring->save(keyRingPath(vaultRoot)); !s)
        return s;
    // Had this failed, the keys kept on this device would still open every file.
    return storeRing(*ring, vaultId, store);
}

Result<quint32> rotateVaultKey(const QString& vaultRoot, const QString& vaultId, const MasterKeyStore& store)
{
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    auto device = store.load(vaultId);
    if (!device && device.error().code == QLatin1String("not_found"))
        return lockedError();
    if (!device)
        return device.error();
    if (device->kdfSalt != ring->salt() || !ring->unlockWithKek(device->kek))
        return lockedError(QStringLiteral("the password was changed on another device"));
    adoptKeptKeys(*ring, vaultId, store);
    auto id = ring->rotate();
    if (!id)
        return id.error();
    if (Status s = ring->save(keyRingPath(vaultRoot)); !s)
        return s.error();
    if (Status s = storeRing(*ring, vaultId, store); !s)
        return s.error();
    return id;
}

Result<UnlockedKeys> loadVaultKeys(const QString& vaultRoot, const QString& vaultId, const MasterKeyStore& store)
{
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    auto device = store.load(vaultId);
    if (!device && device.error().code == QLatin1String("not_found"))
        return lockedError();
    if (!device)
        return device.error();

    // What this device kept, plus keys other devices added since, when the KEK it kept still
    // opens the ring (same password generation). After a password change elsewhere the kept
    // master keys still open every file they cover.
    const QList<quint32> keptIds = device->keys.keyIds();
    const quint32 keptActive = device->keys.activeKeyId();
    UnlockedKeys keys = std::move(device->keys);
    if (device->kdfSalt == ring->salt() && ring->unlockWithKek(device->kek)) {
        if (auto fromRing = ring->unlockedKeys()) {
            for (quint32 id : fromRing->keyIds())
                keys.add(id, *fromRing->masterKey(id));
        }
    }
    if (!keys.contains(ring->activeKeyId()))
        return lockedError(QStringLiteral("the key ring changed on another device"));
    keys.setActiveKeyId(ring->activeKeyId());
    if (keys.keyIds() != keptIds || keys.activeKeyId() != keptActive) {
        DeviceKeys updated{device->kdfSalt, device->kek.clone(), keys.clone()};
        if (Status s = store.store(vaultId, updated); !s) // cache them; not fatal
            qCWarning(lcCrypto) << "cannot update the keychain entry of vault" << vaultId << s.errorString();
    }
    return keys;
}

Json VaultKeyStatus::toJson() const
{
    Json j;
    j["vault"] = toStd(vaultId);
    j["encrypted"] = encrypted;
    if (!encrypted)
        return j;
    j["unlocked"] = unlocked;
    if (!unlocked)
        j["locked_reason"] = toStd(lockedReason);
    j["key_ring"] = toStd(keyRingId);
    j["active_key_id"] = activeKeyId;
    Json ids = Json::array();
    for (quint32 id : keyIds)
        ids.push_back(id);
    j["key_ids"] = ids;
    Json device = Json::array();
    for (quint32 id : deviceKeyIds)
        device.push_back(id);
    j["device_key_ids"] = device;
    j["kdf"] = {{"algorithm", "argon2id13"}, {"opslimit", kdf.opsLimit}, {"memlimit", kdf.memLimit}};
    j["modified_at"] = toStd(modifiedAt);
    return j;
}

Result<VaultKeyStatus> vaultKeyStatus(const QString& vaultRoot, const QString& vaultId, const MasterKeyStore& store)
{
    VaultKeyStatus st;
    st.vaultId = vaultId;
    st.encrypted = isVaultEncrypted(vaultRoot);
    if (!st.encrypted)
        return st;
    auto ring = KeyRing::load(keyRingPath(vaultRoot));
    if (!ring)
        return ring.error();
    st.keyRingId = ring->id();
    st.activeKeyId = ring->activeKeyId();
    st.keyIds = ring->keyIds();
    st.kdf = ring->kdfParams();
    st.modifiedAt = ring->modifiedAt();
    auto keys = loadVaultKeys(vaultRoot, vaultId, store);
    if (keys) {
        st.unlocked = true;
        st.deviceKeyIds = keys->keyIds();
    } else if (keys.error().code == QLatin1String("locked")) {
        st.lockedReason = keys.error().message;
    } else {
        return keys.error();
    }
    return st;
}

} // namespace muze::crypto
