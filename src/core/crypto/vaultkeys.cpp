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
    return makeError(message, errc::locked);
}

Error tamperedError()
{
    return makeError(
        QStringLiteral("The key ring was modified by someone without the vault password (it does not "
                       "authenticate with the key this device keeps); it was not used. Run muze-cli keys "
                       "unlock on a device where this vault was unlocked before: it repairs the key ring."),
        errc::tampered_keyring);
}

Error repairRefusedError(const QString& why)
{
    return makeError(
        QStringLiteral("The key ring was modified by someone without the vault password (its MAC does not "
                       "match) and this device cannot repair it: %1. Nothing was changed. Run muze-cli keys "
                       "unlock on a device where this vault was unlocked before (one that has seen its "
                       "latest key); this device can unlock once that is done.")
            .arg(why),
        errc::tampered_keyring);
}

Error rollbackError(quint32 missingId)
{
    return makeError(QStringLiteral("The key ring in this vault is older than one this device has already seen (it "
                                    "lacks key %1): it was replaced by an older copy. Nothing was encrypted with an "
                                    "older key. Run muze-cli keys unlock on this device to restore it.")
                         .arg(missingId),
        errc::keyring_rollback);
}

// The first key this device holds that the ring has no entry for, or 0. Keys are never removed
// from a key ring (docs/FORMAT.md §1), so an authenticated ring lacking one is an older copy.
quint32 missingKeptKey(const KeyRing& ring, const UnlockedKeys& kept)
{
    const QList<quint32> inRing = ring.keyIds();
    for (quint32 id : kept.keyIds()) {
        if (!inRing.contains(id))
            return id;
    }
    return 0;
}

Result<KeyRing> loadRing(const QString& vaultRoot)
{
    if (!isVaultEncrypted(vaultRoot))
        return makeError(QStringLiteral("The vault at %1 is not encrypted (no %2)").arg(vaultRoot, kKeyRingFile),
            errc::not_encrypted);
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
            errc::corrupt_keyring);
    return DeviceKeys{ring.salt(), ring.kek().clone(), std::move(keys.value())};
}

// Stale keys of an unlocked ring (docs/FORMAT.md §6) that this device kept are re-wrapped under
// the ring's KEK. True when the ring changed and must be saved.
bool adoptStaleKeys(KeyRing& ring, const UnlockedKeys& kept)
{
    bool adopted = false;
    for (quint32 id : ring.staleKeyIds()) {
        if (const SecretBytes* key = kept.masterKey(id))
            adopted = ring.adoptKey(id, *key).ok() || adopted;
    }
    return adopted;
}

// For a ring the user just authenticated with the password (unlock, change password): puts back
// what this device knows and the ring forgot (docs/FORMAT.md §5, "rollback"). Stale keys are
// re-wrapped, keys the ring lacks are appended, and when the ring's active key is one this
// device already held but not as its active key, the ring is older than what this device saw
// (an active key only ever moves to a new key), so the device's active key is restored.
// True when the ring changed and must be saved.
bool restoreKeptKeys(KeyRing& ring, const UnlockedKeys& kept)
{
    bool changed = adoptStaleKeys(ring, kept);
    for (quint32 id : kept.keyIds()) {
        if (!ring.keyIds().contains(id)) {
            qCWarning(lcCrypto) << "key ring" << ring.id() << "lacks key" << id << "that this device holds: restoring it";
            changed = ring.adoptKey(id, *kept.masterKey(id)).ok() || changed;
        }
    }
    const quint32 keptActive = kept.activeKeyId();
    if (ring.activeKeyId() != keptActive && kept.contains(ring.activeKeyId())) {
        qCWarning(lcCrypto) << "key ring" << ring.id() << "names older key" << ring.activeKeyId()
                            << "as active: restoring" << keptActive;
        changed = ring.setActiveKey(keptActive).ok() || changed;
    }
    return changed;
}

// The kept keys, or an empty set when this device has none (any keychain failure shows again
// when the keys are stored).
UnlockedKeys keptKeys(const QString& vaultId, const MasterKeyStore& store)
{
    auto kept = store.load(vaultId);
    return kept ? std::move(kept->keys) : UnlockedKeys();
}

// What loadVaultKeys() and vaultKeyStatus() share.
struct ResolvedKeys {
    UnlockedKeys keys;
    bool passwordChangedElsewhere = false; // the ring could not be authenticated here
};

Result<ResolvedKeys> resolveVaultKeys(const QString& vaultRoot, const QString& vaultId, const MasterKeyStore& store)
{
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    auto device = store.load(vaultId);
    if (!device && device.error().is(errc::not_found))
        return lockedError();
    if (!device)
        return device.error();

    const QList<quint32> keptIds = device->keys.keyIds();
    const quint32 keptActive = device->keys.activeKeyId();
    ResolvedKeys out;
    UnlockedKeys& keys = out.keys;
    keys = std::move(device->keys);
    if (device->kdfSalt == ring->salt()) {
        // Same password generation (a salt is new at every password change), so the kept KEK
        // is the ring's KEK: the ring must authenticate with it (docs/FORMAT.md §5, rule 1).
        if (Status s = ring->unlockWithKek(device->kek); !s) {
            if (s.error().isAnyOf({errc::wrong_key, errc::tampered_keyring}))
                return tamperedError();
            return s.error();
        }
        // Rule 2: keys are never removed, so a ring lacking one this device holds is an older
        // copy; taking its active key would roll new files back to a key the user left.
        if (const quint32 missing = missingKeptKey(*ring, keys))
            return rollbackError(missing);
        // Keys other devices added since (rotation), and the active key they chose.
        if (auto fromRing = ring->unlockedKeys()) {
            for (quint32 id : fromRing->keyIds())
                keys.add(id, *fromRing->masterKey(id));
        }
        if (!keys.contains(ring->activeKeyId()))
            return lockedError(QStringLiteral("the key ring changed on another device"));
        keys.setActiveKeyId(ring->activeKeyId());
    } else {
        // Rule 3: the password was changed on another device (or the salt in the file was
        // edited): the ring cannot be authenticated here, so nothing in it is taken on trust.
        // The kept keys still open every file they cover and the kept active key stays active.
        // A ring naming an active key this device never held is either newer (rotated after
        // the password change) or forged; either way stop encrypting until the user unlocks.
        out.passwordChangedElsewhere = true;
        if (!keys.contains(ring->activeKeyId()))
            return lockedError(QStringLiteral("the password was changed on another device"));
        keys.setActiveKeyId(keptActive);
    }
    if (keys.keyIds() != keptIds || keys.activeKeyId() != keptActive) {
        DeviceKeys updated{device->kdfSalt, device->kek.clone(), keys.clone()};
        if (Status s = store.store(vaultId, updated); !s) // cache them; not fatal
            qCWarning(lcCrypto) << "cannot update the keychain entry of vault" << vaultId << s.errorString();
    }
    return out;
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
            errc::already_encrypted);
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

Status unlockVault(const QString& vaultRoot, const QString& vaultId, const QByteArray& password, const MasterKeyStore& store,
                   bool* repaired)
{
    if (repaired)
        *repaired = false;
    auto ring = loadRing(vaultRoot);
    if (!ring)
        return ring.error();
    const UnlockedKeys kept = keptKeys(vaultId, store);
    // A ring that fails its MAC but opens with the password is rebuilt from what authenticates
    // and what this device keeps (docs/FORMAT.md §5, "Repair"); else wrong_password or a refusal.
    auto repair = ring->repair(password, kept);
    if (!repair) {
        if (repair.error().is(errc::tampered_keyring))
            return repairRefusedError(repair.error().message);
        return repair.error(); // wrong_password, kdf_failed
    }
    // Authenticated with the password: this is where a ring that went back to an older copy,
    // or lost a key across a password change, is repaired from what this device holds.
    const bool changed = restoreKeptKeys(*ring, kept);
    if (changed || repair->repaired) {
        if (Status s = ring->save(keyRingPath(vaultRoot)); !s)
            return s;
    }
    if (repair->repaired) {
        qCWarning(lcCrypto) << "vault" << vaultId << ": key ring" << ring->id()
                            << "had been modified without the password; repaired and re-sealed (active key"
                            << ring->activeKeyId() << ", dropped" << repair->dropped.size() << "entries)";
        if (repaired)
            *repaired = true;
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
    restoreKeptKeys(*ring, keptKeys(vaultId, store)); // never re-seal an older copy as it is
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
    if (!device && device.error().is(errc::not_found))
        return lockedError();
    if (!device)
        return device.error();
    if (device->kdfSalt != ring->salt())
        return lockedError(QStringLiteral("the password was changed on another device"));
    if (!ring->unlockWithKek(device->kek)) // same salt, so the kept KEK must authenticate it
        return tamperedError();
    // Rotating on top of an older copy would write it back without the newer keys.
    if (const quint32 missing = missingKeptKey(*ring, device->keys))
        return rollbackError(missing);
    adoptStaleKeys(*ring, device->keys);
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
    auto resolved = resolveVaultKeys(vaultRoot, vaultId, store);
    if (!resolved)
        return resolved.error();
    return std::move(resolved->keys);
}

Json VaultKeyStatus::toJson() const
{
    Json j;
    j["vault"] = toStd(vaultId);
    j["encrypted"] = encrypted;
    if (!encrypted)
        return j;
    j["unlocked"] = unlocked;
    if (!unlocked) {
        j["locked_reason"] = toStd(lockedReason);
        j["locked_code"] = toStd(lockedCode);
    }
    if (passwordChangedElsewhere)
        j["password_changed_elsewhere"] = true;
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
    auto resolved = resolveVaultKeys(vaultRoot, vaultId, store);
    if (resolved) {
        st.unlocked = true;
        st.deviceKeyIds = resolved->keys.keyIds();
        st.activeKeyId = resolved->keys.activeKeyId(); // what new files use, never the file's word alone
        st.passwordChangedElsewhere = resolved->passwordChangedElsewhere;
        return st;
    }
    if (!resolved.error().isAnyOf({errc::locked, errc::tampered_keyring, errc::keyring_rollback}))
        return resolved.error();
    st.lockedReason = resolved.error().message;
    st.lockedCode = resolved.error().code;
    return st;
}

} // namespace muze::crypto
