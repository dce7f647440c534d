// libFuzzer entry for the WAV parser: any bytes must give a header or a clear error,
// and an accepted header must describe samples that lie inside the input.
#include <muze/wav/wavformat.h>
#include <muze/wav/wavreader.h>

#include <QBuffer>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    auto info = muze::wav::parseWavHeader(buffer, QStringLiteral("fuzz"));
    if (!info) {
        const QString& code = info.error().code;
        if (code != QLatin1String("bad_wav") && code != QLatin1String("unsupported_wav"))
            std::abort();
        return 0;
    }
    const qint64 end = info->dataOffset + info->dataBytes;
    if (info->dataOffset < 12 || end > qint64(size) || info->dataBytes % info->blockAlign() != 0)
        std::abort();
    float sum = 0;
    const qint64 samples = std::min<qint64>(info->frames(), 4096) * info->channels;
    for (qint64 i = 0; i < samples; ++i)
        sum += muze::wav::sampleToFloat(
            bytes.constData() + info->dataOffset + i * info->bytesPerSample(), info->format);
    return sum == 12345.0f ? 0 : 0;
}
