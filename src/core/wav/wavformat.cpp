#include <muze/wav/wavformat.h>

#include <QFile>
#include <QtEndian>

#include <cstring>

namespace muze::wav {

namespace {

constexpr quint16 kTagPcm = 1;
constexpr quint16 kTagFloat = 3;
constexpr quint16 kTagExtensible = 0xFFFE;
// KSDATAFORMAT_SUBTYPE_* GUIDs share these 14 bytes after the 2-byte format tag.
constexpr char kGuidTail[] = "\x00\x00\x00\x00\x10\x00\x80\x00\x00\xAA\x00\x38\x9B\x71";

Error bad(const QString& what, const QString& why)
{
    return makeError(QStringLiteral("%1: not a valid WAV file: %2").arg(what, why), errc::bad_wav);
}

Error unsupported(const QString& what, const QString& why)
{
    return makeError(QStringLiteral("%1: unsupported WAV format: %2").arg(what, why), errc::unsupported_wav);
}

bool readExact(QIODevice& d, char* buf, qint64 n)
{
    qint64 done = 0;
    while (done < n) {
        const qint64 got = d.read(buf + done, n - done);
        if (got <= 0)
            return false;
        done += got;
    }
    return true;
}

quint16 le16(const char* p)
{
    return qFromLittleEndian<quint16>(p);
}
quint32 le32(const char* p)
{
    return qFromLittleEndian<quint32>(p);
}

bool plausibleChunkId(const char* id)
{
    for (int i = 0; i < 4; ++i) {
        const auto c = static_cast<unsigned char>(id[i]);
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

struct Fmt {
    SampleFormat format = SampleFormat::Int16;
    int channels = 0;
    int sampleRate = 0;
    bool extensible = false;
};

Result<Fmt> parseFmt(const QByteArray& body, const QString& what)
{
    if (body.size() < 16)
        return bad(what, QStringLiteral("fmt chunk is %1 bytes (at least 16 needed)").arg(body.size()));
    const char* p = body.constData();
    quint16 tag = le16(p);
    const quint16 channels = le16(p + 2);
    const quint32 rate = le32(p + 4);
    const quint16 blockAlign = le16(p + 12);
    const quint16 bits = le16(p + 14);
    Fmt fmt;
    if (tag == kTagExtensible) {
        if (body.size() < 40 || le16(p + 16) < 22)
            return bad(what, QStringLiteral("WAVE_FORMAT_EXTENSIBLE fmt chunk is too short"));
        const quint16 validBits = le16(p + 18);
        if (validBits > bits)
            return bad(what, QStringLiteral("%1 valid bits in a %2-bit container").arg(validBits).arg(bits));
        if (std::memcmp(p + 26, kGuidTail, 14) != 0)
            return unsupported(what, QStringLiteral("unknown WAVE_FORMAT_EXTENSIBLE sub-format"));
        tag = le16(p + 24);
        fmt.extensible = true;
    }
    if (tag == kTagPcm) {
        if (bits == 16)
            fmt.format = SampleFormat::Int16;
        else if (bits == 24)
            fmt.format = SampleFormat::Int24;
        else if (bits == 32)
            fmt.format = SampleFormat::Int32;
        else
            return unsupported(what, QStringLiteral("%1-bit integer samples (16, 24 or 32 supported)").arg(bits));
    } else if (tag == kTagFloat) {
        if (bits != 32)
            return unsupported(what, QStringLiteral("%1-bit float samples (32 supported)").arg(bits));
        fmt.format = SampleFormat::Float32;
    } else {
        return unsupported(what,
            QStringLiteral("format tag 0x%1 (only PCM and IEEE float are supported)")
                .arg(tag, 4, 16, QLatin1Char('0')));
    }
    if (channels == 0)
        return bad(what, QStringLiteral("zero channels"));
    if (channels > 2)
        return unsupported(what, QStringLiteral("%1 channels (mono or stereo supported)").arg(channels));
    if (rate < quint32(kMinSampleRate) || rate > quint32(kMaxSampleRate))
        return unsupported(what, QStringLiteral("sample rate %1 Hz").arg(rate));
    fmt.channels = channels;
    fmt.sampleRate = int(rate);
    WavInfo probe;
    probe.format = fmt.format;
    probe.channels = channels;
    if (blockAlign != probe.blockAlign())
        return bad(what,
            QStringLiteral("block align %1 does not match %2 channel(s) of %3-bit samples")
                .arg(blockAlign)
                .arg(channels)
                .arg(bits));
    return fmt;
}

} // namespace

QString sampleFormatName(SampleFormat f)
{
    switch (f) {
    case SampleFormat::Int16:
        return QStringLiteral("pcm16");
    case SampleFormat::Int24:
        return QStringLiteral("pcm24");
    case SampleFormat::Int32:
        return QStringLiteral("pcm32");
    case SampleFormat::Float32:
        return QStringLiteral("float32");
    }
    return {};
}

bool sampleFormatFromName(const QString& name, SampleFormat* out)
{
    for (SampleFormat f : {SampleFormat::Int16, SampleFormat::Int24, SampleFormat::Int32, SampleFormat::Float32}) {
        if (sampleFormatName(f) == name) {
            *out = f;
            return true;
        }
    }
    return false;
}

Result<WavInfo> parseWavHeader(QIODevice& device, const QString& what)
{
    if (!device.isOpen() || !device.isReadable())
        return makeError(QStringLiteral("%1: cannot read").arg(what), errc::io_error);
    if (device.isSequential())
        return makeError(QStringLiteral("%1: WAV parsing needs a seekable device").arg(what), errc::io_error);
    const qint64 fileSize = device.size();
    char head[12];
    if (!device.seek(0) || fileSize < 12 || !readExact(device, head, 12))
        return bad(what, QStringLiteral("file too short for a RIFF header"));
    if (std::memcmp(head, "RF64", 4) == 0)
        return unsupported(what, QStringLiteral("RF64 (WAV files over 4 GiB)"));
    if (std::memcmp(head, "RIFF", 4) != 0 || std::memcmp(head + 8, "WAVE", 4) != 0)
        return bad(what, QStringLiteral("no RIFF/WAVE signature"));
    if (le32(head + 4) < 4)
        return bad(what, QStringLiteral("RIFF size too small"));

    // Chunks are walked against the real file size, not the RIFF size: a recorder that died
    // before its last header update leaves a RIFF size that lags behind the file.
    qint64 pos = 12;
    bool haveFmt = false;
    Fmt fmt;
    for (int count = 0; count < kMaxWavChunks; ++count) {
        char ch[8];
        if (pos + 8 > fileSize || !device.seek(pos) || !readExact(device, ch, 8))
            return bad(what, haveFmt ? QStringLiteral("no data chunk") : QStringLiteral("no fmt chunk"));
        if (!plausibleChunkId(ch))
            return bad(what, QStringLiteral("garbage chunk id at offset %1").arg(pos));
        const qint64 size = le32(ch + 4);
        const qint64 body = pos + 8;
        if (std::memcmp(ch, "fmt ", 4) == 0) {
            if (haveFmt)
                return bad(what, QStringLiteral("two fmt chunks"));
            if (size > kMaxFmtChunkBytes)
                return bad(what, QStringLiteral("fmt chunk of %1 bytes").arg(size));
            if (body + size > fileSize)
                return bad(what, QStringLiteral("fmt chunk runs past the end of the file"));
            QByteArray bytes(qsizetype(size), Qt::Uninitialized);
            if (!readExact(device, bytes.data(), size))
                return bad(what, QStringLiteral("cannot read the fmt chunk"));
            auto parsed = parseFmt(bytes, what);
            if (!parsed)
                return parsed.error();
            fmt = *parsed;
            haveFmt = true;
        } else if (std::memcmp(ch, "data", 4) == 0) {
            if (!haveFmt)
                return bad(what, QStringLiteral("data chunk before the fmt chunk"));
            WavInfo info;
            info.format = fmt.format;
            info.sampleRate = fmt.sampleRate;
            info.channels = fmt.channels;
            info.extensible = fmt.extensible;
            info.dataOffset = body;
            qint64 bytes = size;
            if (body + size > fileSize) {
                info.truncated = true;
                bytes = fileSize - body;
            }
            info.dataBytes = bytes - bytes % info.blockAlign();
            return info;
        } else if (body + size > fileSize) {
            return bad(
                what, QStringLiteral("chunk '%1' runs past the end of the file").arg(QString::fromLatin1(ch, 4)));
        }
        pos = body + size + (size & 1); // chunks are padded to an even size
    }
    return bad(what, QStringLiteral("more than %1 chunks before the audio data").arg(kMaxWavChunks));
}

Result<WavInfo> probeWavFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()), errc::io_error);
    return parseWavHeader(file, path);
}

} // namespace muze::wav
