#include <muze/crypto/keyring.h>

#include "jsonfields.h"
#include "keyringdetail.h"

#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>

#include <sodium.h>

#include <QtEndian>

#include <algorithm>
#include <set>

namespace muze::crypto {

using namespace keyring_detail;

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
        return makeError(QStringLiteral("libsodium failed to initialise"), errc::kdf_failed);
    if (salt.size() != crypto_pwhash_SALTBYTES || !params.isAcceptable())
        return makeError(QStringLiteral("Invalid key derivation parameters"), errc::kdf_failed);
    SecretBytes kek(kKeyBytes);
    if (crypto_pwhash(kek.data(), kek.size(), password.constData(), quint64(password.size()), u8(salt),
                      params.opsLimit, std::size_t(params.memLimit), crypto_pwhash_ALG_ARGON2ID13)
        != 0)
        return makeError(QStringLiteral("Argon2id failed (not enough memory for %1 MiB?)").arg(params.memLimit >> 20),
            errc::kdf_failed);
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
        return makeError(QStringLiteral("The password must not be empty"), errc::empty_password);
    if (!params.isAcceptable())
        return makeError(QStringLiteral("Argon2id limits out of range"), errc::kdf_failed);
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

void KeyRing::reseal()
{
    if (isUnlocked())
        m_mac = computeMac(m_kek);
}

Status KeyRing::save(const QString& path) const { return writeJsonFile(path, toJson()); }

Status KeyRing::unwrapAll(const SecretBytes& kek, ErrorCode failCode, const QString& failMessage)
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
    Status s = unwrapAll(*kek, errc::wrong_password, QStringLiteral("Wrong password for this vault's key ring"));
    if (s)
        return Repair{}; // authentic: unlocked as by unlock(), nothing to repair
    if (!s.error().is(errc::tampered_keyring))
        return s.error(); // wrong_password: nothing unwraps, so nothing can be told apart from a wrong password
    auto refuse = [](const QString& why) { return makeError(why, errc::tampered_keyring); };
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
        return makeError(QStringLiteral("The key ring is locked"), errc::locked);
    const bool missing = !holdsKeyEntry(id);
    if (id == 0 || (!missing && !m_stale.contains(id)) || masterKey.size() != kKeyBytes)
        return makeError(QStringLiteral("Key %1 needs no repair").arg(id), errc::invalid_argument);
    if (missing && m_wrapped.size() >= kMaxKeys)
        return makeError(QStringLiteral("The key ring already holds %1 keys").arg(kMaxKeys), errc::corrupt_keyring);
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
        return makeError(QStringLiteral("The key ring is locked"), errc::locked);
    if (!m_master.count(id))
        return makeError(QStringLiteral("Key %1 is not an unlocked key of this ring").arg(id), errc::invalid_argument);
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
    return unwrapAll(*kek, errc::wrong_password, QStringLiteral("Wrong password for this vault's key ring"));
}

Status KeyRing::unlockWithKek(const SecretBytes& kek)
{
    if (kek.size() != kKeyBytes)
        return makeError(QStringLiteral("Invalid key-encryption key"), errc::wrong_key);
    return unwrapAll(kek, errc::wrong_key,
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
        return makeError(QStringLiteral("The new password must not be empty"), errc::empty_password);
    const KdfParams newParams = params.value_or(m_params);
    if (!newParams.isAcceptable())
        return makeError(QStringLiteral("Argon2id limits out of range"), errc::kdf_failed);
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
        return makeError(QStringLiteral("The key ring is locked"), errc::locked);
    if (m_wrapped.size() >= kMaxKeys)
        return makeError(QStringLiteral("The key ring already holds %1 keys").arg(kMaxKeys), errc::corrupt_keyring);
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
        return makeError(QStringLiteral("The key ring is locked"), errc::locked);
    UnlockedKeys keys;
    for (const auto& [id, key] : m_master)
        keys.add(id, key);
    keys.setActiveKeyId(m_active);
    return keys;
}

} // namespace muze::crypto
