#pragma once
// FileCipher: encrypts and decrypts whole files in the blob format (blob.h, docs/FORMAT.md §3)
// as streams on QIODevices, in constant memory, using several cores on big files.
//
//   FileCipher cipher(std::make_shared<UnlockedKeys>(std::move(keys)));
//   cipher.encrypt(plainFile, uploadSink, "collections/c1/.../t1.wav");
//   cipher.decryptToFile(download, localPath, "collections/c1/.../t1.wav"); // atomic
//   auto bytes = cipher.decryptRange(blobFile, relPath, offset, length);   // reads only those chunks
//
// Every failure is an Error whose code names it: bad_header, unsupported_version, truncated,
// trailing_data, unknown_key, wrong_key, wrong_path, chunk_reordered, chunk_corrupt,
// source_changed, invalid_argument, io.
// Sources must deliver data synchronously (QFile, QBuffer, QProcess...; a sequential device is
// waited on with waitForReadyRead). decrypt() writes each chunk to the sink only after it
// authenticated, but the file as a whole is known good only when it returns ok: never let a
// final path see its output before that — decryptToFile()/decryptFile() do this for you.
// Threading: a FileCipher is immutable; any thread may use it, several at once. Each call
// blocks its caller and runs up to `threads` helper threads of its own.

#include <muze/crypto/blob.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <memory>

namespace muze::crypto {

struct CipherOptions {
    quint32 chunkSize = kDefaultChunkSize; // plaintext bytes per chunk for new files
    int threads = 0;                       // 0: one per core (at most 8)
};

class FileCipher {
public:
    explicit FileCipher(std::shared_ptr<const UnlockedKeys> keys, CipherOptions options = {});

    /// Encrypts `size` bytes of `source` (-1: all of a random-access source, from its current
    /// position) for vault path `relPath` under the active key. Fails with source_changed when
    /// the source yields fewer or more bytes than announced (a file still being written).
    Status encrypt(QIODevice& source, QIODevice& sink, const QString& relPath, qint64 size = -1) const;
    /// Streams the plaintext of the blob in `source` (positioned at its header) to `sink`.
    Status decrypt(QIODevice& source, QIODevice& sink, const QString& relPath) const;
    /// Decrypts into a temp file beside `finalPath`, renamed over it only once the whole blob
    /// authenticated. On any failure `finalPath` is untouched and no temp file remains.
    Status decryptToFile(QIODevice& source, const QString& finalPath, const QString& relPath) const;

    /// Moves a blob to the active key (after a rotation): decrypts it chunk by chunk and writes a
    /// new blob (fresh nonce, same chunk size) to `sink`, in constant memory. Like decrypt(),
    /// `sink` holds a usable blob only when this returns ok.
    Status reencrypt(QIODevice& source, QIODevice& sink, const QString& relPath) const;
    /// True when the blob's header names a key other than the active one.
    bool needsReencryption(const BlobHeader& header) const { return header.keyId != m_keys->activeKeyId(); }

    /// File-to-file helpers (the blob is written atomically too).
    Status encryptFile(const QString& plainPath, const QString& blobPath, const QString& relPath) const;
    Status decryptFile(const QString& blobPath, const QString& finalPath, const QString& relPath) const;

    /// Decrypts plaintext bytes [offset, offset+length) of the blob in the random-access device
    /// `source` (the blob starts at its offset 0), reading only the chunks that hold them (a partly downloaded blob works if those
    /// chunks are present). The range is clipped to the file's end.
    Status decryptRange(QIODevice& source, const QString& relPath, qint64 offset, qint64 length, QIODevice& sink) const;
    Result<QByteArray> decryptRange(QIODevice& source, const QString& relPath, qint64 offset, qint64 length) const;

    /// Plaintext size and key id of a blob, read from its header without a key (unauthenticated).
    static Result<BlobHeader> inspect(QIODevice& source);
    /// The exact blob size for a plaintext size (with this cipher's chunk size).
    qint64 ciphertextSize(qint64 plaintextSize) const { return blobCiphertextSize(plaintextSize, m_options.chunkSize); }

    const UnlockedKeys& keys() const { return *m_keys; }

private:
    Result<BlobCodec> openHeader(QIODevice& source, const QString& relPath) const;
    int threads() const;

    std::shared_ptr<const UnlockedKeys> m_keys;
    CipherOptions m_options;
};

} // namespace muze::crypto
