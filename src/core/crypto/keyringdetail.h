#pragma once
// Private to keyring*.cpp: the key ring's constants and the little-endian helpers its MAC
// message is built with (docs/FORMAT.md §1).

#include <muze/util/result.h>

#include <sodium.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtEndian>

#include <cstddef>

namespace muze::crypto::keyring_detail {

inline constexpr char kKdfAlgorithm[] = "argon2id13";
inline constexpr char kWrapAlgorithm[] = "xchacha20poly1305-ietf";
inline constexpr char kKind[] = "muze.keyring";
inline constexpr char kWrapAdPrefix[] = "muze-keyring-v1"; // AD = prefix || LE32(key id)
inline constexpr std::size_t kMaxKeys = 1024;
// Key ring MAC (docs/FORMAT.md §1.1): BLAKE2b personalisations, exactly 16 bytes each.
inline constexpr char kPersonMacKey[17] = "muze.ring.key.v1";
inline constexpr char kPersonMac[17] = "muze.ring.mac.v1";
inline constexpr qsizetype kMacBytes = 32;

static_assert(crypto_pwhash_SALTBYTES == 16);
static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == 24);
static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == 16);

inline QByteArray wrapAd(quint32 id)
{
    QByteArray ad(kWrapAdPrefix, qsizetype(sizeof(kWrapAdPrefix) - 1));
    char le[4];
    qToLittleEndian(id, le);
    ad.append(le, 4);
    return ad;
}

inline void appendLe32(QByteArray& out, quint32 v)
{
    char le[4];
    qToLittleEndian(v, le);
    out.append(le, 4);
}

inline void appendLe64(QByteArray& out, quint64 v)
{
    char le[8];
    qToLittleEndian(v, le);
    out.append(le, 8);
}

// A variable-length field of the MAC message: LE32(byte length) || bytes.
inline void appendField(QByteArray& out, QByteArrayView bytes)
{
    appendLe32(out, quint32(bytes.size()));
    out.append(bytes);
}

inline Error tampered()
{
    return makeError(
        QStringLiteral(
            "The key ring was modified by someone without the vault password (its MAC does not "
            "match); it was not used. Run muze-cli keys unlock on a device where this vault was unlocked before."),
        errc::tampered_keyring);
}

inline Error corrupt(const QString& why)
{
    return makeError(QStringLiteral("The key ring is damaged: %1").arg(why), errc::corrupt_keyring);
}

inline const unsigned char* u8(const QByteArray& b) { return reinterpret_cast<const unsigned char*>(b.constData()); }

} // namespace muze::crypto::keyring_detail
