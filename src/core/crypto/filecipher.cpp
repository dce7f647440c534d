#include <muze/crypto/filecipher.h>

#include "pipeline.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QThread>

#include <algorithm>

namespace muze::crypto {

using detail::Direction;

namespace {

Status writeAll(QIODevice& sink, const char* data, qint64 size)
{
    qint64 done = 0;
    while (done < size) {
        const qint64 w = sink.write(data + done, size - done);
        if (w <= 0)
            return makeError(QStringLiteral("Write error: %1").arg(sink.errorString()), errc::io);
        done += w;
    }
    return {};
}

Error ioError(const QString& what, const QString& path, const QString& why)
{
    return makeError(QStringLiteral("Cannot %1 %2: %3").arg(what, path, why), errc::io);
}

// For a random-access source: the rest of the blob must be exactly as long as its header says.
Status checkLength(QIODevice& source, const BlobCodec& codec)
{
    if (source.isSequential()) // checked as the data arrives, and by checkNothingFollows()
        return {};
    const qint64 expected = codec.ciphertextSize() - kBlobHeaderSize;
    const qint64 available = source.size() - source.pos();
    if (available < expected)
        return makeError(QStringLiteral("%1: the encrypted file is truncated (%2 of %3 bytes)")
                             .arg(codec.path())
                             .arg(available + kBlobHeaderSize)
                             .arg(expected + kBlobHeaderSize),
            errc::truncated);
    if (available > expected)
        return makeError(QStringLiteral("%1: %2 unexpected bytes follow the end of the encrypted file")
                             .arg(codec.path())
                             .arg(available - expected),
            errc::trailing_data);
    return {};
}

Status checkNothingFollows(QIODevice& source, const QString& relPath)
{
    char extra = 0;
    qint64 got = 0;
    if (Status s = detail::readFully(source, &extra, 1, got); !s)
        return s;
    if (got != 0)
        return makeError(QStringLiteral("%1: unexpected bytes follow the end of the encrypted file").arg(relPath),
            errc::trailing_data);
    return {};
}

} // namespace

FileCipher::FileCipher(std::shared_ptr<const UnlockedKeys> keys, CipherOptions options)
    : m_keys(std::move(keys)), m_options(options)
{
    ensureSodium();
    if (!m_keys)
        m_keys = std::make_shared<const UnlockedKeys>();
}

int FileCipher::threads() const
{
    if (m_options.threads > 0)
        return m_options.threads;
    return std::clamp(QThread::idealThreadCount(), 1, 8);
}

Status FileCipher::encrypt(QIODevice& source, QIODevice& sink, const QString& relPath, qint64 size) const
{
    if (size < 0) {
        if (source.isSequential())
            return makeError(QStringLiteral("The size of a sequential source must be given"), errc::invalid_argument);
        size = source.size() - source.pos();
    }
    auto codec = BlobCodec::create(*m_keys, relPath, size, m_options.chunkSize);
    if (!codec)
        return codec.error();
    if (Status s = writeAll(sink, codec->header().raw.constData(), kBlobHeaderSize); !s)
        return s;
    auto toSink = [&sink](qint64, const char* data, qint64 n) { return writeAll(sink, data, n); };
    if (Status s = detail::runChunkPipeline(*codec, Direction::Encrypt, source, 0, codec->chunkCount(), threads(), toSink); !s)
        return s;
    // A file that grew while being read would be cut short silently: refuse instead.
    char extra = 0;
    qint64 got = 0;
    if (Status s = detail::readFully(source, &extra, 1, got); !s)
        return s;
    if (got != 0)
        return makeError(QStringLiteral("%1: the source is longer than %2 bytes: it changed while being encrypted")
                             .arg(relPath)
                             .arg(size),
            errc::source_changed);
    return {};
}

Result<BlobCodec> FileCipher::openHeader(QIODevice& source, const QString& relPath) const
{
    QByteArray header(kBlobHeaderSize, '\0');
    qint64 got = 0;
    if (Status s = detail::readFully(source, header.data(), kBlobHeaderSize, got); !s)
        return s.error();
    header.truncate(qsizetype(got));
    if (got == 0)
        return makeError(QStringLiteral("%1: the encrypted file is empty").arg(relPath), errc::truncated);
    auto codec = BlobCodec::open(*m_keys, relPath, header);
    if (!codec && codec.error().isAnyOf({errc::bad_header, errc::truncated, errc::unsupported_version}))
        return makeError(QStringLiteral("%1: %2").arg(relPath, codec.error().message), codec.error().code);
    return codec;
}

Status FileCipher::decrypt(QIODevice& source, QIODevice& sink, const QString& relPath) const
{
    auto codec = openHeader(source, relPath);
    if (!codec)
        return codec.error();
    if (Status s = checkLength(source, *codec); !s)
        return s;
    auto toSink = [&sink](qint64, const char* data, qint64 n) { return writeAll(sink, data, n); };
    if (Status s = detail::runChunkPipeline(*codec, Direction::Decrypt, source, 0, codec->chunkCount(), threads(), toSink); !s)
        return s;
    return checkNothingFollows(source, relPath);
}

Status FileCipher::reencrypt(QIODevice& source, QIODevice& sink, const QString& relPath) const
{
    auto from = openHeader(source, relPath);
    if (!from)
        return from.error();
    if (Status s = checkLength(source, *from); !s)
        return s;
    auto to = BlobCodec::create(*m_keys, relPath, from->plaintextSize(), from->header().chunkSize);
    if (!to)
        return to.error();
    if (Status s = writeAll(sink, to->header().raw.constData(), kBlobHeaderSize); !s)
        return s;
    QByteArray cipher;
    auto encryptChunk = [&](qint64 index, const char* data, qint64) {
        cipher.resize(qsizetype(to->chunkCipherSize(index)));
        to->encryptChunk(index, reinterpret_cast<const unsigned char*>(data), reinterpret_cast<unsigned char*>(cipher.data()));
        return writeAll(sink, cipher.constData(), cipher.size());
    };
    if (Status s = detail::runChunkPipeline(*from, Direction::Decrypt, source, 0, from->chunkCount(), threads(), encryptChunk); !s)
        return s;
    return checkNothingFollows(source, relPath);
}

Status FileCipher::decryptToFile(QIODevice& source, const QString& finalPath, const QString& relPath) const
{
    if (!QDir().mkpath(QFileInfo(finalPath).absolutePath()))
        return ioError(QStringLiteral("create the folder of"), finalPath, QStringLiteral("mkdir failed"));
    QSaveFile out(finalPath); // writes <finalPath>.XXXXXX and renames on commit()
    if (!out.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("write"), finalPath, out.errorString());
    if (Status s = decrypt(source, out, relPath); !s) {
        out.cancelWriting(); // the temp file is removed, finalPath never touched
        return s;
    }
    if (!out.commit())
        return ioError(QStringLiteral("save"), finalPath, out.errorString());
    return {};
}

Status FileCipher::encryptFile(const QString& plainPath, const QString& blobPath, const QString& relPath) const
{
    QFile in(plainPath);
    if (!in.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("read"), plainPath, in.errorString());
    if (!QDir().mkpath(QFileInfo(blobPath).absolutePath()))
        return ioError(QStringLiteral("create the folder of"), blobPath, QStringLiteral("mkdir failed"));
    QSaveFile out(blobPath);
    if (!out.open(QIODevice::WriteOnly))
        return ioError(QStringLiteral("write"), blobPath, out.errorString());
    if (Status s = encrypt(in, out, relPath); !s) {
        out.cancelWriting();
        return s;
    }
    if (!out.commit())
        return ioError(QStringLiteral("save"), blobPath, out.errorString());
    return {};
}

Status FileCipher::decryptFile(const QString& blobPath, const QString& finalPath, const QString& relPath) const
{
    QFile in(blobPath);
    if (!in.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("read"), blobPath, in.errorString());
    return decryptToFile(in, finalPath, relPath);
}

Status FileCipher::decryptRange(QIODevice& source, const QString& relPath, qint64 offset, qint64 length, QIODevice& sink) const
{
    if (source.isSequential())
        return makeError(QStringLiteral("Range reads need a random-access source"), errc::invalid_argument);
    if (offset < 0 || length < 0)
        return makeError(QStringLiteral("Negative range"), errc::invalid_argument);
    if (!source.seek(0))
        return makeError(QStringLiteral("Cannot seek in %1").arg(relPath), errc::io);
    auto codec = openHeader(source, relPath);
    if (!codec)
        return codec.error();
    const qint64 size = codec->plaintextSize();
    if (offset > size)
        return makeError(QStringLiteral("%1: offset %2 is past the end (%3 bytes)").arg(relPath).arg(offset).arg(size),
            errc::invalid_argument);
    const qint64 end = offset + std::min(length, size - offset);
    if (end == offset)
        return {};
    const qint64 cs = qint64(codec->header().chunkSize);
    const qint64 firstChunk = offset / cs;
    const qint64 lastChunk = (end - 1) / cs;
    if (!source.seek(codec->chunkCipherOffset(firstChunk)))
        return makeError(
            QStringLiteral("%1: the encrypted file is truncated before chunk %2").arg(relPath).arg(firstChunk),
            errc::truncated);
    auto trimmed = [&](qint64 index, const char* data, qint64 n) {
        const qint64 chunkStart = index * cs;
        const qint64 from = std::max(offset, chunkStart) - chunkStart;
        const qint64 to = std::min(end, chunkStart + n) - chunkStart;
        return writeAll(sink, data + from, to - from);
    };
    return detail::runChunkPipeline(*codec, Direction::Decrypt, source, firstChunk, lastChunk + 1, threads(), trimmed);
}

Result<QByteArray> FileCipher::decryptRange(QIODevice& source, const QString& relPath, qint64 offset, qint64 length) const
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    if (Status s = decryptRange(source, relPath, offset, length, buffer); !s)
        return s.error();
    buffer.close();
    return out;
}

Result<BlobHeader> FileCipher::inspect(QIODevice& source)
{
    QByteArray header(kBlobHeaderSize, '\0');
    qint64 got = 0;
    if (Status s = detail::readFully(source, header.data(), kBlobHeaderSize, got); !s)
        return s.error();
    header.truncate(qsizetype(got));
    return BlobHeader::parse(header);
}

} // namespace muze::crypto
