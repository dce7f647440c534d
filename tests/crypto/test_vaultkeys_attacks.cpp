// Attacks on the key ring (a tampered active key id, a replayed older ring) and their repair.
// Keychain tests: they need a Secret Service, as tools/test-env.sh provides.
#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"
#include "vaultkeystest.h"

#include <muze/crypto/filecipher.h>
#include <muze/crypto/masterkeystore.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>

using namespace muze;
using namespace muze::crypto;
using namespace muze::test::vaultkeys;
using test::codeOf;

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
