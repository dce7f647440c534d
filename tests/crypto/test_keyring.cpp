#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"

#include <muze/crypto/keyring.h>
#include <muze/crypto/secretbytes.h>

#include <sodium.h>

#include <QElapsedTimer>

using namespace muze;
using namespace muze::crypto;
using test::codeOf;

namespace {

const QByteArray kPassword("correct horse battery staple");

KeyRing makeRing(const QByteArray& password = kPassword)
{
    auto ring = KeyRing::create(password, KdfParams::minimum());
    REQUIRE(ring.ok());
    return std::move(ring.value());
}

KeyRing reload(const KeyRing& ring)
{
    auto copy = KeyRing::fromJson(ring.toJson());
    REQUIRE(copy.ok());
    return std::move(copy.value());
}

} // namespace

TEST_CASE("SecretBytes owns wiped sodium memory and copies only on request")
{
    SecretBytes a = SecretBytes::random(32);
    REQUIRE(a.size() == 32);
    SecretBytes b = a.clone();
    CHECK(a.equals(b));
    CHECK(a.data() != b.data());
    SecretBytes c = std::move(b);
    CHECK(b.isEmpty());
    CHECK(c.equals(a));
    CHECK_FALSE(SecretBytes::random(32).equals(a));
    CHECK(SecretBytes(16).view() == QByteArray(16, '\0'));
    QByteArray pw("hunter2");
    wipe(pw);
    CHECK(pw.isEmpty());
}

TEST_CASE("a key ring unlocks with its password and reports a wrong one clearly")
{
    KeyRing ring = makeRing();
    REQUIRE(ring.isUnlocked());
    const quint32 id = ring.activeKeyId();
    CHECK(id != 0);
    const SecretBytes master = ring.unlockedKeys()->masterKey(id)->clone();

    KeyRing loaded = reload(ring);
    CHECK_FALSE(loaded.isUnlocked());
    CHECK(codeOf(loaded.unlockedKeys()) == "locked");
    const Status wrong = loaded.unlock("incorrect horse");
    CHECK(codeOf(wrong) == "wrong_password");
    CHECK(wrong.error().message.contains(QStringLiteral("Wrong password")));
    CHECK_FALSE(loaded.isUnlocked());
    REQUIRE(loaded.unlock(kPassword).ok());
    CHECK(loaded.unlockedKeys()->masterKey(id)->equals(master));
    CHECK(codeOf(KeyRing::create({}, KdfParams::minimum())) == "empty_password");
}

TEST_CASE("the key ring file holds only wrapped keys, parameters and salt")
{
    KeyRing ring = makeRing();
    const Json j = ring.toJson();
    CHECK(j["format"] == 1);
    CHECK(j["kind"] == "muze.keyring");
    CHECK(j["kdf"]["algorithm"] == "argon2id13");
    CHECK(j["kdf"]["opslimit"] == crypto_pwhash_argon2id_OPSLIMIT_MIN);
    CHECK(j["kdf"]["memlimit"] == crypto_pwhash_argon2id_MEMLIMIT_MIN);
    CHECK(QByteArray::fromBase64(QByteArray::fromStdString(j["kdf"]["salt"].get<std::string>())).size() == 16);
    REQUIRE(j["keys"].size() == 1);
    CHECK(j["keys"][0]["id"] == ring.activeKeyId());
    CHECK(QByteArray::fromBase64(QByteArray::fromStdString(j["keys"][0]["wrapped_key"].get<std::string>())).size() == 48);
    const QByteArray text = dumpJson(j);
    const UnlockedKeys keys = std::move(ring.unlockedKeys().value());
    const QByteArray master = keys.masterKey(ring.activeKeyId())->view().toByteArray();
    CHECK_FALSE(text.contains(master.toBase64()));
    CHECK_FALSE(text.contains(master.toBase64(QByteArray::Base64UrlEncoding)));
    CHECK_FALSE(text.contains(kPassword));
}

TEST_CASE("changing the password re-wraps the same master keys")
{
    KeyRing ring = makeRing();
    auto rotated = ring.rotate();
    REQUIRE(rotated.ok());
    const UnlockedKeys before = std::move(ring.unlockedKeys().value());
    const QByteArray oldSalt = ring.salt();
    CHECK(codeOf(ring.changePassword("not it", "new password")) == "wrong_password");
    REQUIRE(ring.changePassword(kPassword, "new password").ok());
    CHECK(ring.salt() != oldSalt);

    KeyRing loaded = reload(ring);
    CHECK(codeOf(loaded.unlock(kPassword)) == "wrong_password");
    REQUIRE(loaded.unlock("new password").ok());
    const UnlockedKeys after = std::move(loaded.unlockedKeys().value());
    CHECK(after.keyIds() == before.keyIds());
    for (quint32 id : before.keyIds())
        CHECK(after.masterKey(id)->equals(*before.masterKey(id)));
    CHECK(after.activeKeyId() == *rotated);
}

TEST_CASE("rotation adds an active key under the same KEK; old keys still unwrap")
{
    KeyRing ring = makeRing();
    const quint32 first = ring.activeKeyId();
    const SecretBytes kek = ring.kek().clone();
    auto second = ring.rotate();
    REQUIRE(second.ok());
    CHECK(*second != first);
    CHECK(ring.activeKeyId() == *second);
    CHECK(ring.keyIds() == QList<quint32>{first, *second});

    KeyRing loaded = reload(ring);
    REQUIRE(loaded.unlockWithKek(kek).ok());
    auto keys = loaded.unlockedKeys();
    REQUIRE(keys.ok());
    CHECK(keys->contains(first));
    CHECK(keys->activeKeyId() == *second);
    CHECK_FALSE(keys->dataKey(first)->equals(*keys->dataKey(*second)));
    CHECK_FALSE(keys->dataKey(first)->equals(*keys->searchKey(first)));

    KeyRing locked = reload(ring);
    CHECK(codeOf(locked.rotate()) == "locked");
}

TEST_CASE("derived keys follow crypto_kdf_derive_from_key with the documented contexts")
{
    const SecretBytes master = SecretBytes::random(32);
    unsigned char expected[32];
    crypto_kdf_derive_from_key(expected, 32, 1, "MuzeData", master.data());
    CHECK(deriveDataKey(master).view() == QByteArrayView(reinterpret_cast<const char*>(expected), 32));
    crypto_kdf_derive_from_key(expected, 32, 1, "MuzeSrch", master.data());
    CHECK(deriveSearchKey(master).view() == QByteArrayView(reinterpret_cast<const char*>(expected), 32));
}

TEST_CASE("damaged or hostile key rings are refused with clear errors")
{
    KeyRing ring = makeRing();
    const Json good = ring.toJson();
    auto codeFor = [](const Json& j) { return codeOf(KeyRing::fromJson(j)); };
    CHECK(codeFor(good).empty());
    Json j = good;
    j["format"] = 2;
    CHECK(codeFor(j) == "unsupported_version");
    j = good;
    j["kdf"]["algorithm"] = "scrypt";
    CHECK(codeFor(j) == "unsupported_version");
    j = good;
    j["kdf"]["memlimit"] = 64ULL << 30; // a file must not make us allocate 64 GiB
    CHECK(codeFor(j) == "corrupt_keyring");
    j = good;
    j["kdf"]["salt"] = "AAAA";
    CHECK(codeFor(j) == "corrupt_keyring");
    j = good;
    j["active_key_id"] = 12345;
    CHECK(codeFor(j) == "corrupt_keyring");
    j = good;
    j["keys"].push_back(good["keys"][0]);
    CHECK(codeFor(j) == "corrupt_keyring");
    j = good;
    j["keys"][0]["nonce"] = "!!!";
    CHECK(codeFor(j) == "corrupt_keyring");
    j = good;
    j["keys"][0]["id"] = -1;
    CHECK(codeFor(j) == "corrupt_keyring");
    CHECK(codeFor(Json::array()) == "corrupt_keyring");
    CHECK(codeFor(Json::object()) == "corrupt_keyring");

    // A wrapped key that was tampered with does not unwrap.
    j = good;
    QByteArray wrapped = QByteArray::fromBase64(QByteArray::fromStdString(j["keys"][0]["wrapped_key"].get<std::string>()));
    wrapped[0] = char(wrapped[0] ^ 1);
    j["keys"][0]["wrapped_key"] = wrapped.toBase64().toStdString();
    auto tampered = KeyRing::fromJson(j);
    REQUIRE(tampered.ok());
    CHECK(codeOf(tampered->unlock(kPassword)) == "wrong_password");
}

TEST_CASE("unknown fields of the key ring survive a rewrite")
{
    KeyRing ring = makeRing();
    Json j = ring.toJson();
    j["future_field"] = "keep me";
    j["keys"][0]["note"] = "and me";
    auto loaded = KeyRing::fromJson(j);
    REQUIRE(loaded.ok());
    REQUIRE(loaded->unlock(kPassword).ok());
    REQUIRE(loaded->rotate().ok());
    const Json out = loaded->toJson();
    CHECK(out["future_field"] == "keep me");
    CHECK(out["keys"][0]["note"] == "and me");
    CHECK(out["keys"].size() == 2);
}

TEST_CASE("key ring save and load through the file system")
{
    test::TempDir dir;
    const QString path = dir.filePath(kKeyRingFile);
    KeyRing ring = makeRing();
    REQUIRE(ring.save(path).ok());
    auto loaded = KeyRing::load(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->id() == ring.id());
    REQUIRE(loaded->unlock(kPassword).ok());
    test::writeAll(path, "{ not json");
    CHECK_FALSE(KeyRing::load(path).ok());
}

TEST_CASE("the default key ring uses Argon2id with moderate limits")
{
    QElapsedTimer timer;
    timer.start();
    auto ring = KeyRing::create("a real password"); // the production default: 256 MiB, 3 passes
    REQUIRE(ring.ok());
    CHECK(ring->kdfParams() == KdfParams::moderate());
    CHECK(ring->kdfParams().memLimit == crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
    CHECK(ring->toJson()["kdf"]["opslimit"] == crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
    KeyRing loaded = reload(*ring);
    REQUIRE(loaded.unlock("a real password").ok());
    CHECK(loaded.unlockedKeys()->keyIds() == QList<quint32>{ring->activeKeyId()});
    INFO("create + unlock with moderate limits took " << timer.elapsed() << " ms");
}
