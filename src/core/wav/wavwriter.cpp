#include <muze/wav/wavwriter.h>

#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>

#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace muze::wav {

namespace {

void put16(char* p, quint16 v)
{
    qToLittleEndian(v, p);
}
void put32(char* p, quint32 v)
{
    qToLittleEndian(v, p);
}

int bytesPerSample(SampleFormat f)
{
    WavInfo i;
    i.format = f;
    return i.bytesPerSample();
}

template <typename T> T quantize(float x, double scale, double lo, double hi)
{
    const double v = std::nearbyint(double(x) * scale);
    return T(std::clamp(std::isnan(v) ? 0.0 : v, lo, hi));
}

} // namespace

bool syncToDisk(QFile& file)
{
    if (!file.flush())
        return false;
#ifdef Q_OS_WIN
    return ::_commit(file.handle()) == 0;
#else
    return ::fsync(file.handle()) == 0;
#endif
}

qint64 wavHeaderBytes(SampleFormat format)
{
    return format == SampleFormat::Float32 ? 58 : 44;
}

QByteArray makeWavHeader(const WavSpec& spec, qint64 dataBytes)
{
    const bool isFloat = spec.format == SampleFormat::Float32;
    const qint64 headerBytes = wavHeaderBytes(spec.format);
    QByteArray h(int(headerBytes), '\0');
    char* p = h.data();
    const int bps = bytesPerSample(spec.format);
    const int fmtBytes = isFloat ? 18 : 16;
    std::memcpy(p, "RIFF", 4);
    put32(p + 4, quint32(headerBytes - 8 + dataBytes + (dataBytes & 1)));
    std::memcpy(p + 8, "WAVEfmt ", 8);
    put32(p + 16, quint32(fmtBytes));
    put16(p + 20, isFloat ? 3 : 1);
    put16(p + 22, quint16(spec.channels));
    put32(p + 24, quint32(spec.sampleRate));
    put32(p + 28, quint32(spec.sampleRate * spec.channels * bps));
    put16(p + 32, quint16(spec.channels * bps));
    put16(p + 34, quint16(bps * 8));
    char* q = p + 20 + fmtBytes; // cbSize (float) is already zero
    if (isFloat) {
        std::memcpy(q, "fact", 4);
        put32(q + 4, 4);
        put32(q + 8, quint32(dataBytes / (spec.channels * bps)));
        q += 12;
    }
    std::memcpy(q, "data", 4);
    put32(q + 4, quint32(dataBytes));
    return h;
}

WavWriter::~WavWriter()
{
    if (m_file.isOpen())
        (void)finalize();
}

int WavWriter::blockAlign() const
{
    return bytesPerSample(m_spec.format) * std::max(1, m_spec.channels);
}

Status WavWriter::fail(const QString& why)
{
    m_failed = true;
    return makeError(QStringLiteral("%1: %2").arg(m_file.fileName(), why), errc::io_error);
}

Status WavWriter::open(const QString& path, const WavSpec& spec, qint64 syncIntervalFrames)
{
    if (m_file.isOpen())
        return makeError(QStringLiteral("WavWriter: already open"), errc::usage);
    if (spec.channels < 1 || spec.channels > 2 || spec.sampleRate < kMinSampleRate || spec.sampleRate > kMaxSampleRate)
        return makeError(QStringLiteral("%1: unsupported WAV spec").arg(path), errc::unsupported_wav);
    m_spec = spec;
    m_dataBytes = m_syncedBytes = 0;
    m_partial.clear();
    m_failed = false;
    m_syncInterval = qint64(syncIntervalFrames > 0 ? syncIntervalFrames : spec.sampleRate) * blockAlign();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Truncate | QIODevice::Unbuffered))
        return makeError(QStringLiteral("%1: cannot create: %2").arg(path, m_file.errorString()), errc::io_error);
    if (auto st = writeHeader(0); !st)
        return st;
    if (!syncToDisk(m_file))
        return fail(QStringLiteral("fsync failed"));
    return {};
}

Status WavWriter::writeHeader(qint64 dataBytes)
{
    const QByteArray h = makeWavHeader(m_spec, dataBytes);
    if (!m_file.seek(0) || m_file.write(h) != h.size())
        return fail(QStringLiteral("cannot write the header: ") + m_file.errorString());
    if (!m_file.seek(wavHeaderBytes(m_spec.format) + m_dataBytes))
        return fail(QStringLiteral("seek failed"));
    return {};
}

Status WavWriter::appendData(const char* data, qint64 bytes)
{
    if (m_dataBytes + bytes > kMaxWavDataBytes)
        return fail(QStringLiteral("the take reached the 4 GiB WAV limit"));
    if (m_file.write(data, bytes) != bytes)
        return fail(QStringLiteral("write failed: ") + m_file.errorString());
    m_dataBytes += bytes;
    if (m_dataBytes - m_syncedBytes >= m_syncInterval)
        return sync();
    return {};
}

Status WavWriter::writeRaw(const char* data, qint64 bytes)
{
    if (!m_file.isOpen() || m_failed)
        return makeError(QStringLiteral("WavWriter: not open"), errc::io_error);
    const int align = blockAlign();
    if (!m_partial.isEmpty()) {
        const qint64 need = std::min<qint64>(align - m_partial.size(), bytes);
        m_partial.append(data, qsizetype(need));
        data += need;
        bytes -= need;
        if (m_partial.size() < align)
            return {};
        if (auto st = appendData(m_partial.constData(), align); !st)
            return st;
        m_partial.clear();
    }
    const qint64 whole = bytes - bytes % align;
    if (whole > 0) {
        if (auto st = appendData(data, whole); !st)
            return st;
    }
    if (bytes > whole)
        m_partial.append(data + whole, qsizetype(bytes - whole));
    return {};
}

Status WavWriter::writeFloat(const float* in, qint64 frames)
{
    const qint64 n = frames * m_spec.channels;
    const int bps = bytesPerSample(m_spec.format);
    m_convert.resize(qsizetype(n * bps));
    char* p = m_convert.data();
    for (qint64 i = 0; i < n; ++i, p += bps) {
        switch (m_spec.format) {
        case SampleFormat::Int16:
            qToLittleEndian(quantize<qint16>(in[i], 32768.0, -32768.0, 32767.0), p);
            break;
        case SampleFormat::Int24: {
            const auto v = quantize<qint32>(in[i], 8388608.0, -8388608.0, 8388607.0);
            p[0] = char(v & 0xff);
            p[1] = char((v >> 8) & 0xff);
            p[2] = char((v >> 16) & 0xff);
            break;
        }
        case SampleFormat::Int32:
            qToLittleEndian(quantize<qint32>(in[i], 2147483648.0, -2147483648.0, 2147483647.0), p);
            break;
        case SampleFormat::Float32: {
            quint32 u;
            std::memcpy(&u, &in[i], 4);
            qToLittleEndian(u, p);
            break;
        }
        }
    }
    return writeRaw(m_convert.constData(), m_convert.size());
}

Status WavWriter::sync()
{
    if (!m_file.isOpen() || m_failed)
        return makeError(QStringLiteral("WavWriter: not open"), errc::io_error);
    // Data first, then the header that points at it: the header never claims bytes that
    // might not be on disk.
    if (!syncToDisk(m_file))
        return fail(QStringLiteral("fsync failed"));
    if (auto st = writeHeader(m_dataBytes); !st)
        return st;
    if (!syncToDisk(m_file))
        return fail(QStringLiteral("fsync failed"));
    m_syncedBytes = m_dataBytes;
    return {};
}

Status WavWriter::finalize()
{
    if (!m_file.isOpen())
        return makeError(QStringLiteral("WavWriter: not open"), errc::io_error);
    Status st;
    if (!m_failed) {
        if (m_dataBytes & 1) { // RIFF pads chunks to an even size (odd only for mono 24-bit)
            const char pad = 0;
            m_file.write(&pad, 1);
        }
        st = sync();
    } else {
        // A write failed (a full disk): keep what was written playable. The header sits in
        // blocks the file already owns, so rewriting it needs no free space; cutting the
        // torn tail frees some. The header then names every whole frame written.
        const qint64 keep = wavHeaderBytes(m_spec.format) + m_dataBytes;
        const bool repaired = m_file.resize(keep) && writeHeader(m_dataBytes) && syncToDisk(m_file);
        st = makeError(QStringLiteral("%1: the take is incomplete after an earlier error (%2)")
                           .arg(m_file.fileName(),
                               repaired ? QStringLiteral("kept %1 s")
                                              .arg(double(m_dataBytes / blockAlign()) / m_spec.sampleRate, 0, 'f', 1)
                                        : QStringLiteral("its header could not be repaired")),
            errc::io_error);
    }
    m_file.close();
    return st;
}

Result<qint64> recoverWav(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadWrite))
        return makeError(QStringLiteral("%1: cannot open: %2").arg(path, file.errorString()), errc::io_error);
    auto info = parseWavHeader(file, path);
    if (!info)
        return info.error();
    // Only our own layout is extended: there, nothing but samples follows the header.
    const qint64 headerBytes = wavHeaderBytes(info->format);
    if (info->dataOffset != headerBytes)
        return info->frames();
    const qint64 avail = file.size() - headerBytes;
    const qint64 bytes = std::min(kMaxWavDataBytes, avail - avail % info->blockAlign());
    if (bytes == info->dataBytes && !info->truncated)
        return info->frames();
    WavSpec spec{info->sampleRate, info->channels, info->format};
    const QByteArray h = makeWavHeader(spec, bytes);
    if (!file.seek(0) || file.write(h) != h.size() || !file.resize(headerBytes + bytes) || !syncToDisk(file))
        return makeError(
            QStringLiteral("%1: cannot repair the header: %2").arg(path, file.errorString()), errc::io_error);
    return bytes / info->blockAlign();
}

} // namespace muze::wav
