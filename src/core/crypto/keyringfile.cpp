// The key ring's file form: JSON in and out, and the MAC over it (docs/FORMAT.md §1).
#include <muze/crypto/keyring.h>

#include "jsonfields.h"
#include "keyringdetail.h"

#include <muze/util/fileio.h>

#include <sodium.h>

#include <set>

namespace muze::crypto {

using namespace keyring_detail;

Result<KeyRing> KeyRing::fromJson(const Json& json)
{
    if (!json.is_object())
        return corrupt(QStringLiteral("not a JSON object"));
    const auto format = fields::unsignedField(json, "format");
    if (!format)
        return corrupt(QStringLiteral("no format version"));
    if (*format != quint64(kKeyRingFormat))
        return makeError(
            QStringLiteral("The key ring has format %1; this Muze reads format %2").arg(*format).arg(kKeyRingFormat),
            errc::unsupported_version);
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
        return makeError(QStringLiteral("The key ring uses an unknown password hash"), errc::unsupported_version);
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

} // namespace muze::crypto
