#include <muze/crypto/blob.h>

#include <sodium.h>

#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <vector>

namespace muze::crypto {

namespace {

// Header field offsets (docs/FORMAT.md §3.1).
constexpr int kOffVersion = 8;
constexpr int kOffCipher = 9;
constexpr int kOffFlags = 10;
constexpr int kOffKeyId = 12;
constexpr int kOffChunkSize = 16;
constexpr int kOffPlainSize = 20;
constexpr int kOffNonce = 28;
constexpr int kOffPathTag = 60;
constexpr int kOffMac = 76;
constexpr int kNonceBytes = 32;
constexpr int kTagBytes = 16;
static_assert(kOffMac + kTagBytes == kBlobHeaderSize);

// BLAKE2b personalisations (exactly 16 bytes each).
constexpr char kPersonFileKey[17] = "muze.file.key.v1";
constexpr char kPersonAuthKey[17] = "muze.auth.key.v1";
constexpr char kPersonPathTag[17] = "muze.path.tag.v1";
constexpr char kPersonHeadTag[17] = "muze.head.tag.v1";

// How far from its position a failed chunk is searched for before calling it corrupt.
constexpr qint64 kReorderSearchWindow = 4096;

const unsigned char* u8(QByteArrayView b) { return reinterpret_cast<const unsigned char*>(b.data()); }

void blake2b(unsigned char* out, std::size_t outLen, QByteArrayView in, const unsigned char* key, std::size_t keyLen,
             const char* person)
{
    crypto_generichash_blake2b_salt_personal(out, outLen, u8(in), quint64(in.size()), key, keyLen, nullptr,
                                             reinterpret_cast<const unsigned char*>(person));
}

Error headerError(const QString& message, ErrorCode code)
{
    return makeError(message, code);
}

// The per-file keys share one secure allocation (one mmap per file, not two):
// bytes [0, 32) are the file key, [32, 64) the auth key.
constexpr std::size_t kFileKeyOffset = 0;
constexpr std::size_t kAuthKeyOffset = 32;

SecretBytes deriveFileKeys(const SecretBytes& dataKey, QByteArrayView fileNonce)
{
    SecretBytes k(64);
    blake2b(k.data() + kFileKeyOffset, 32, fileNonce, dataKey.data(), dataKey.size(), kPersonFileKey);
    blake2b(k.data() + kAuthKeyOffset, 32, fileNonce, dataKey.data(), dataKey.size(), kPersonAuthKey);
    return k;
}

QByteArray pathTag(const SecretBytes& fileKeys, const QByteArray& pathUtf8)
{
    QByteArray tag(kTagBytes, '\0');
    blake2b(reinterpret_cast<unsigned char*>(tag.data()), kTagBytes, pathUtf8, fileKeys.data() + kAuthKeyOffset, 32,
            kPersonPathTag);
    return tag;
}

QByteArray headerMac(const SecretBytes& fileKeys, QByteArrayView first76)
{
    QByteArray tag(kTagBytes, '\0');
    blake2b(reinterpret_cast<unsigned char*>(tag.data()), kTagBytes, first76, fileKeys.data() + kAuthKeyOffset, 32,
            kPersonHeadTag);
    return tag;
}

void chunkNonce(unsigned char nonce[24], qint64 index, bool last)
{
    std::memset(nonce, 0, 24);
    qToLittleEndian(quint64(index), nonce);
    nonce[8] = last ? 1 : 0;
}

QByteArray normalisedPath(const QString& relPath) { return relPath.normalized(QString::NormalizationForm_C).toUtf8(); }

} // namespace

qint64 blobChunkCount(qint64 plaintextSize, quint32 chunkSize)
{
    if (plaintextSize <= 0 || chunkSize == 0)
        return 1;
    return (plaintextSize - 1) / qint64(chunkSize) + 1;
}

qint64 blobCiphertextSize(qint64 plaintextSize, quint32 chunkSize)
{
    return kBlobHeaderSize + std::max<qint64>(plaintextSize, 0) + kChunkTagSize * blobChunkCount(plaintextSize, chunkSize);
}

Result<BlobHeader> BlobHeader::parse(QByteArrayView bytes)
{
    const QByteArrayView magic(kBlobMagic, 8);
    if (bytes.size() < kBlobHeaderSize) {
        const qsizetype n = std::min<qsizetype>(bytes.size(), 8);
        if (bytes.first(n) == magic.first(n))
            return headerError(
                QStringLiteral("The encrypted file is truncated: its header is incomplete"), errc::truncated);
        return headerError(QStringLiteral("Not a Muze encrypted file"), errc::bad_header);
    }
    if (bytes.first(8) != magic)
        return headerError(QStringLiteral("Not a Muze encrypted file"), errc::bad_header);
    const auto* p = u8(bytes);
    BlobHeader h;
    h.version = p[kOffVersion];
    h.cipher = p[kOffCipher];
    h.flags = qFromLittleEndian<quint16>(p + kOffFlags);
    h.keyId = qFromLittleEndian<quint32>(p + kOffKeyId);
    h.chunkSize = qFromLittleEndian<quint32>(p + kOffChunkSize);
    h.plaintextSize = qFromLittleEndian<quint64>(p + kOffPlainSize);
    if (h.version != kBlobVersion)
        return headerError(
            QStringLiteral("Encrypted file format version %1 is not supported (this Muze reads version %2)")
                .arg(h.version)
                .arg(kBlobVersion),
            errc::unsupported_version);
    if (h.cipher != kBlobCipherXChaCha)
        return headerError(
            QStringLiteral("Unknown cipher %1 in the encrypted file header").arg(h.cipher), errc::unsupported_version);
    if (h.flags != 0)
        return headerError(QStringLiteral("Unknown flags in the encrypted file header"), errc::bad_header);
    if (h.keyId == 0)
        return headerError(QStringLiteral("Key id 0 in the encrypted file header"), errc::bad_header);
    if (h.chunkSize < kMinChunkSize || h.chunkSize > kMaxChunkSize)
        return headerError(QStringLiteral("Chunk size %1 out of range in the encrypted file header").arg(h.chunkSize),
            errc::bad_header);
    if (h.plaintextSize > kMaxPlaintextSize)
        return headerError(QStringLiteral("Impossible file size in the encrypted file header"), errc::bad_header);
    h.fileNonce = bytes.sliced(kOffNonce, kNonceBytes).toByteArray();
    h.pathTag = bytes.sliced(kOffPathTag, kTagBytes).toByteArray();
    h.mac = bytes.sliced(kOffMac, kTagBytes).toByteArray();
    h.raw = bytes.first(kBlobHeaderSize).toByteArray();
    return h;
}

Result<BlobCodec> BlobCodec::create(const UnlockedKeys& keys, const QString& relPath, qint64 plaintextSize,
                                    quint32 chunkSize, std::optional<quint32> keyId)
{
    ensureSodium();
    const quint32 id = keyId.value_or(keys.activeKeyId());
    const SecretBytes* dataKey = keys.dataKey(id);
    if (!dataKey || id == 0)
        return makeError(
            QStringLiteral("No key %1 to encrypt with (the vault is locked or its key ring changed)").arg(id),
            errc::unknown_key);
    if (chunkSize < kMinChunkSize || chunkSize > kMaxChunkSize)
        return makeError(QStringLiteral("Chunk size %1 out of range").arg(chunkSize), errc::invalid_argument);
    if (plaintextSize < 0 || quint64(plaintextSize) > kMaxPlaintextSize)
        return makeError(QStringLiteral("File size %1 out of range").arg(plaintextSize), errc::invalid_argument);

    BlobCodec c;
    c.m_path = relPath;
    c.m_header.keyId = id;
    c.m_header.chunkSize = chunkSize;
    c.m_header.plaintextSize = quint64(plaintextSize);
    c.m_header.fileNonce.resize(kNonceBytes);
    randombytes_buf(c.m_header.fileNonce.data(), kNonceBytes);
    SecretBytes k = deriveFileKeys(*dataKey, c.m_header.fileNonce);
    c.m_header.pathTag = pathTag(k, normalisedPath(relPath));

    QByteArray raw(kBlobHeaderSize, '\0');
    auto* p = reinterpret_cast<unsigned char*>(raw.data());
    std::memcpy(p, kBlobMagic, 8);
    p[kOffVersion] = kBlobVersion;
    p[kOffCipher] = kBlobCipherXChaCha;
    qToLittleEndian<quint16>(0, p + kOffFlags);
    qToLittleEndian<quint32>(id, p + kOffKeyId);
    qToLittleEndian<quint32>(chunkSize, p + kOffChunkSize);
    qToLittleEndian<quint64>(quint64(plaintextSize), p + kOffPlainSize);
    std::memcpy(p + kOffNonce, c.m_header.fileNonce.constData(), kNonceBytes);
    std::memcpy(p + kOffPathTag, c.m_header.pathTag.constData(), kTagBytes);
    c.m_header.mac = headerMac(k, QByteArrayView(raw).first(kOffMac));
    std::memcpy(p + kOffMac, c.m_header.mac.constData(), kTagBytes);
    c.m_header.raw = raw;
    c.m_fileKeys = std::move(k);
    c.m_ad = raw + normalisedPath(relPath);
    return c;
}

Result<BlobCodec> BlobCodec::open(const UnlockedKeys& keys, const QString& relPath, QByteArrayView header)
{
    ensureSodium();
    auto parsed = BlobHeader::parse(header);
    if (!parsed)
        return parsed.error();
    const SecretBytes* dataKey = keys.dataKey(parsed->keyId);
    if (!dataKey)
        return makeError(
            QStringLiteral("%1 is encrypted with key %2, which this device does not have (unlock the vault "
                           "again to fetch newer keys)")
                .arg(relPath)
                .arg(parsed->keyId),
            errc::unknown_key);
    SecretBytes k = deriveFileKeys(*dataKey, parsed->fileNonce);
    const QByteArray mac = headerMac(k, QByteArrayView(parsed->raw).first(kOffMac));
    if (sodium_memcmp(mac.constData(), parsed->mac.constData(), kTagBytes) != 0)
        return makeError(
            QStringLiteral("%1: the encrypted file's header does not authenticate: wrong key, or the header "
                           "was modified")
                .arg(relPath),
            errc::wrong_key);
    const QByteArray path = normalisedPath(relPath);
    const QByteArray tag = pathTag(k, path);
    if (sodium_memcmp(tag.constData(), parsed->pathTag.constData(), kTagBytes) != 0)
        return makeError(
            QStringLiteral("The encrypted file given for %1 belongs to another path: it was moved or swapped")
                .arg(relPath),
            errc::wrong_path);
    BlobCodec c;
    c.m_path = relPath;
    c.m_header = std::move(parsed.value());
    c.m_fileKeys = std::move(k);
    c.m_ad = c.m_header.raw + path;
    return c;
}

qint64 BlobCodec::chunkPlainSize(qint64 index) const
{
    const qint64 n = chunkCount();
    if (index < 0 || index >= n)
        return 0;
    if (index < n - 1)
        return qint64(m_header.chunkSize);
    return plaintextSize() - (n - 1) * qint64(m_header.chunkSize);
}

qint64 BlobCodec::chunkCipherOffset(qint64 index) const
{
    return kBlobHeaderSize + index * (qint64(m_header.chunkSize) + kChunkTagSize);
}

void BlobCodec::encryptChunk(qint64 index, const unsigned char* plain, unsigned char* out) const
{
    unsigned char nonce[24];
    chunkNonce(nonce, index, index == chunkCount() - 1);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out, nullptr, plain, quint64(chunkPlainSize(index)), u8(m_ad),
                                               quint64(m_ad.size()), nullptr, nonce, m_fileKeys.data() + kFileKeyOffset);
}

bool BlobCodec::tryDecrypt(qint64 index, bool last, const unsigned char* cipher, qint64 cipherLen, unsigned char* out) const
{
    unsigned char nonce[24];
    chunkNonce(nonce, index, last);
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, nullptr, nullptr, cipher, quint64(cipherLen), u8(m_ad),
                                                      quint64(m_ad.size()), nonce, m_fileKeys.data() + kFileKeyOffset)
        == 0;
}

Status BlobCodec::decryptChunk(qint64 index, const unsigned char* cipher, qint64 cipherLen, unsigned char* out) const
{
    const qint64 n = chunkCount();
    if (index < 0 || index >= n || cipherLen != chunkCipherSize(index))
        return makeError(QStringLiteral("%1: chunk %2 has the wrong size").arg(m_path).arg(index), errc::truncated);
    if (tryDecrypt(index, index == n - 1, cipher, cipherLen, out))
        return {};
    // Failure path only: is it a chunk of this file stored at the wrong position?
    std::vector<unsigned char> scratch(std::size_t(cipherLen - kChunkTagSize) + 1);
    const qint64 from = std::max<qint64>(0, index - kReorderSearchWindow);
    const qint64 to = std::min<qint64>(n, index + kReorderSearchWindow + 1);
    for (qint64 j = from; j < to; ++j) {
        if (j == index || chunkCipherSize(j) != cipherLen)
            continue;
        if (tryDecrypt(j, j == n - 1, cipher, cipherLen, scratch.data()))
            return makeError(QStringLiteral("%1: chunk %2 of %3 holds chunk %4: the chunks were reordered")
                                 .arg(m_path)
                                 .arg(index)
                                 .arg(n)
                                 .arg(j),
                errc::chunk_reordered);
    }
    sodium_memzero(out, std::size_t(chunkPlainSize(index)));
    return makeError(
        QStringLiteral("%1: chunk %2 of %3 does not authenticate: it was modified, or comes from another file")
            .arg(m_path)
            .arg(index)
            .arg(n),
        errc::chunk_corrupt);
}

} // namespace muze::crypto
