#include <muze/crypto/keyring.h>

#include "jsonfields.h"

#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>

#include <sodium.h>

#include <QtEndian>

#include <algorithm>
#include <set>

namespace muze::crypto {

namespace {

constexpr char kKdfAlgorithm[] = "argon2id13";
constexpr char kWrapAlgorithm[] = "xchacha20poly1305-ietf";
constexpr char kKind[] = "muze.keyring";
constexpr char kWrapAdPrefix[] = "muze-keyring-v1"; // AD = prefix || LE32(key id)
constexpr std::size_t kMaxKeys = 1024;
// Key ring MAC (docs/FORMAT.md §1.1): BLAKE2b personalisations, exactly 16 bytes each.
constexpr char kPersonMacKey[17] = "muze.ring.key.v1";
constexpr char kPersonMac[17] = "muze.ring.mac.v1";
constexpr qsizetype kMacBytes = 32;

static_assert(crypto_pwhash_SALTBYTES == 16);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == 16);

QByteArray wrapAd(quint32 id)
{
    QByteArray ad(kWrapAdPrefix, qsizetype(sizeof(kWrapAdPrefix) - 1));
    char le[4];
    qToLittleEndian(id, le);
    ad.append(le, 4);
    return ad;
}

void appendLe32(QByteArray& out, quint32 v)
{
    char le[4];
    qToLittleEndian(v, le);
    out.append(le, 4);
}

void appendLe64(QByteArray& out, quint64 v)
{
    char le[8];
    qToLittleEndian(v, le);
    out.append(le, 8);
}

// A variable-length field of the MAC message: LE32(byte length) || bytes.
void appendField(QByteArray& out, QByteArrayView bytes)
{
    appendLe32(out, quint32(bytes.size()));
    out.append(bytes);
}

Error tampered()
{
    return makeError(QStringLiteral("The key ring was modified by someone without the vault password (its MAC does not "
                                    "match); it was not used. Run muze-cli keys unlock on a device where this vault was unlocked before."),
                     QStringLiteral("tampered_keyring"));
}

Error corrupt(const QString& why)
{
    return makeError(QStringLiteral("The key ring is damaged: %1").arg(why), QStringLiteral("corrupt_keyring"));
}

const unsigned char* u8(const QByteArray& b) { return reinterpret_cast<const unsigned char*>(b.constData()); }

} // namespace

KdfParams KdfParams::moderate()
{
    return {crypto_pwhash_argon2id_OPSLIMIT_MODERATE, crypto_pwhash_argon2id_MEMLIMIT_MODERATE};
}

KdfParams KdfParams::interactive()
{
    return {crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE};
}

KdfParams KdfParams::minimum()
{
    return {crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN};
}

bool KdfParams::isAcceptable() const
{
    return opsLimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN && opsLimit <= 16
        && memLimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN && memLimit <= crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
}

Result<SecretBytes> KeyRing::deriveKek(const QByteArray& password, const QByteArray& salt, const KdfParams& params)
{
    if (!ensureSodium())
        return makeError(QStringLiteral("libsodium failed to initialise"), QStringLiteral("kdf_failed"));
    if (salt.size() != crypto_pwhash_SALTBYTES || !params.isAcceptable())
        return makeError(QStringLiteral("Invalid key derivation parameters"), QStringLiteral("kdf_failed"));
    SecretBytes kek(kKeyBytes);
    if (crypto_pwhash(kek.data(), kek.size(), password.constData(), quint64(password.size()), u8(salt),
                      params.opsLimit, std::size_t(params.memLimit), crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return makeError(QStringLiteral("Argon2id failed (not enough memory for %1 MiB?)").arg(params.memLimit >> 20),
                         QStringLiteral("kdf_failed"));
    return kek;
}

KeyRing::Wrapped KeyRing::wrap(const SecretBytes& kek, quint32 id, const SecretBytes& masterKey, const QString& createdAt)
{
    Wrapped w;
    w.id = id;
    w.createdAt = createdAt;
    w.nonce.resize(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    randombytes_buf(w.nonce.data(), std::size_t(w.nonce.size()));
    w.ciphertext.resize(qsizetype(kKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES));
    const QByteArray ad = wrapAd(id);
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(w.ciphertext.data()), nullptr,
                                               masterKey.data(), masterKey.size(), u8(ad), quint64(ad.size()),
                                               nullptr, u8(w.nonce), kek.data());
    return w;
}

quint32 KeyRing::newKeyId() const
{
    for (;;) {
        const quint32 id = randombytes_uniform(0xFFFFFFFFu) + 1; // 1 .. 2^32-1
        bool taken = false;
        for (const Wrapped& w : m_wrapped)
            taken = taken || w.id == id;
        if (!taken)
            return id;
    }
}

Result<KeyRing> KeyRing::create(const QByteArray& password, const KdfParams& params)
{
    if (password.isEmpty())
        return makeError(QStringLiteral("The password must not be empty"), QStringLiteral("empty_password"));
    if (!params.isAcceptable())
        return makeError(QStringLiteral("Argon2id limits out of range"), QStringLiteral("kdf_failed"));
    ensureSodium();
    KeyRing ring;
    ring.m_id = newId();
    ring.m_createdAt = ring.m_modifiedAt = nowIso();
    ring.m_params = params;
    ring.m_salt.resize(crypto_pwhash_SALTBYTES);
    randombytes_buf(ring.m_salt.data(), std::size_t(ring.m_salt.size()));
    auto kek = deriveKek(password, ring.m_salt, params);
    if (!kek)
        return kek.error();
    ring.m_kek = std::move(kek.value());
    const quint32 id = ring.newKeyId();
    SecretBytes master = SecretBytes::random(kKeyBytes);
    ring.m_wrapped.push_back(wrap(ring.m_kek, id, master, ring.m_createdAt));
    ring.m_master.emplace(id, std::move(master));
    ring.m_active = id;
    ring.reseal();
    return ring;
}

Result<KeyRing> KeyRing::fromJson(const Json& json)
{
    if (!json.is_object())
        return corrupt(QStringLiteral("not a JSON object"));
    const auto format = fields::unsignedField(json, "format");
    if (!format)
        return corrupt(QStringLiteral("no format version"));
    if (*format != quint64(kKeyRingFormat))
        return makeError(QStringLiteral("The key ring has format %1; this Muze reads format %2").arg(*format).arg(kKeyRingFormat),
                         QStringLiteral("unsupported_version"));
    if (fields::stringField(json, "kind") != QLatin1String(kKind))
        return corrupt(QStringLiteral("\"kind\" is not \"%1\"").arg(QLatin1String(kKind)));

    KeyRing ring;
    ring.m_extra = json;
    if (const auto id = json.find("id"); id == json.end() || !id->is_string())
        return corrupt(QStringLiteral("no \"id\""));
    ring.m_id = fields::stringField(json, "id");
    ring.m_createdAt = fields::stringField(json, "created_at");
    ring.m_modifiedAt = fields::stringField(json, "modified_at");

    const auto kdf = json.find("kdf");
    if (kdf == json.end() || !kdf->is_object())
        return corrupt(QStringLiteral("no \"kdf\" object"));
    if (fields::stringField(*kdf, "algorithm") != QLatin1String(kKdfAlgorithm))
        return makeError(QStringLiteral("The key ring uses an unknown password hash"), QStringLiteral("unsupported_version"));
    const auto ops = fields::unsignedField(*kdf, "opslimit");
    const auto mem = fields::unsignedField(*kdf, "memlimit");
    const auto salt = fields::base64Field(*kdf, "salt");
    if (!ops || !mem || !salt || salt->size() != crypto_pwhash_SALTBYTES)
        return corrupt(QStringLiteral("bad \"kdf\" parameters"));
    ring.m_params = {*ops, *mem};
    if (!ring.m_params.isAcceptable())
        return corrupt(QStringLiteral("Argon2id limits out of range (opslimit %1, memlimit %2)").arg(*ops).arg(*mem));
    ring.m_salt = *salt;

    const auto keys = json.find("keys");
    if (keys == json.end() || !keys->is_array() || keys->empty() || keys->size() > kMaxKeys)
        return corrupt(QStringLiteral("no \"keys\" list"));
    std::set<quint32> seen;
    for (const Json& k : *keys) {
        if (!k.is_object())
            return corrupt(QStringLiteral("a key entry is not an object"));
        const auto id = fields::unsignedField(k, "id");
        const auto nonce = fields::base64Field(k, "nonce");
        const auto wrapped = fields::base64Field(k, "wrapped_key");
        if (!id || *id == 0 || *id > 0xFFFFFFFFull || !seen.insert(quint32(*id)).second)
            return corrupt(QStringLiteral("a key id is missing, out of range or repeated"));
        if (fields::stringField(k, "algorithm") != QLatin1String(kWrapAlgorithm) || !nonce
            || nonce->size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES || !wrapped
            || wrapped->size() != qsizetype(kKeyBytes + crypto_aead_xchacha20poly1305_ietf_ABYTES))
            return corrupt(QStringLiteral("key %1 is malformed").arg(*id));
        Wrapped w;
        w.id = quint32(*id);
        w.createdAt = fields::stringField(k, "created_at");
        w.nonce = *nonce;
        w.ciphertext = *wrapped;
        w.extra = k;
        ring.m_wrapped.push_back(std::move(w));
    }
    const auto active = fields::unsignedField(json, "active_key_id");
    if (!active || *active > 0xFFFFFFFFull || !seen.count(quint32(*active)))
        return corrupt(QStringLiteral("\"active_key_id\" names no key"));
    ring.m_active = quint32(*active);
    // No MAC, no key ring: a reader that accepted an unauthenticated ring would let anyone
    // strip the MAC and edit the rest (a downgrade). Checked against the KEK by unlock().
    const auto mac = fields::base64Field(json, "mac");
    if (!mac || mac->size() != kMacBytes)
        return corrupt(QStringLiteral("no \"mac\" (every key ring is authenticated)"));
    ring.m_mac = *mac;
    return ring;
}

Result<KeyRing> KeyRing::load(const QString& path)
{
    auto json = readJsonObjectFile(path);
    if (!json)
        return json.error();
    auto ring = fromJson(*json);
    if (!ring)
        return makeError(QStringLiteral("%1 (%2)").arg(ring.error().message, path), ring.error().code);
    return ring;
}

Json KeyRing::toJson() const
{
    Json j = m_extra.is_object() ? m_extra : Json::object();
    j["format"] = kKeyRingFormat;
    j["kind"] = kKind;
    j["id"] = toStd(m_id);
    j["created_at"] = toStd(m_createdAt);
    j["modified_at"] = toStd(m_modifiedAt);
    Json kdf = j.contains("kdf") && j["kdf"].is_object() ? j["kdf"] : Json::object();
    kdf["algorithm"] = kKdfAlgorithm;
    kdf["opslimit"] = m_params.opsLimit;
    kdf["memlimit"] = m_params.memLimit;
    kdf["salt"] = m_salt.toBase64().toStdString();
    j["kdf"] = kdf;
    j["active_key_id"] = m_active;
    Json keys = Json::array();
    for (const Wrapped& w : m_wrapped) {
        Json k = w.extra.is_object() ? w.extra : Json::object();
        k["id"] = w.id;
        k["created_at"] = toStd(w.createdAt);
        k["algorithm"] = kWrapAlgorithm;
        k["nonce"] = w.nonce.toBase64().toStdString();
        k["wrapped_key"] = w.ciphertext.toBase64().toStdString();
        keys.push_back(std::move(k));
    }
    j["keys"] = std::move(keys);
    // Unlocked means authenticated (or made here): seal what is written. A locked ring writes
    // back the MAC it was read with, which still matches as nothing in it could change.
    j["mac"] = (isUnlocked() ? computeMac(m_kek) : m_mac).toBase64().toStdString();
    return j;
}

QByteArray KeyRing::macMessage() const
{
    QByteArray m;
    appendLe32(m, quint32(kKeyRingFormat));
    appendField(m, QByteArrayView(kKind));
    appendField(m, m_id.toUtf8());
    appendField(m, QByteArrayView(kKdfAlgorithm));
    appendLe64(m, m_params.opsLimit);
    appendLe64(m, m_params.memLimit);
    appendField(m, m_salt);
    appendLe32(m, m_active);
    appendLe32(m, quint32(m_wrapped.size()));
    for (const Wrapped& w : m_wrapped) { // file order: reordering the list is a change too
        appendLe32(m, w.id);
        appendField(m, QByteArrayView(kWrapAlgorithm));
        appendField(m, w.nonce);
        appendField(m, w.ciphertext);
    }
    return m;
}

QByteArray KeyRing::computeMac(const SecretBytes& kek) const
{
    // A key of its own for the MAC, so the KEK itself only ever keys XChaCha20-Poly1305.
    SecretBytes macKey(kKeyBytes);
    crypto_generichash_blake2b_salt_personal(macKey.data(), macKey.size(), nullptr, 0, kek.data(), kek.size(), nullptr,
                                             reinterpret_cast<const unsigned char*>(kPersonMacKey));
    const QByteArray message = macMessage();
    QByteArray mac(kMacBytes, '\0');
    crypto_generichash_blake2b_salt_personal(reinterpret_cast<unsigned char*>(mac.data()), std::size_t(mac.size()),
                                             u8(message), quint64(message.size()), macKey.data(), macKey.size(), nullptr,
                                             reinterpret_cast<const unsigned char*>(kPersonMac));
    return mac;
}

void KeyRing::reseal()
{
    if (isUnlocked())
        m_mac = computeMac(m_kek);
}

Status KeyRing::save(const QString& path) const { return writeJsonFile(path, toJson()); }

Status KeyRing::unwrapAll(const SecretBytes& kek, const QString& failCode, const QString& failMessage)
{
    // The MAC first (docs/FORMAT.md §1.1): nothing in the file is used before it authenticates.
    // A mismatch alone cannot tell a wrong password from an edited file, so the keys are still
    // tried, only to pick the error; whatever unwrapped is then wiped unused.
    const QByteArray expected = computeMac(kek);
    const bool authentic = m_mac.size() == kMacBytes
        && sodium_memcmp(expected.constData(), m_mac.constData(), std::size_t(kMacBytes)) == 0;
    std::map<quint32, SecretBytes> keys;
    QList<quint32> failed;
    for (const Wrapped& w : m_wrapped) {
        SecretBytes key(kKeyBytes);
        const QByteArray ad = wrapAd(w.id);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(key.data(), nullptr, nullptr, u8(w.ciphertext),
                                                       quint64(w.ciphertext.size()), u8(ad), quint64(ad.size()),
                                                       u8(w.nonce), kek.data())
            != 0) {
            failed.append(w.id);
            continue;
        }
        keys.emplace(w.id, std::move(key));
    }
    if (keys.empty())
        return makeError(failMessage, failCode);
    if (!authentic) {
        qCWarning(lcCrypto) << "key ring" << m_id << "fails its MAC: refused";
        return tampered();
    }
    if (!failed.isEmpty()) // see docs/FORMAT.md §6: a password change and a rotation crossed
        qCWarning(lcCrypto) << "key ring" << m_id << ":" << failed.size() << "key(s) do not open with this password";
    m_kek = kek.clone();
    m_master = std::move(keys);
    m_stale = failed;
    return {};
}

Result<KeyRing::Repair> KeyRing::repair(const QByteArray& password, const UnlockedKeys& kept)
{
    auto kek = deriveKek(password, m_salt, m_params);
    if (!kek)
        return kek.error();
    Status s = unwrapAll(*kek, QStringLiteral("wrong_password"), QStringLiteral("Wrong password for this vault's key ring"));
    if (s)
        return Repair{}; // authentic: unlocked as by unlock(), nothing to repair
    if (s.error().code != QLatin1String("tampered_keyring"))
        return s.error(); // wrong_password: nothing unwraps, so nothing can be told apart from a wrong password
    auto refuse = [](const QString& why) { return makeError(why, QStringLiteral("tampered_keyring")); };
    if (kept.isEmpty() || !kept.contains(kept.activeKeyId()))
        return refuse(QStringLiteral("this device holds no keys of this vault to repair it from"));

    // Only what authenticates is used: an entry is kept when its AEAD opens under the password's
    // KEK (AD binds its id), so it is a genuine key of this vault. The file's active_key_id, key
    // order and every entry that does not open are unauthenticated and not used.
    std::vector<Wrapped> entries;
    std::map<quint32, SecretBytes> keys;
    Repair out;
    out.repaired = true;
    for (const Wrapped& w : m_wrapped) {
        SecretBytes key(kKeyBytes);
        const QByteArray ad = wrapAd(w.id);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(key.data(), nullptr, nullptr, u8(w.ciphertext),
                                                       quint64(w.ciphertext.size()), u8(ad), quint64(ad.size()),
                                                       u8(w.nonce), kek->data())
            != 0) {
            out.dropped.append(w.id);
            continue;
        }
        const SecretBytes* mine = kept.masterKey(w.id);
        // The active key is this device's, which is only sound when the device has seen every
        // key of the ring: a genuine key it never held may be a newer rotation.
        if (!mine)
            return refuse(QStringLiteral("it holds key %1, which this device never held, so this device cannot tell "
                                         "which key is the newest")
                              .arg(w.id));
        if (!mine->equals(key))
            return refuse(QStringLiteral("key %1 differs from the one this device keeps").arg(w.id));
        entries.push_back(w);
        keys.emplace(w.id, std::move(key));
    }
    for (quint32 id : kept.keyIds()) {
        if (!keys.count(id))
            out.restored.append(id);
    }
    if (entries.size() + std::size_t(out.restored.size()) > kMaxKeys)
        return refuse(QStringLiteral("it would hold more than %1 keys").arg(kMaxKeys));

    m_modifiedAt = nowIso();
    for (quint32 id : out.restored) {
        entries.push_back(wrap(*kek, id, *kept.masterKey(id), m_modifiedAt));
        keys.emplace(id, kept.masterKey(id)->clone());
    }
    m_wrapped = std::move(entries);
    m_master = std::move(keys);
    m_stale.clear();
    m_active = kept.activeKeyId();
    m_kek = std::move(kek.value());
    reseal();
    qCWarning(lcCrypto) << "key ring" << m_id << "failed its MAC and was repaired with the password: dropped"
                        << out.dropped << "restored" << out.restored << "active key" << m_active;
    return out;
}

Status KeyRing::adoptKey(quint32 id, const SecretBytes& masterKey)
{
    if (!isUnlocked())
        return makeError(QStringLiteral("The key ring is locked"), QStringLiteral("locked"));
    const bool missing = !holdsKeyEntry(id);
    if (id == 0 || (!missing && !m_stale.contains(id)) || masterKey.size() != kKeyBytes)
        return makeError(QStringLiteral("Key %1 needs no repair").arg(id), QStringLiteral("invalid_argument"));
    if (missing && m_wrapped.size() >= kMaxKeys)
        return makeError(QStringLiteral("The key ring already holds %1 keys").arg(kMaxKeys), QStringLiteral("corrupt_keyring"));
    m_modifiedAt = nowIso();
    if (missing) {
        m_wrapped.push_back(wrap(m_kek, id, masterKey, m_modifiedAt));
    } else {
        for (Wrapped& w : m_wrapped) {
            if (w.id != id)
                continue;
            Wrapped fresh = wrap(m_kek, id, masterKey, w.createdAt);
            fresh.extra = w.extra;
            w = std::move(fresh);
        }
    }
    m_master.insert_or_assign(id, masterKey.clone());
    m_stale.removeAll(id);
    reseal();
    return {};
}

Status KeyRing::setActiveKey(quint32 id)
{
    if (!isUnlocked())
        return makeError(QStringLiteral("The key ring is locked"), QStringLiteral("locked"));
    if (!m_master.count(id))
        return makeError(QStringLiteral("Key %1 is not an unlocked key of this ring").arg(id), QStringLiteral("invalid_argument"));
    if (m_active != id) {
        m_active = id;
        m_modifiedAt = nowIso();
        reseal();
    }
    return {};
}

bool KeyRing::holdsKeyEntry(quint32 id) const
{
    return std::any_of(m_wrapped.begin(), m_wrapped.end(), [id](const Wrapped& w) { return w.id == id; });
}

Status KeyRing::unlock(const QByteArray& password)
{
    auto kek = deriveKek(password, m_salt, m_params);
    if (!kek)
        return kek.error();
    return unwrapAll(*kek, QStringLiteral("wrong_password"), QStringLiteral("Wrong password for this vault's key ring"));
}

Status KeyRing::unlockWithKek(const SecretBytes& kek)
{
    if (kek.size() != kKeyBytes)
        return makeError(QStringLiteral("Invalid key-encryption key"), QStringLiteral("wrong_key"));
    return unwrapAll(kek, QStringLiteral("wrong_key"),
                     QStringLiteral("The stored key does not open this key ring (its password was changed elsewhere)"));
}

void KeyRing::lock()
{
    m_kek = SecretBytes();
    m_master.clear();
    m_stale.clear();
}

Status KeyRing::changePassword(const QByteArray& oldPassword, const QByteArray& newPassword, std::optional<KdfParams> params)
{
    if (newPassword.isEmpty())
        return makeError(QStringLiteral("The new password must not be empty"), QStringLiteral("empty_password"));
    const KdfParams newParams = params.value_or(m_params);
    if (!newParams.isAcceptable())
        return makeError(QStringLiteral("Argon2id limits out of range"), QStringLiteral("kdf_failed"));
    if (Status s = unlock(oldPassword); !s)
        return s;
    QByteArray salt(crypto_pwhash_SALTBYTES, '\0');
    randombytes_buf(salt.data(), std::size_t(salt.size()));
    auto kek = deriveKek(newPassword, salt, newParams);
    if (!kek)
        return kek.error();
    std::vector<Wrapped> rewrapped;
    for (const Wrapped& old : m_wrapped) {
        const auto master = m_master.find(old.id);
        if (master == m_master.end()) { // a stale key: it stays as it was (docs/FORMAT.md §6)
            rewrapped.push_back(old);
            continue;
        }
        Wrapped w = wrap(*kek, old.id, master->second, old.createdAt);
        w.extra = old.extra;
        rewrapped.push_back(std::move(w));
    }
    m_wrapped = std::move(rewrapped);
    m_salt = salt;
    m_params = newParams;
    m_kek = std::move(kek.value());
    m_modifiedAt = nowIso();
    reseal();
    qCDebug(lcCrypto) << "key ring" << m_id << "re-wrapped under a new password";
    return {};
}

Result<quint32> KeyRing::rotate()
{
    if (!isUnlocked())
        return makeError(QStringLiteral("The key ring is locked"), QStringLiteral("locked"));
    if (m_wrapped.size() >= kMaxKeys)
        return makeError(QStringLiteral("The key ring already holds %1 keys").arg(kMaxKeys), QStringLiteral("corrupt_keyring"));
    const quint32 id = newKeyId();
    SecretBytes master = SecretBytes::random(kKeyBytes);
    m_modifiedAt = nowIso();
    m_wrapped.push_back(wrap(m_kek, id, master, m_modifiedAt));
    m_master.insert_or_assign(id, std::move(master));
    m_active = id;
    reseal();
    qCDebug(lcCrypto) << "key ring" << m_id << "rotated to key" << id;
    return id;
}

QList<quint32> KeyRing::keyIds() const
{
    QList<quint32> ids;
    for (const Wrapped& w : m_wrapped)
        ids.append(w.id);
    return ids;
}

Result<UnlockedKeys> KeyRing::unlockedKeys() const
{
    if (!isUnlocked())
        return makeError(QStringLiteral("The key ring is locked"), QStringLiteral("locked"));
    UnlockedKeys keys;
    for (const auto& [id, key] : m_master)
        keys.add(id, key);
    keys.setActiveKeyId(m_active);
    return keys;
}

} // namespace muze::crypto
