// Keychain tests: they need a Secret Service, as tools/test-env.sh provides.
#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"

#include <muze/crypto/filecipher.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/util/ids.h>

#include <muze/util/fileio.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>

using namespace muze;
using namespace muze::crypto;
using test::codeOf;

namespace {

// Two stores with different service names behave like two devices sharing one keychain.
MasterKeyStore device(const char* name) { return MasterKeyStore(QStringLiteral("muze-tests-") + QLatin1String(name)); }

void requireKeychain()
{
    const MasterKeyStore store = device("probe");
    const QString id = newId();
    DeviceKeys keys{QByteArray(16, 's'), SecretBytes::random(32), {}};
    keys.keys.add(1, SecretBytes::random(32));
    keys.keys.setActiveKeyId(1);
    const Status s = store.store(id, keys);
    INFO("The keychain tests need a Secret Service: run them through tools/test-env.sh. "
         << s.errorString().toStdString());
    REQUIRE(s.ok());
    REQUIRE(store.forget(id).ok());
}

} // namespace

TEST_CASE("device keys encode for the keychain and refuse damage")
{
    DeviceKeys keys{QByteArray(16, 's'), SecretBytes::random(32), {}};
    keys.keys.add(5, SecretBytes::random(32));
    keys.keys.add(9, SecretBytes::random(32));
    keys.keys.setActiveKeyId(9);
    const QByteArray bytes = MasterKeyStore::encode(keys);
    CHECK(bytes.size() == 4 + 16 + 32 + 4 + 4 + 2 * 36);
    auto back = MasterKeyStore::decode(bytes);
    REQUIRE(back.ok());
    CHECK(back->kdfSalt == keys.kdfSalt);
    CHECK(back->kek.equals(keys.kek));
    CHECK(back->keys.keyIds() == QList<quint32>{5, 9});
    CHECK(back->keys.activeKeyId() == 9);
    CHECK(back->keys.masterKey(5)->equals(*keys.keys.masterKey(5)));
    CHECK(codeOf(MasterKeyStore::decode(bytes.left(bytes.size() - 1))) == "corrupt_keychain_entry");
    CHECK(codeOf(MasterKeyStore::decode("MZK1")) == "corrupt_keychain_entry");
    QByteArray noActive = bytes;
    noActive[4 + 16 + 32] = 77;
    CHECK(codeOf(MasterKeyStore::decode(noActive)) == "corrupt_keychain_entry");
}

TEST_CASE("the OS keychain stores, loads and forgets a vault's keys")
{
    requireKeychain();
    const MasterKeyStore store = device("a");
    const QString vault = newId();
    CHECK(codeOf(store.load(vault)) == "not_found");
    DeviceKeys keys{QByteArray(16, 'x'), SecretBytes::random(32), {}};
    keys.keys.add(42, SecretBytes::random(32));
    keys.keys.setActiveKeyId(42);
    REQUIRE(store.store(vault, keys).ok());
    auto loaded = store.load(vault);
    REQUIRE(loaded.ok());
    CHECK(loaded->keys.masterKey(42)->equals(*keys.keys.masterKey(42)));
    CHECK(codeOf(device("b").load(vault)) == "not_found");
    REQUIRE(store.forget(vault).ok());
    CHECK(codeOf(store.load(vault)) == "not_found");
    CHECK(store.forget(vault).ok());
}

TEST_CASE("vault encryption: init, lock, unlock, wrong password")
{
    requireKeychain();
    const MasterKeyStore store = device("a");
    test::TempDir dir;
    const QString vault = newId();
    CHECK_FALSE(isVaultEncrypted(dir.path()));
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, store)) == "not_encrypted");
    REQUIRE(initVaultEncryption(dir.path(), vault, "pw one", KdfParams::minimum(), store).ok());
    CHECK(QFile::exists(dir.filePath(QStringLiteral(".muze/keyring.json"))));
    CHECK(codeOf(initVaultEncryption(dir.path(), vault, "pw one", KdfParams::minimum(), store)) == "already_encrypted");

    auto keys = loadVaultKeys(dir.path(), vault, store);
    REQUIRE(keys.ok());
    const FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(keys.value())));
    const QByteArray blob = *test::encryptBytes(cipher, "hello", QStringLiteral("vault.json"));

    REQUIRE(lockVault(vault, store).ok());
    auto locked = loadVaultKeys(dir.path(), vault, store);
    CHECK(codeOf(locked) == "locked");
    CHECK(locked.error().message.contains(QStringLiteral("vault is locked: run muze-cli keys unlock")));
    auto status = vaultKeyStatus(dir.path(), vault, store);
    REQUIRE(status.ok());
    CHECK(status->encrypted);
    CHECK_FALSE(status->unlocked);

    CHECK(codeOf(unlockVault(dir.path(), vault, "pw two", store)) == "wrong_password");
    REQUIRE(unlockVault(dir.path(), vault, "pw one", store).ok());
    auto again = loadVaultKeys(dir.path(), vault, store);
    REQUIRE(again.ok());
    CHECK(*test::decryptBytes(FileCipher(std::make_shared<UnlockedKeys>(std::move(again.value()))), blob,
                              QStringLiteral("vault.json"))
          == "hello");
    status = vaultKeyStatus(dir.path(), vault, store);
    REQUIRE(status.ok());
    CHECK(status->unlocked);
    const Json j = status->toJson();
    CHECK(j["encrypted"] == true);
    CHECK(j["unlocked"] == true);
    CHECK(j["key_ids"].size() == 1);
    (void)lockVault(vault, store);
}

TEST_CASE("two devices: rotation and password change propagate through the key ring")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    test::TempDir dir; // stands for the synced vault folder both devices see
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "first", KdfParams::minimum(), a).ok());
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, b)) == "locked");
    REQUIRE(unlockVault(dir.path(), vault, "first", b).ok());

    const auto firstKeys = std::make_shared<UnlockedKeys>(std::move(loadVaultKeys(dir.path(), vault, a).value()));
    const QByteArray oldBlob = *test::encryptBytes(FileCipher(firstKeys), "old", QStringLiteral("x.json"));

    // A rotates: B picks the new key up with the KEK it keeps, without the password.
    auto rotated = rotateVaultKey(dir.path(), vault, a);
    REQUIRE(rotated.ok());
    auto bKeys = loadVaultKeys(dir.path(), vault, b);
    REQUIRE(bKeys.ok());
    CHECK(bKeys->activeKeyId() == *rotated);
    CHECK(bKeys->keyIds().size() == 2);
    const auto bShared = std::make_shared<UnlockedKeys>(std::move(bKeys.value()));
    CHECK(*test::decryptBytes(FileCipher(bShared), oldBlob, QStringLiteral("x.json")) == "old");

    // A changes the password: B's stored master keys still work.
    CHECK(codeOf(changeVaultPassword(dir.path(), vault, "wrong", "second", a)) == "wrong_password");
    REQUIRE(changeVaultPassword(dir.path(), vault, "first", "second", a).ok());
    CHECK(codeOf(unlockVault(dir.path(), vault, "first", b)) == "wrong_password");
    auto bAfter = loadVaultKeys(dir.path(), vault, b);
    REQUIRE(bAfter.ok());
    CHECK(bAfter->activeKeyId() == *rotated);

    // A rotates again: B cannot know the new key until it unlocks with the new password.
    REQUIRE(rotateVaultKey(dir.path(), vault, a).ok());
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, b)) == "locked");
    CHECK(codeOf(rotateVaultKey(dir.path(), vault, b)) == "locked");
    REQUIRE(unlockVault(dir.path(), vault, "second", b).ok());
    auto bFinal = loadVaultKeys(dir.path(), vault, b);
    REQUIRE(bFinal.ok());
    CHECK(bFinal->keyIds().size() == 3);
    (void)lockVault(vault, a);
    (void)lockVault(vault, b);
}

namespace {

Json readRing(const QString& root) { return readJsonObjectFile(keyRingPath(root)).value(); }
void writeRing(const QString& root, const Json& j) { REQUIRE(writeJsonFile(keyRingPath(root), j).ok()); }

// The key id in an encrypted file's header (docs/FORMAT.md §3.1, offset 12).
quint32 blobKeyId(const QByteArray& blob)
{
    REQUIRE(blob.size() >= 16);
    return quint32(uchar(blob[12])) | quint32(uchar(blob[13])) << 8 | quint32(uchar(blob[14])) << 16
        | quint32(uchar(blob[15])) << 24;
}

// The key a device would encrypt a new file with now ("" code when it can).
quint32 newFileKey(const QString& root, const QString& vault, const MasterKeyStore& store)
{
    auto keys = loadVaultKeys(root, vault, store);
    REQUIRE(keys.ok());
    const FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(keys.value())));
    return blobKeyId(*test::encryptBytes(cipher, "new take", QStringLiteral("audio/new.wav")));
}

} // namespace

TEST_CASE("a password change crossing a rotation is repaired by the device that rotated")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    const MasterKeyStore c = device("c");
    test::TempDir dirA, dirB; // the two devices' copies of the vault
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dirA.path(), vault, "old", KdfParams::minimum(), a).ok());
    const quint32 first = readRing(dirA.path())["active_key_id"].get<quint32>();
    REQUIRE(QDir().mkpath(dirB.filePath(QStringLiteral(".muze"))));
    REQUIRE(QFile::copy(keyRingPath(dirA.path()), keyRingPath(dirB.path())));
    REQUIRE(unlockVault(dirB.path(), vault, "old", b).ok());

    REQUIRE(changeVaultPassword(dirA.path(), vault, "old", "new", a).ok()); // device A
    auto rotated = rotateVaultKey(dirB.path(), vault, b);                    // device B, meanwhile
    REQUIRE(rotated.ok());

    // A's copy wins in the shared folder: it lacks B's key. B cannot authenticate it (other
    // salt), keeps its own keys and its own active key, and says so.
    const QString root = dirA.path();
    CHECK(newFileKey(root, vault, b) == *rotated);
    auto status = vaultKeyStatus(root, vault, b);
    REQUIRE(status.ok());
    CHECK(status->unlocked);
    CHECK(status->passwordChangedElsewhere);
    CHECK(status->activeKeyId == *rotated);
    CHECK(status->toJson()["password_changed_elsewhere"] == true);

    // B unlocks with the new password: the ring authenticates, and B puts its key back and
    // keeps it active (the ring named key `first`, which B already held: older than B's view).
    CHECK(codeOf(unlockVault(root, vault, "old", b)) == "wrong_password");
    REQUIRE(unlockVault(root, vault, "new", b).ok());
    const Json repaired = readRing(root);
    CHECK(repaired["keys"].size() == 2);
    CHECK(repaired["active_key_id"] == *rotated);
    CHECK(newFileKey(root, vault, b) == *rotated);
    CHECK(newFileKey(root, vault, a) == *rotated); // A's KEK authenticates the repaired ring
    REQUIRE(unlockVault(root, vault, "new", c).ok());
    auto keys = loadVaultKeys(root, vault, c);
    REQUIRE(keys.ok());
    CHECK(keys->keyIds().size() == 2);
    CHECK(keys->contains(first));
    CHECK(keys->activeKeyId() == *rotated);
    for (const MasterKeyStore* s : {&a, &b, &c})
        (void)lockVault(vault, *s);
}

TEST_CASE("a stale key in a merged key ring is re-wrapped by the device that kept it")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    const MasterKeyStore c = device("c");
    test::TempDir dirA, dirB;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dirA.path(), vault, "old", KdfParams::minimum(), a).ok());
    REQUIRE(QDir().mkpath(dirB.filePath(QStringLiteral(".muze"))));
    REQUIRE(QFile::copy(keyRingPath(dirA.path()), keyRingPath(dirB.path())));
    REQUIRE(unlockVault(dirB.path(), vault, "old", b).ok());
    REQUIRE(changeVaultPassword(dirA.path(), vault, "old", "new", a).ok());
    auto rotated = rotateVaultKey(dirB.path(), vault, b);
    REQUIRE(rotated.ok());

    // A device holding the new password merged the lists (B's key stays wrapped under the old
    // password) and sealed the result (docs/FORMAT.md §6).
    Json merged = readRing(dirA.path());
    const Json fromB = readRing(dirB.path());
    for (const Json& k : fromB["keys"]) {
        if (k["id"] == *rotated)
            merged["keys"].push_back(k);
    }
    merged["active_key_id"] = *rotated;
    const QString root = dirA.path();
    writeRing(root, merged);
    CHECK(codeOf(unlockVault(root, vault, "new", c)) == "tampered_keyring"); // not sealed yet
    {
        auto ring = KeyRing::fromJson(merged);
        REQUIRE(ring.ok());
        auto kek = KeyRing::deriveKek("new", ring->salt(), ring->kdfParams());
        REQUIRE(kek.ok());
        merged["mac"] = ring->computeMac(*kek).toBase64().toStdString();
        writeRing(root, merged);
    }

    auto ring = KeyRing::load(keyRingPath(root));
    REQUIRE(ring.ok());
    REQUIRE(ring->unlock("new").ok());
    CHECK(ring->staleKeyIds() == QList<quint32>{*rotated});
    CHECK(codeOf(unlockVault(root, vault, "new", c)) == "corrupt_keyring"); // a third device: not yet
    CHECK(loadVaultKeys(root, vault, b).ok()); // B keeps working with what it kept

    REQUIRE(unlockVault(root, vault, "new", b).ok()); // B holds the key: it re-wraps it
    REQUIRE(unlockVault(root, vault, "new", c).ok());
    auto keys = loadVaultKeys(root, vault, c);
    REQUIRE(keys.ok());
    CHECK(keys->keyIds().size() == 2);
    CHECK(keys->activeKeyId() == *rotated);
    for (const MasterKeyStore* s : {&a, &b, &c})
        (void)lockVault(vault, *s);
}

TEST_CASE("attack: active_key_id edited back to a retired key is refused as tampered")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    test::TempDir dir;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "pw", KdfParams::minimum(), a).ok());
    REQUIRE(unlockVault(dir.path(), vault, "pw", b).ok());
    const quint32 leaked = readRing(dir.path())["active_key_id"].get<quint32>();
    auto fresh = rotateVaultKey(dir.path(), vault, a); // the user rotates after a leak
    REQUIRE(fresh.ok());
    const Json genuine = readRing(dir.path());

    Json edited = genuine;
    edited["active_key_id"] = leaked;
    writeRing(dir.path(), edited);
    for (const MasterKeyStore* s : {&a, &b}) {
        auto keys = loadVaultKeys(dir.path(), vault, *s);
        CHECK(codeOf(keys) == "tampered_keyring");
        if (!keys)
            CHECK(keys.error().message.contains(QStringLiteral("modified by someone without the vault password")));
        auto status = vaultKeyStatus(dir.path(), vault, *s);
        REQUIRE(status.ok());
        CHECK_FALSE(status->unlocked);
        CHECK(status->lockedCode == QStringLiteral("tampered_keyring"));
        CHECK(status->toJson()["locked_code"] == "tampered_keyring");
    }
    CHECK(codeOf(rotateVaultKey(dir.path(), vault, a)) == "tampered_keyring");
    CHECK(codeOf(changeVaultPassword(dir.path(), vault, "pw", "pw2", a)) == "tampered_keyring");
    CHECK(readRing(dir.path()) == edited); // nothing re-sealed the edit

    // A key dropped from the list (the active id pointed at what is left).
    Json dropped = genuine;
    dropped["keys"].erase(1);
    dropped["active_key_id"] = leaked;
    writeRing(dir.path(), dropped);
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, a)) == "tampered_keyring");
    // `keys unlock` on A (which holds both keys) repairs it: the dropped key comes back.
    bool repaired = false;
    REQUIRE(unlockVault(dir.path(), vault, "pw", a, &repaired).ok());
    CHECK(repaired);
    CHECK(readRing(dir.path())["keys"].size() == 2);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    // Swapped KDF parameters: the kept KEK is not derived again and the MAC tells.
    Json kdf = genuine;
    kdf["kdf"]["opslimit"] = 2;
    writeRing(dir.path(), kdf);
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, b)) == "tampered_keyring");

    writeRing(dir.path(), genuine); // the real file comes back: everything works again
    CHECK(newFileKey(dir.path(), vault, a) == *fresh);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    (void)lockVault(vault, a);
    (void)lockVault(vault, b);
}

TEST_CASE("attack: an older genuine key ring replayed after a rotation is refused as a rollback")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    const MasterKeyStore c = device("c");
    test::TempDir dir;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "pw", KdfParams::minimum(), a).ok());
    REQUIRE(unlockVault(dir.path(), vault, "pw", b).ok());
    const Json before = readRing(dir.path()); // an attacker keeps this genuine copy
    const quint32 leaked = before["active_key_id"].get<quint32>();
    auto fresh = rotateVaultKey(dir.path(), vault, a);
    REQUIRE(fresh.ok());
    CHECK(newFileKey(dir.path(), vault, b) == *fresh); // B saw the rotation

    writeRing(dir.path(), before); // the replay: it authenticates (same password, same salt)
    for (const MasterKeyStore* s : {&a, &b}) {
        auto keys = loadVaultKeys(dir.path(), vault, *s);
        CHECK(codeOf(keys) == "keyring_rollback");
        if (!keys)
            CHECK(keys.error().message.contains(QStringLiteral("older than one this device has already seen")));
        auto status = vaultKeyStatus(dir.path(), vault, *s);
        REQUIRE(status.ok());
        CHECK_FALSE(status->unlocked);
        CHECK(status->lockedCode == QStringLiteral("keyring_rollback"));
    }
    CHECK(codeOf(rotateVaultKey(dir.path(), vault, a)) == "keyring_rollback");
    auto kept = b.load(vault);
    REQUIRE(kept.ok());
    CHECK(kept->keys.activeKeyId() == *fresh); // the refusal did not touch the keychain

    // `keys unlock` on a device that saw the newer ring restores it from what it holds.
    REQUIRE(unlockVault(dir.path(), vault, "pw", b).ok());
    const Json restored = readRing(dir.path());
    CHECK(restored["keys"].size() == 2);
    CHECK(restored["active_key_id"] == *fresh);
    CHECK(newFileKey(dir.path(), vault, a) == *fresh);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    REQUIRE(unlockVault(dir.path(), vault, "pw", c).ok());
    CHECK(newFileKey(dir.path(), vault, c) == *fresh);
    CHECK(newFileKey(dir.path(), vault, c) != leaked);

    // Not covered (docs/FORMAT.md §6): a device that never saw the newer ring takes the replay.
    const MasterKeyStore d = device("d");
    writeRing(dir.path(), before);
    REQUIRE(unlockVault(dir.path(), vault, "pw", d).ok());
    CHECK(newFileKey(dir.path(), vault, d) == leaked);
    for (const MasterKeyStore* s : {&a, &b, &c, &d})
        (void)lockVault(vault, *s);
}

TEST_CASE("attack: after a password change elsewhere, an edited active key id is not taken on trust")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    test::TempDir dir;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "first", KdfParams::minimum(), a).ok());
    REQUIRE(unlockVault(dir.path(), vault, "first", b).ok());
    const quint32 leaked = readRing(dir.path())["active_key_id"].get<quint32>();
    auto fresh = rotateVaultKey(dir.path(), vault, a);
    REQUIRE(fresh.ok());
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    REQUIRE(changeVaultPassword(dir.path(), vault, "first", "second", a).ok());
    const Json genuine = readRing(dir.path());

    // B cannot authenticate the ring (other salt). Set back to the leaked key, which B holds:
    // B keeps encrypting with its own active key.
    Json edited = genuine;
    edited["active_key_id"] = leaked;
    writeRing(dir.path(), edited);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    auto status = vaultKeyStatus(dir.path(), vault, b);
    REQUIRE(status.ok());
    CHECK(status->unlocked);
    CHECK(status->passwordChangedElsewhere);
    CHECK(status->activeKeyId == *fresh);
    CHECK(b.load(vault)->keys.activeKeyId() == *fresh);
    // A (same salt) sees the edit.
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, a)) == "tampered_keyring");

    // A forged key entry made active: a key B never held. B stops encrypting until unlocked.
    Json forged = genuine;
    Json entry = genuine["keys"][0];
    entry["id"] = 4242;
    forged["keys"].push_back(entry);
    forged["active_key_id"] = 4242;
    writeRing(dir.path(), forged);
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, b)) == "locked");

    // `keys unlock` with the new password does not adopt the edited active key: it repairs the
    // ring with B's own active key (docs/FORMAT.md §5, "Repair").
    writeRing(dir.path(), edited);
    bool repaired = false;
    REQUIRE(unlockVault(dir.path(), vault, "second", b, &repaired).ok());
    CHECK(repaired);
    CHECK(readRing(dir.path())["active_key_id"] == *fresh);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    CHECK(newFileKey(dir.path(), vault, a) == *fresh); // A's kept KEK authenticates the repair

    writeRing(dir.path(), genuine);
    REQUIRE(unlockVault(dir.path(), vault, "second", b).ok()); // authenticates: adopts the ring
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    status = vaultKeyStatus(dir.path(), vault, b);
    REQUIRE(status.ok());
    CHECK_FALSE(status->passwordChangedElsewhere);
    (void)lockVault(vault, a);
    (void)lockVault(vault, b);
}

TEST_CASE("repair: a device that had the vault unlocked re-seals a ring edited back to a retired key")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    test::TempDir dir;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "pw", KdfParams::minimum(), a).ok());
    REQUIRE(unlockVault(dir.path(), vault, "pw", b).ok());
    const quint32 leaked = readRing(dir.path())["active_key_id"].get<quint32>();
    auto fresh = rotateVaultKey(dir.path(), vault, a);
    REQUIRE(fresh.ok());
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);

    // Edited without the password: the retired key made active again, the fresh key moved
    // first, and a forged entry (random bytes) added.
    Json edited = readRing(dir.path());
    edited["active_key_id"] = leaked;
    std::swap(edited["keys"][0], edited["keys"][1]);
    Json forged = edited["keys"][0];
    forged["id"] = 4242;
    forged["nonce"] = test::randomBytes(24, 7).toBase64().toStdString();
    forged["wrapped_key"] = test::randomBytes(48, 8).toBase64().toStdString();
    edited["keys"].push_back(forged);
    writeRing(dir.path(), edited);
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, a)) == "tampered_keyring");
    CHECK(codeOf(loadVaultKeys(dir.path(), vault, b)) == "tampered_keyring");

    bool repaired = false;
    REQUIRE(unlockVault(dir.path(), vault, "pw", a, &repaired).ok());
    CHECK(repaired);
    const Json ring = readRing(dir.path());
    CHECK(ring["active_key_id"] == *fresh);
    CHECK(ring["keys"].size() == 2);
    for (const Json& k : ring["keys"])
        CHECK(k["id"] != 4242);
    // B's kept KEK (same salt) authenticates the re-sealed ring, and B keeps the newer key.
    auto bKeys = loadVaultKeys(dir.path(), vault, b);
    REQUIRE(bKeys.ok());
    CHECK(bKeys->activeKeyId() == *fresh);
    CHECK(bKeys->keyIds().size() == 2);
    CHECK(newFileKey(dir.path(), vault, a) == *fresh);
    CHECK(newFileKey(dir.path(), vault, b) == *fresh);
    // An authentic ring is not "repaired" again.
    REQUIRE(unlockVault(dir.path(), vault, "pw", b, &repaired).ok());
    CHECK_FALSE(repaired);
    (void)lockVault(vault, a);
    (void)lockVault(vault, b);
}

TEST_CASE("repair: refused on a fresh device, on a device that missed a key, and for a wrong password")
{
    requireKeychain();
    const MasterKeyStore a = device("a");
    const MasterKeyStore b = device("b");
    const MasterKeyStore fresh = device("fresh");
    test::TempDir dir;
    const QString vault = newId();
    REQUIRE(initVaultEncryption(dir.path(), vault, "pw", KdfParams::minimum(), a).ok());
    REQUIRE(unlockVault(dir.path(), vault, "pw", b).ok()); // B then misses the rotation
    const quint32 leaked = readRing(dir.path())["active_key_id"].get<quint32>();
    REQUIRE(rotateVaultKey(dir.path(), vault, a).ok());
    Json edited = readRing(dir.path());
    edited["active_key_id"] = leaked;
    writeRing(dir.path(), edited);
    const auto fileBytes = [&] {
        QFile f(keyRingPath(dir.path()));
        REQUIRE(f.open(QIODevice::ReadOnly));
        return f.readAll();
    };
    const QByteArray before = fileBytes();

    // A fresh device (no keychain entry): the file's active_key_id and order are all it has.
    bool repaired = true;
    auto s = unlockVault(dir.path(), vault, "pw", fresh, &repaired);
    CHECK(codeOf(s) == "tampered_keyring");
    if (!s)
        CHECK(s.error().message.contains(QStringLiteral("unlock on a device where this vault was unlocked before")));
    CHECK_FALSE(repaired);
    CHECK(codeOf(fresh.load(vault)) == "not_found");
    CHECK(fileBytes() == before);

    // B never held the rotated key: it cannot tell which key is the newest.
    s = unlockVault(dir.path(), vault, "pw", b);
    CHECK(codeOf(s) == "tampered_keyring");
    if (!s)
        CHECK(s.error().message.contains(QStringLiteral("never held")));
    CHECK(fileBytes() == before);
    CHECK(b.load(vault)->keys.activeKeyId() == leaked); // its keychain entry is untouched

    // A wrong password on a tampered ring is still a wrong password, and writes nothing.
    CHECK(codeOf(unlockVault(dir.path(), vault, "not pw", a)) == "wrong_password");
    CHECK(codeOf(unlockVault(dir.path(), vault, "not pw", fresh)) == "wrong_password");
    CHECK(fileBytes() == before);
    CHECK(codeOf(fresh.load(vault)) == "not_found");
    for (const MasterKeyStore* st : {&a, &b, &fresh})
        (void)lockVault(vault, *st);
}
