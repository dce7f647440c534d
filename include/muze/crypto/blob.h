#pragma once
// The encrypted file ("blob") format, one level below FileCipher: the fixed 92-byte header and
// the per-chunk AEAD (docs/FORMAT.md §3). FileCipher streams whole files with it; sync code
// may use BlobCodec directly for resumable, chunk-at-a-time transfers.
//
//   header (92 bytes) | chunk 0 | chunk 1 | ... | chunk N-1
//   chunk i = XChaCha20-Poly1305-IETF(file key, nonce(i, last), AD = header || path) : plain + 16
//
// Error codes: bad_header, unsupported_version, truncated, unknown_key, wrong_key, wrong_path,
// chunk_reordered, chunk_corrupt.
// Threading: a BlobCodec is immutable after create()/open(); its const members may run on many
// threads at once (one chunk each). Move-only: it owns the per-file keys.

#include <muze/crypto/secretbytes.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <optional>

namespace muze::crypto {

inline constexpr char kBlobMagic[9] = "MUZE-ENC"; // 8 bytes on disk, no NUL
constexpr quint8 kBlobVersion = 1;
constexpr quint8 kBlobCipherXChaCha = 1;
constexpr qint64 kBlobHeaderSize = 92;
constexpr qint64 kChunkTagSize = 16;
constexpr quint32 kDefaultChunkSize = 64 * 1024;
constexpr quint32 kMinChunkSize = 64;
constexpr quint32 kMaxChunkSize = 16 * 1024 * 1024;
constexpr quint64 kMaxPlaintextSize = quint64(1) << 62;

/// Number of chunks of a file of `plaintextSize` bytes (an empty file still has one).
qint64 blobChunkCount(qint64 plaintextSize, quint32 chunkSize = kDefaultChunkSize);
/// Exact size of the encrypted file: header + plaintext + 16 bytes per chunk.
qint64 blobCiphertextSize(qint64 plaintextSize, quint32 chunkSize = kDefaultChunkSize);

/// The parsed header. parse() checks structure only; BlobCodec::open() authenticates it.
struct BlobHeader {
    quint8 version = kBlobVersion;
    quint8 cipher = kBlobCipherXChaCha;
    quint16 flags = 0;
    quint32 keyId = 0;
    quint32 chunkSize = kDefaultChunkSize;
    quint64 plaintextSize = 0;
    QByteArray fileNonce; // 32 bytes
    QByteArray pathTag;   // 16 bytes
    QByteArray mac;       // 16 bytes
    QByteArray raw;       // the 92 bytes as stored

    static Result<BlobHeader> parse(QByteArrayView bytes);
    qint64 chunkCount() const { return blobChunkCount(qint64(plaintextSize), chunkSize); }
    qint64 ciphertextSize() const { return blobCiphertextSize(qint64(plaintextSize), chunkSize); }
};

class BlobCodec {
public:
    /// A new file for `relPath` (vault-relative, '/'-separated; NFC-normalised here) of exactly
    /// `plaintextSize` bytes, under key `keyId` (default: the active key), with a random nonce.
    static Result<BlobCodec> create(const UnlockedKeys& keys, const QString& relPath, qint64 plaintextSize,
                                    quint32 chunkSize = kDefaultChunkSize, std::optional<quint32> keyId = std::nullopt);
    /// An existing file: parses and authenticates the header and checks it belongs to `relPath`.
    static Result<BlobCodec> open(const UnlockedKeys& keys, const QString& relPath, QByteArrayView header);

    const BlobHeader& header() const { return m_header; }
    const QString& path() const { return m_path; }
    qint64 plaintextSize() const { return qint64(m_header.plaintextSize); }
    qint64 chunkCount() const { return m_header.chunkCount(); }
    qint64 ciphertextSize() const { return m_header.ciphertextSize(); }
    qint64 chunkPlainSize(qint64 index) const;
    qint64 chunkCipherSize(qint64 index) const { return chunkPlainSize(index) + kChunkTagSize; }
    /// Where chunk `index` starts in the encrypted file (header included).
    qint64 chunkCipherOffset(qint64 index) const;

    /// Encrypts chunk `index`: `plain` holds chunkPlainSize(index) bytes, `out` receives
    /// chunkCipherSize(index) bytes.
    void encryptChunk(qint64 index, const unsigned char* plain, unsigned char* out) const;
    /// Decrypts chunk `index` (`cipherLen` must be chunkCipherSize(index)) into `out`
    /// (chunkPlainSize(index) bytes). On failure it tells a chunk moved within this file
    /// (chunk_reordered) from one that was damaged or came from another file (chunk_corrupt).
    Status decryptChunk(qint64 index, const unsigned char* cipher, qint64 cipherLen, unsigned char* out) const;

private:
    BlobCodec() = default;
    bool tryDecrypt(qint64 index, bool last, const unsigned char* cipher, qint64 cipherLen, unsigned char* out) const;

    BlobHeader m_header;
    QString m_path;
    SecretBytes m_fileKeys; // file key || auth key (docs/FORMAT.md §3.2)
    QByteArray m_ad; // header || UTF-8 path
};

} // namespace muze::crypto
