// Keychain tests: they need a Secret Service, as tools/test-env.sh provides. Attacks on the
// key ring and their repair are in test_vaultkeys_attacks.cpp.
#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"
#include "vaultkeystest.h"

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

using namespace muze::test::vaultkeys;

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
