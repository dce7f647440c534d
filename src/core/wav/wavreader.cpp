#include <muze/wav/wavreader.h>

#include <QtEndian>

#include <cstring>

namespace muze::wav {

float sampleToFloat(const char* s, SampleFormat format)
{
    switch (format) {
    case SampleFormat::Int16:
        return float(qFromLittleEndian<qint16>(s)) * (1.0f / 32768.0f);
    case SampleFormat::Int24: {
        const auto b0 = quint32(static_cast<unsigned char>(s[0]));
        const auto b1 = quint32(static_cast<unsigned char>(s[1]));
        const auto b2 = quint32(static_cast<unsigned char>(s[2]));
        // Sign-extend the 24-bit value through the top byte of a 32-bit word.
        const auto v = qint32((b0 << 8) | (b1 << 16) | (b2 << 24)) >> 8;
        return float(v) * (1.0f / 8388608.0f);
    }
    case SampleFormat::Int32:
        return float(double(qFromLittleEndian<qint32>(s)) * (1.0 / 2147483648.0));
    case SampleFormat::Float32: {
        const quint32 u = qFromLittleEndian<quint32>(s);
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
    }
    return 0.0f;
}

Status WavReader::open(const QString& path)
{
    close();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1: cannot open: %2").arg(path, m_file.errorString()), errc::io_error);
    auto info = parseWavHeader(m_file, path);
    if (!info) {
        m_file.close();
        return info.error();
    }
    m_info = *info;
    return {};
}

void WavReader::close()
{
    m_file.close();
    m_info = {};
}

qint64 WavReader::read(qint64 frame, qint64 count, float* out)
{
    if (!m_file.isOpen() || frame < 0 || count < 0)
        return -1;
    const qint64 total = frames();
    if (frame >= total || count == 0)
        return 0;
    count = std::min(count, total - frame);
    const int align = m_info.blockAlign();
    const int bps = m_info.bytesPerSample();
    constexpr qint64 kChunkFrames = 16384;
    qint64 done = 0;
    if (!m_file.seek(m_info.dataOffset + frame * align))
        return -1;
    while (done < count) {
        const qint64 n = std::min(kChunkFrames, count - done);
        m_buffer.resize(qsizetype(n * align));
        qint64 got = 0;
        while (got < n * align) {
            const qint64 r = m_file.read(m_buffer.data() + got, n * align - got);
            if (r <= 0)
                break;
            got += r;
        }
        const qint64 frames = got / align;
        const char* p = m_buffer.constData();
        float* o = out + done * m_info.channels;
        for (qint64 i = 0; i < frames * m_info.channels; ++i)
            o[i] = sampleToFloat(p + i * bps, m_info.format);
        done += frames;
        if (frames < n) // the file shrank under us
            return done > 0 ? done : -1;
    }
    return done;
}

Result<std::vector<float>> WavReader::readAll(const QString& path, WavInfo* info, qint64 maxFrames)
{
    WavReader reader;
    if (auto st = reader.open(path); !st)
        return st.error();
    if (reader.frames() > maxFrames)
        return makeError(QStringLiteral("%1: too long to load at once").arg(path), errc::too_large);
    std::vector<float> samples(size_t(reader.frames() * reader.channels()));
    if (reader.read(0, reader.frames(), samples.data()) != reader.frames())
        return makeError(QStringLiteral("%1: read error").arg(path), errc::io_error);
    if (info)
        *info = reader.info();
    return samples;
}

} // namespace muze::wav
