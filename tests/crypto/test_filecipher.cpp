#include "catch.h"
#include "cryptotest.h"
#include "testsupport.h"

#include <muze/crypto/blob.h>
#include <muze/crypto/filecipher.h>

#include <QDir>
#include <QFile>
#include <QtEndian>

using namespace muze;
using namespace muze::crypto;
using test::codeOf;

namespace {

const QString kPath = QStringLiteral("collections/c1/projects/p1/audio/t1.wav");

FileCipher smallChunks(std::shared_ptr<UnlockedKeys> keys, quint32 chunk = 1024, int threads = 2)
{
    return FileCipher(std::move(keys), CipherOptions{chunk, threads});
}

QByteArray encrypted(const FileCipher& c, const QByteArray& plain, const QString& path = kPath)
{
    auto r = test::encryptBytes(c, plain, path);
    REQUIRE(r.ok());
    return *r;
}

// Decrypts through a random-access QBuffer and through a sequential device: same verdict.
std::string decryptCode(const FileCipher& c, const QByteArray& blob, const QString& path = kPath)
{
    const std::string viaBuffer = codeOf(test::decryptBytes(c, blob, path));
    test::SequentialSource seq(blob, 777);
    QByteArray out;
    QBuffer sink(&out);
    sink.open(QIODevice::WriteOnly);
    Status s = c.decrypt(seq, sink, path);
    const std::string viaPipe = s.ok() ? std::string() : s.error().code.toStdString();
    CHECK(viaBuffer == viaPipe);
    return viaBuffer;
}

qint64 chunkOffset(qint64 index, qint64 chunk) { return kBlobHeaderSize + index * (chunk + kChunkTagSize); }

} // namespace

TEST_CASE("file cipher round-trips edge sizes and the ciphertext size is computable")
{
    auto keys = test::makeKeys();
    for (quint32 chunk : {quint32(64), quint32(1024), kDefaultChunkSize}) {
        const FileCipher c = smallChunks(keys, chunk);
        const qint64 cs = chunk;
        for (qint64 size : {qint64(0), qint64(1), cs - 1, cs, cs + 1, 2 * cs, 3 * cs + 17}) {
            INFO("chunk " << chunk << " size " << size);
            const QByteArray plain = test::randomBytes(size, quint32(size + 1));
            const QByteArray blob = encrypted(c, plain);
            CHECK(blob.size() == c.ciphertextSize(size));
            CHECK(blob.size() == kBlobHeaderSize + size + kChunkTagSize * std::max<qint64>(1, (size + cs - 1) / cs));
            auto back = test::decryptBytes(c, blob, kPath);
            REQUIRE(back.ok());
            CHECK(*back == plain);
            CHECK(decryptCode(c, blob).empty());
        }
    }
}

TEST_CASE("file cipher header carries format, key id, chunk size and size, nonces are random")
{
    auto keys = test::makeKeys({3, 9});
    const FileCipher c = smallChunks(keys, 4096);
    const QByteArray plain(10000, 'a');
    const QByteArray a = encrypted(c, plain);
    const QByteArray b = encrypted(c, plain);
    CHECK(a != b);
    CHECK(a.startsWith("MUZE-ENC"));
    CHECK_FALSE(a.contains(QByteArray(64, 'a')));
    QBuffer buf;
    buf.setData(a);
    buf.open(QIODevice::ReadOnly);
    auto h = FileCipher::inspect(buf);
    REQUIRE(h.ok());
    CHECK(h->version == 1);
    CHECK(h->keyId == 9);
    CHECK(h->chunkSize == 4096);
    CHECK(h->plaintextSize == 10000);
    CHECK(h->chunkCount() == 3);
}

TEST_CASE("file cipher uses several threads and sequential sources without changing the bytes' meaning")
{
    auto keys = test::makeKeys();
    const QByteArray plain = test::randomBytes(6 * 1024 * 1024 + 4321, 42);
    const FileCipher one(keys, CipherOptions{kDefaultChunkSize, 1});
    const FileCipher two(keys, CipherOptions{kDefaultChunkSize, 2});
    const FileCipher four(keys, CipherOptions{kDefaultChunkSize, 4});
    const QByteArray blob = encrypted(four, plain);
    CHECK(*test::decryptBytes(one, blob, kPath) == plain);
    CHECK(*test::decryptBytes(two, blob, kPath) == plain);

    test::SequentialSource seqPlain(plain, 5000);
    QByteArray blob2;
    QBuffer sink(&blob2);
    sink.open(QIODevice::WriteOnly);
    REQUIRE(two.encrypt(seqPlain, sink, kPath, plain.size()).ok());
    test::SequentialSource seqBlob(blob2, 3000);
    QByteArray out;
    QBuffer outBuf(&out);
    outBuf.open(QIODevice::WriteOnly);
    REQUIRE(two.decrypt(seqBlob, outBuf, kPath).ok());
    CHECK(out == plain);
}

TEST_CASE("truncation anywhere is reported as truncated")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    const QByteArray blob = encrypted(c, test::randomBytes(3000));
    for (qint64 keep : {qint64(0), qint64(5), qint64(50), kBlobHeaderSize, chunkOffset(1, 1024), chunkOffset(2, 1024),
                        chunkOffset(1, 1024) + 100, qint64(blob.size() - 1)}) {
        INFO("kept " << keep << " of " << blob.size());
        CHECK(decryptCode(c, blob.left(qsizetype(keep))) == "truncated");
    }
    // An empty file's blob cut after its header.
    const QByteArray empty = encrypted(c, {});
    CHECK(decryptCode(c, empty.left(kBlobHeaderSize)) == "truncated");
}

TEST_CASE("data after the end is reported as trailing_data")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    const QByteArray blob = encrypted(c, test::randomBytes(2048));
    CHECK(decryptCode(c, blob + "x") == "trailing_data");
    CHECK(decryptCode(c, blob + blob.mid(chunkOffset(1, 1024))) == "trailing_data");
    CHECK(decryptCode(c, encrypted(c, {}) + QByteArray(16, '\0')) == "trailing_data");
}

TEST_CASE("reordered chunks, chunks from another file and modified chunks are told apart")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    const qint64 cc = 1024 + kChunkTagSize;
    const QByteArray blob = encrypted(c, test::randomBytes(4096, 1));

    QByteArray swapped = blob;
    swapped.replace(chunkOffset(0, 1024), cc, blob.mid(chunkOffset(2, 1024), cc));
    swapped.replace(chunkOffset(2, 1024), cc, blob.mid(chunkOffset(0, 1024), cc));
    CHECK(decryptCode(c, swapped) == "chunk_reordered");

    // The same path, size and key, but another file: its chunks do not belong here.
    const QByteArray other = encrypted(c, test::randomBytes(4096, 2));
    QByteArray mixed = blob;
    mixed.replace(chunkOffset(1, 1024), cc, other.mid(chunkOffset(1, 1024), cc));
    CHECK(decryptCode(c, mixed) == "chunk_corrupt");

    QByteArray flipped = blob;
    flipped[chunkOffset(3, 1024) + 10] = char(flipped[chunkOffset(3, 1024) + 10] ^ 1);
    CHECK(decryptCode(c, flipped) == "chunk_corrupt");
    QByteArray tag = blob;
    tag[tag.size() - 1] = char(tag[tag.size() - 1] ^ 0x80);
    CHECK(decryptCode(c, tag) == "chunk_corrupt");
}

TEST_CASE("a whole file swapped to another path is detected")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys);
    const QByteArray blob = encrypted(c, "take one", QStringLiteral("collections/a/collection.json"));
    CHECK(decryptCode(c, blob, QStringLiteral("collections/b/collection.json")) == "wrong_path");
    CHECK(decryptCode(c, blob, QStringLiteral("collections/a/collection.json")).empty());
    // Paths are compared in NFC: a decomposed é names the same file.
    const QString composed = QStringLiteral("collections/caf\u00e9.json");
    const QString decomposed = QStringLiteral("collections/cafe\u0301.json");
    CHECK(decryptCode(c, encrypted(c, "x", composed), decomposed).empty());
}

TEST_CASE("a wrong or unknown key is a clear error")
{
    const FileCipher c = smallChunks(test::makeKeys({5}));
    const QByteArray blob = encrypted(c, "secret take");
    CHECK(decryptCode(smallChunks(test::makeKeys({5})), blob) == "wrong_key"); // same id, another vault
    CHECK(decryptCode(smallChunks(test::makeKeys({6})), blob) == "unknown_key");
    auto none = std::make_shared<UnlockedKeys>();
    CHECK(codeOf(test::encryptBytes(FileCipher(none), "x", kPath)) == "unknown_key");
}

TEST_CASE("bad headers: not ours, unsupported version, unknown flags, modified fields")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys);
    const QByteArray blob = encrypted(c, test::randomBytes(3000));
    auto patched = [&](int offset, char value) {
        QByteArray b = blob;
        b[offset] = value;
        return b;
    };
    CHECK(decryptCode(c, patched(0, 'X')) == "bad_header");
    CHECK(decryptCode(c, QByteArray("RIFF....WAVEfmt ") + QByteArray(200, 'x')) == "bad_header");
    CHECK(decryptCode(c, QByteArray(10, 'x')) == "bad_header");
    CHECK(decryptCode(c, patched(8, 2)) == "unsupported_version");
    CHECK(decryptCode(c, patched(9, 7)) == "unsupported_version");
    CHECK(decryptCode(c, patched(10, 1)) == "bad_header");
    QByteArray tinyChunk = blob;
    qToLittleEndian<quint32>(8, tinyChunk.data() + 16);
    CHECK(decryptCode(c, tinyChunk) == "bad_header");
    // Authenticated fields: chunk size, size, nonce, path tag, MAC.
    QByteArray size = blob;
    qToLittleEndian<quint64>(2000, size.data() + 20);
    CHECK(decryptCode(c, size) == "wrong_key");
    for (int offset : {30, 65, 80})
        CHECK(decryptCode(c, patched(offset, char(blob[offset] ^ 4))) == "wrong_key");
}

TEST_CASE("decryptToFile never writes a final path from a failed blob")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    test::TempDir dir;
    const QString finalPath = dir.filePath(QStringLiteral("audio/t1.wav"));
    test::writeAll(finalPath, "the local take");
    const QByteArray plain = test::randomBytes(5000);
    const QByteArray blob = encrypted(c, plain);

    for (const QByteArray& bad : {blob.left(blob.size() - 1), blob + "x", QByteArray(blob).replace(200, 1, "!")}) {
        QBuffer src;
        src.setData(bad);
        src.open(QIODevice::ReadOnly);
        CHECK_FALSE(c.decryptToFile(src, finalPath, kPath).ok());
        CHECK(test::readAll(finalPath) == "the local take");
        CHECK(QDir(dir.filePath(QStringLiteral("audio"))).entryList(QDir::Files | QDir::Hidden)
              == QStringList{QStringLiteral("t1.wav")});
    }
    const QString fresh = dir.filePath(QStringLiteral("audio/new.wav"));
    test::SequentialSource badPipe(blob.left(3000), 500);
    CHECK(codeOf(c.decryptToFile(badPipe, fresh, kPath)) == "truncated");
    CHECK_FALSE(QFile::exists(fresh));

    QBuffer src;
    src.setData(blob);
    src.open(QIODevice::ReadOnly);
    REQUIRE(c.decryptToFile(src, finalPath, kPath).ok());
    CHECK(test::readAll(finalPath) == plain);

    // File to file, both atomic.
    const QString blobPath = dir.filePath(QStringLiteral("remote/t1.wav.muze"));
    REQUIRE(c.encryptFile(finalPath, blobPath, kPath).ok());
    REQUIRE(c.decryptFile(blobPath, dir.filePath(QStringLiteral("again.wav")), kPath).ok());
    CHECK(test::readAll(dir.filePath(QStringLiteral("again.wav"))) == plain);
}

TEST_CASE("encrypt refuses a source that changed size while being read")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    const QByteArray plain = test::randomBytes(4000);
    auto run = [&](qint64 announced) {
        test::SequentialSource src(plain);
        QByteArray out;
        QBuffer sink(&out);
        sink.open(QIODevice::WriteOnly);
        Status s = c.encrypt(src, sink, kPath, announced);
        return s.ok() ? std::string() : s.error().code.toStdString();
    };
    CHECK(run(4000).empty());
    CHECK(run(4001) == "source_changed");
    CHECK(run(3999) == "source_changed");
    CHECK(run(-1) == "invalid_argument");
}

TEST_CASE("decryptRange reads any byte range, touching only the chunks it needs")
{
    auto keys = test::makeKeys();
    const FileCipher c = smallChunks(keys, 1024);
    const QByteArray plain = test::randomBytes(10 * 1024 + 300, 9);
    QByteArray blob = encrypted(c, plain);
    QBuffer src(&blob);
    src.open(QIODevice::ReadOnly);
    const std::pair<qint64, qint64> ranges[] = {{0, 1}, {0, 1024}, {1023, 2}, {1024, 1024}, {5000, 3000},
                                                {10 * 1024, 300}, {10 * 1024 + 299, 50}, {0, 1 << 20}, {777, 0}};
    for (auto [offset, length] : ranges) {
        INFO("range " << offset << "+" << length);
        auto r = c.decryptRange(src, kPath, offset, length);
        REQUIRE(r.ok());
        CHECK(*r == plain.mid(offset, length));
    }
    CHECK(c.decryptRange(src, kPath, plain.size(), 10)->isEmpty());
    CHECK(codeOf(c.decryptRange(src, kPath, plain.size() + 1, 10)) == "invalid_argument");

    // Damage chunk 8: ranges elsewhere still read, ranges through it fail.
    QByteArray damaged = blob;
    damaged[chunkOffset(8, 1024) + 5] = char(damaged[chunkOffset(8, 1024) + 5] ^ 1);
    QBuffer dsrc(&damaged);
    dsrc.open(QIODevice::ReadOnly);
    CHECK(*c.decryptRange(dsrc, kPath, 100, 5000) == plain.mid(100, 5000));
    CHECK(codeOf(c.decryptRange(dsrc, kPath, 8 * 1024 + 1000, 100)) == "chunk_corrupt");

    // A partly downloaded blob: the chunks present can be read.
    QByteArray partial = blob.left(qsizetype(chunkOffset(4, 1024)));
    QBuffer psrc(&partial);
    psrc.open(QIODevice::ReadOnly);
    CHECK(*c.decryptRange(psrc, kPath, 0, 4096) == plain.left(4096));
    CHECK(codeOf(c.decryptRange(psrc, kPath, 4096, 10)) == "truncated");
}

TEST_CASE("multi-GB offsets work on a sparse blob, reading only the chunks in range")
{
    auto keys = test::makeKeys();
    const qint64 size = 5LL * 1024 * 1024 * 1024 + 12345; // 5 GiB + a partial last chunk
    const qint64 cs = kDefaultChunkSize;
    CHECK(blobCiphertextSize(size) == kBlobHeaderSize + size + kChunkTagSize * ((size + cs - 1) / cs));
    CHECK(blobCiphertextSize(size) > (qint64(1) << 32));

    auto codec = BlobCodec::create(*keys, kPath, size);
    REQUIRE(codec.ok());
    const qint64 n = codec->chunkCount();
    test::TempDir dir;
    QFile file(dir.filePath(QStringLiteral("sparse.blob")));
    REQUIRE(file.open(QIODevice::ReadWrite));
    REQUIRE(file.write(codec->header().raw) == kBlobHeaderSize);
    auto plainOf = [&](qint64 index) { return test::randomBytes(codec->chunkPlainSize(index), quint32(index)); };
    const qint64 target = (qint64(9) << 29) + 1000; // 4.5 GiB + 1000, inside chunk 73728
    const qint64 first = target / cs;
    for (qint64 index : {first, first + 1, n - 1}) {
        const QByteArray plain = plainOf(index);
        QByteArray cipher(qsizetype(codec->chunkCipherSize(index)), '\0');
        codec->encryptChunk(index, reinterpret_cast<const unsigned char*>(plain.constData()),
                            reinterpret_cast<unsigned char*>(cipher.data()));
        REQUIRE(file.seek(codec->chunkCipherOffset(index)));
        REQUIRE(file.write(cipher) == cipher.size());
    }
    REQUIRE(file.size() == blobCiphertextSize(size));
    const FileCipher c(keys);
    const QByteArray expected = (plainOf(first) + plainOf(first + 1)).mid(target - first * cs, 100000);
    auto r = c.decryptRange(file, kPath, target, 100000);
    REQUIRE(r.ok());
    CHECK(*r == expected);
    auto tail = c.decryptRange(file, kPath, size - 10, 100);
    REQUIRE(tail.ok());
    CHECK(*tail == plainOf(n - 1).right(10));
    // A hole (never written) is not a valid chunk.
    CHECK(codeOf(c.decryptRange(file, kPath, 1000, 10)) == "chunk_corrupt");
}

TEST_CASE("after a key rotation old files still decrypt and new files use the new key")
{
    auto keys = test::makeKeys({11});
    const QByteArray oldBlob = encrypted(FileCipher(keys), "old take");
    auto rotated = std::make_shared<UnlockedKeys>(keys->clone());
    rotated->add(12, SecretBytes::random(32));
    rotated->setActiveKeyId(12);
    const FileCipher c(rotated);
    const QByteArray newBlob = encrypted(c, "new take");
    QBuffer b;
    b.setData(newBlob);
    b.open(QIODevice::ReadOnly);
    CHECK(FileCipher::inspect(b)->keyId == 12);
    CHECK(*test::decryptBytes(c, oldBlob, kPath) == "old take");
    CHECK(*test::decryptBytes(c, newBlob, kPath) == "new take");
    CHECK(codeOf(test::decryptBytes(FileCipher(keys), newBlob, kPath)) == "unknown_key");
}

TEST_CASE("reencrypt moves a blob to the active key without a plaintext copy")
{
    auto keys = test::makeKeys({21});
    const QByteArray plain = test::randomBytes(200000, 5);
    const QByteArray oldBlob = encrypted(FileCipher(keys, CipherOptions{4096, 2}), plain);
    auto rotated = std::make_shared<UnlockedKeys>(keys->clone());
    rotated->add(22, SecretBytes::random(32));
    rotated->setActiveKeyId(22);
    const FileCipher c(rotated);

    QBuffer src;
    src.setData(oldBlob);
    src.open(QIODevice::ReadOnly);
    REQUIRE(c.needsReencryption(*FileCipher::inspect(src)));
    src.seek(0);
    QByteArray newBlob;
    QBuffer sink(&newBlob);
    sink.open(QIODevice::WriteOnly);
    REQUIRE(c.reencrypt(src, sink, kPath).ok());
    QBuffer check(&newBlob);
    check.open(QIODevice::ReadOnly);
    const auto header = FileCipher::inspect(check);
    CHECK(header->keyId == 22);
    CHECK(header->chunkSize == 4096);
    CHECK_FALSE(c.needsReencryption(*header));
    CHECK(*test::decryptBytes(c, newBlob, kPath) == plain);
    CHECK(codeOf(test::decryptBytes(FileCipher(keys), newBlob, kPath)) == "unknown_key");

    QBuffer bad;
    bad.setData(oldBlob.left(oldBlob.size() - 3));
    bad.open(QIODevice::ReadOnly);
    QByteArray ignored;
    QBuffer ignoredSink(&ignored);
    ignoredSink.open(QIODevice::WriteOnly);
    CHECK(codeOf(c.reencrypt(bad, ignoredSink, kPath)) == "truncated");
}
