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

TEST_CASE("rotation adds an active key under the same KEK, old keys still unwrap")
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

// ---- The key ring MAC (docs/FORMAT.md §1.1) -------------------------------------------------

namespace {

QByteArray b64(const Json& j) { return QByteArray::fromBase64(QByteArray::fromStdString(j.get<std::string>())); }

void le32(QByteArray& out, quint32 v)
{
    for (int i = 0; i < 4; ++i)
        out.append(char((v >> (8 * i)) & 0xFF));
}

void le64(QByteArray& out, quint64 v)
{
    for (int i = 0; i < 8; ++i)
        out.append(char((v >> (8 * i)) & 0xFF));
}

void lp(QByteArray& out, const QByteArray& bytes)
{
    le32(out, quint32(bytes.size()));
    out.append(bytes);
}

QByteArray blake2b(std::size_t outLen, const unsigned char* key, const QByteArray& msg, const char* person)
{
    QByteArray out(qsizetype(outLen), '\0');
    crypto_generichash_blake2b_salt_personal(reinterpret_cast<unsigned char*>(out.data()), outLen,
                                             reinterpret_cast<const unsigned char*>(msg.constData()), quint64(msg.size()),
                                             key, 32, nullptr, reinterpret_cast<const unsigned char*>(person));
    return out;
}

// The MAC computed from the JSON text, written from FORMAT.md §1.1 alone (not with KeyRing).
QByteArray documentedMac(const Json& j, const SecretBytes& kek)
{
    QByteArray m;
    le32(m, j["format"].get<quint32>());
    lp(m, QByteArray::fromStdString(j["kind"].get<std::string>()));
    lp(m, QByteArray::fromStdString(j["id"].get<std::string>()));
    lp(m, QByteArray::fromStdString(j["kdf"]["algorithm"].get<std::string>()));
    le64(m, j["kdf"]["opslimit"].get<quint64>());
    le64(m, j["kdf"]["memlimit"].get<quint64>());
    lp(m, b64(j["kdf"]["salt"]));
    le32(m, j["active_key_id"].get<quint32>());
    le32(m, quint32(j["keys"].size()));
    for (const Json& k : j["keys"]) {
        le32(m, k["id"].get<quint32>());
        lp(m, QByteArray::fromStdString(k["algorithm"].get<std::string>()));
        lp(m, b64(k["nonce"]));
        lp(m, b64(k["wrapped_key"]));
    }
    const QByteArray macKey = blake2b(32, kek.data(), {}, "muze.ring.key.v1");
    return blake2b(32, reinterpret_cast<const unsigned char*>(macKey.constData()), m, "muze.ring.mac.v1");
}

// What a device holding the KEK does after merging two copies by hand: seal the result.
void sealWith(Json& j, const SecretBytes& kek)
{
    auto ring = KeyRing::fromJson(j);
    REQUIRE(ring.ok());
    j["mac"] = ring->computeMac(kek).toBase64().toStdString();
}

} // namespace

TEST_CASE("the key ring MAC is the documented BLAKE2b over the documented bytes")
{
    KeyRing ring = makeRing();
    REQUIRE(ring.rotate().ok());
    Json j = ring.toJson();
    j["future_field"] = "not covered";
    REQUIRE(j.contains("mac"));
    CHECK(b64(j["mac"]).size() == 32);
    CHECK(b64(j["mac"]) == documentedMac(j, ring.kek()));
    CHECK(b64(j["mac"]) == ring.computeMac(ring.kek()));
    // 4 + (4+12) + (4+16) + (4+10) + 8 + 8 + (4+16) + 4 + 4 + 2 × (4 + (4+22) + (4+24) + (4+48))
    CHECK(ring.macMessage().size() == 4 + 16 + 20 + 14 + 16 + 20 + 8 + 2 * 110);
    // Timestamps and unknown fields are not covered: editing them changes nothing.
    j["modified_at"] = "2000-01-01T00:00:00.000Z";
    j["keys"][0]["created_at"] = "2000-01-01T00:00:00.000Z";
    j["keys"][1]["note"] = "hello";
    auto edited = KeyRing::fromJson(j);
    REQUIRE(edited.ok());
    CHECK(edited->unlock(kPassword).ok());
}

TEST_CASE("a key ring edited without the password is refused as tampered, and stays locked")
{
    KeyRing ring = makeRing();
    const quint32 first = ring.activeKeyId();
    const quint32 second = *ring.rotate();
    const SecretBytes kek = ring.kek().clone();
    const Json good = ring.toJson();
    auto outcome = [&](const Json& j, bool withKek) {
        auto r = KeyRing::fromJson(j);
        REQUIRE(r.ok());
        const Status s = withKek ? r->unlockWithKek(kek) : r->unlock(kPassword);
        CHECK(r->isUnlocked() == s.ok());
        if (!s) {
            CHECK_FALSE(s.error().message.contains(QString::fromLatin1(kPassword)));
            CHECK_FALSE(r->unlockedKeys().ok());
        }
        return codeOf(s);
    };
    for (bool withKek : {false, true}) {
        INFO("unlock " << (withKek ? "with the kept KEK" : "with the password"));
        CHECK(outcome(good, withKek).empty());

        Json j = good; // back to the key the user rotated away from
        j["active_key_id"] = first;
        CHECK(outcome(j, withKek) == "tampered_keyring");
        j = good; // a key dropped (and the active id pointed at what is left)
        j["keys"].erase(1);
        j["active_key_id"] = first;
        CHECK(outcome(j, withKek) == "tampered_keyring");
        j = good; // the list reordered
        std::swap(j["keys"][0], j["keys"][1]);
        CHECK(outcome(j, withKek) == "tampered_keyring");
        j = good;
        j["id"] = "0123456789abcdef";
        CHECK(outcome(j, withKek) == "tampered_keyring");
        j = good; // a nonce swapped for another key's wrap: that key no longer opens, the MAC fails
        j["keys"][1]["nonce"] = good["keys"][0]["nonce"];
        CHECK(outcome(j, withKek) == "tampered_keyring");
        j = good;
        QByteArray mac = b64(good["mac"]);
        mac[5] = char(mac[5] ^ 0x10);
        j["mac"] = mac.toBase64().toStdString();
        CHECK(outcome(j, withKek) == "tampered_keyring");
    }
    // KDF edits give the password another KEK (nothing unwraps: wrong_password); the KEK a
    // device keeps is not derived again, and the MAC tells.
    Json j = good;
    j["kdf"]["opslimit"] = 2;
    CHECK(outcome(j, false) == "wrong_password");
    CHECK(outcome(j, true) == "tampered_keyring");
    j = good;
    j["kdf"]["salt"] = QByteArray(16, 'x').toBase64().toStdString();
    CHECK(outcome(j, true) == "tampered_keyring");

    // The error says what happened and nothing secret.
    j = good;
    j["active_key_id"] = first;
    auto r = KeyRing::fromJson(j);
    const Status s = r->unlock(kPassword);
    CHECK(s.error().message.contains(QStringLiteral("modified by someone without the vault password")));
    CHECK(r->activeKeyId() == first); // what the file says, but nothing can use it:
    CHECK(codeOf(r->unlockedKeys()) == "locked");
    CHECK(codeOf(r->rotate()) == "locked");
    (void)second;
}

TEST_CASE("a key ring without a MAC is refused (no downgrade)")
{
    Json j = makeRing().toJson();
    j.erase("mac");
    auto r = KeyRing::fromJson(j);
    CHECK(codeOf(r) == "corrupt_keyring");
    j["mac"] = "AAAA";
    CHECK(codeOf(KeyRing::fromJson(j)) == "corrupt_keyring");
    j["mac"] = 5;
    CHECK(codeOf(KeyRing::fromJson(j)) == "corrupt_keyring");
    j = makeRing().toJson();
    j.erase("id");
    CHECK(codeOf(KeyRing::fromJson(j)) == "corrupt_keyring");
}

TEST_CASE("every writer re-seals the key ring")
{
    auto unlocksAfterReload = [](const KeyRing& r, const QByteArray& pw) {
        KeyRing copy = reload(r);
        return codeOf(copy.unlock(pw));
    };
    KeyRing ring = makeRing(); // create
    CHECK(unlocksAfterReload(ring, kPassword).empty());
    const quint32 first = ring.activeKeyId();
    const quint32 second = *ring.rotate(); // rotate
    CHECK(unlocksAfterReload(ring, kPassword).empty());
    REQUIRE(ring.changePassword(kPassword, "pw 2").ok()); // change password
    CHECK(unlocksAfterReload(ring, "pw 2").empty());
    REQUIRE(ring.setActiveKey(first).ok()); // restore an active key
    CHECK(reload(ring).activeKeyId() == first);
    CHECK(unlocksAfterReload(ring, "pw 2").empty());
    CHECK(codeOf(ring.setActiveKey(12345)) == "invalid_argument");
    REQUIRE(ring.setActiveKey(second).ok());

    // adoptKey appends a key the ring lacks (kept on a device) and re-seals.
    const SecretBytes extra = SecretBytes::random(32);
    REQUIRE(ring.adoptKey(777, extra).ok());
    CHECK(ring.keyIds() == QList<quint32>{first, second, 777});
    CHECK(ring.activeKeyId() == second);
    KeyRing copy = reload(ring);
    REQUIRE(copy.unlock("pw 2").ok());
    CHECK(copy.unlockedKeys()->masterKey(777)->equals(extra));
    CHECK(codeOf(ring.adoptKey(777, extra)) == "invalid_argument"); // present and not stale

    // save() of a ring that was only loaded writes the MAC it was read with.
    test::TempDir dir;
    const QString path = dir.filePath(kKeyRingFile);
    REQUIRE(reload(ring).save(path).ok());
    auto loaded = KeyRing::load(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->unlock("pw 2").ok());
}

TEST_CASE("a stale key in a sealed key ring is re-wrapped by adoptKey")
{
    // docs/FORMAT.md §6: one copy changed the password, the other rotated; a device holding the
    // new password merged the key lists and sealed the result.
    KeyRing a = makeRing("old");
    KeyRing b = reload(a);
    REQUIRE(b.unlock("old").ok());
    const quint32 rotated = *b.rotate();
    const SecretBytes rotatedKey = b.unlockedKeys()->masterKey(rotated)->clone();
    REQUIRE(a.changePassword("old", "new").ok());
    Json merged = a.toJson();
    merged["keys"].push_back(b.toJson()["keys"][1]);
    merged["active_key_id"] = rotated;
    CHECK(codeOf(KeyRing::fromJson(merged)->unlock("new")) == "tampered_keyring"); // unsealed merge
    sealWith(merged, a.kek());

    KeyRing ring = KeyRing::fromJson(merged).value();
    REQUIRE(ring.unlock("new").ok());
    CHECK(ring.staleKeyIds() == QList<quint32>{rotated});
    CHECK_FALSE(ring.unlockedKeys()->contains(rotated));
    REQUIRE(ring.adoptKey(rotated, rotatedKey).ok());
    CHECK(ring.staleKeyIds().isEmpty());
    KeyRing repaired = reload(ring);
    REQUIRE(repaired.unlock("new").ok());
    CHECK(repaired.staleKeyIds().isEmpty());
    CHECK(repaired.unlockedKeys()->masterKey(rotated)->equals(rotatedKey));
    // A password change keeps a stale key as it is and still seals the ring.
    KeyRing again = KeyRing::fromJson(merged).value();
    REQUIRE(again.changePassword("new", "newer").ok());
    KeyRing afterChange = reload(again);
    REQUIRE(afterChange.unlock("newer").ok());
    CHECK(afterChange.staleKeyIds() == QList<quint32>{rotated});
}
