// libFuzzer entry for the blob parser and decryptor: any bytes, read as an encrypted file,
// give plaintext or one of the documented error codes — never a crash or another code.
#include <muze/crypto/blob.h>
#include <muze/crypto/filecipher.h>

#include <QBuffer>

#include <cstdint>
#include <cstdlib>
#include <memory>

using namespace muze::crypto;

namespace {

const FileCipher& cipher()
{
    static const FileCipher c = [] {
        auto keys = std::make_shared<UnlockedKeys>();
        keys->add(1, SecretBytes(32)); // fixed keys: a fuzzer cannot forge a MAC, it explores the parser
        keys->add(7, SecretBytes::copyOf(QByteArray(32, '\x07')));
        keys->setActiveKeyId(1);
        return FileCipher(keys, CipherOptions{kDefaultChunkSize, 1});
    }();
    return c;
}

void expectKnown(const muze::Status& s)
{
    static const char* known[] = {"bad_header", "unsupported_version", "truncated", "trailing_data", "unknown_key",
                                  "wrong_key", "wrong_path", "chunk_reordered", "chunk_corrupt", "invalid_argument"};
    if (s.ok())
        return;
    for (const char* code : known) {
        if (s.error().code == QLatin1String(code))
            return;
    }
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    auto header = BlobHeader::parse(bytes);
    if (header && (header->chunkSize < kMinChunkSize || header->ciphertextSize() < kBlobHeaderSize))
        std::abort();

    QBuffer source(&bytes);
    source.open(QIODevice::ReadOnly);
    QByteArray out;
    QBuffer sink(&out);
    sink.open(QIODevice::WriteOnly);
    expectKnown(cipher().decrypt(source, sink, QStringLiteral("fuzz/file.wav")));
    QByteArray range;
    QBuffer rangeSink(&range);
    rangeSink.open(QIODevice::WriteOnly);
    const qint64 offset = size > 100 ? data[99] * 1000 : 0;
    expectKnown(cipher().decryptRange(source, QStringLiteral("fuzz/file.wav"), offset, 5000, rangeSink));
    return 0;
}
