#include <muze/audio/peaks.h>

#include <muze/model/layout.h>
#include <muze/util/fileio.h>
#include <muze/wav/wavreader.h>

#include <QDataStream>
#include <QFileInfo>
#include <QIODevice>
#include <QThreadPool>

#include <algorithm>
#include <cmath>

namespace muze::audio {

namespace {

constexpr quint32 kMagic = 0x4B505A4D; // "MZPK"
constexpr quint32 kVersion = 1;
constexpr qint64 kMaxPeaksFileBytes = 256 * 1024 * 1024;

struct Stamp {
    qint64 size = 0;
    qint64 mtimeMs = 0;
};

Stamp stampOf(const QString& wavPath)
{
    const QFileInfo fi(wavPath);
    return {fi.size(), fi.lastModified().toMSecsSinceEpoch()};
}

} // namespace

QString peaksCachePath(const QString& vaultRoot, const QString& trackId)
{
    return vaultRoot + QLatin1Char('/') + model::kLocalStateDir + QStringLiteral("/peaks/") + trackId
        + QStringLiteral(".peaks");
}

Result<PeakData> computePeaks(const QString& wavPath, int framesPerPeak, const std::atomic<bool>* cancel)
{
    wav::WavReader reader;
    if (Status s = reader.open(wavPath); !s)
        return s.error();
    framesPerPeak = std::max(1, framesPerPeak);
    PeakData peaks;
    peaks.framesPerPeak = framesPerPeak;
    peaks.sampleRate = reader.sampleRate();
    peaks.frames = reader.frames();
    const int ch = reader.channels();
    const qint64 count = (peaks.frames + framesPerPeak - 1) / framesPerPeak;
    peaks.minMax.reserve(size_t(count * 2));
    const qint64 blockPeaks = std::max<qint64>(1, 65536 / framesPerPeak);
    std::vector<float> buffer(size_t(blockPeaks * framesPerPeak * ch));
    for (qint64 frame = 0; frame < peaks.frames;) {
        if (cancel && cancel->load())
            return makeError(QStringLiteral("cancelled"), errc::cancelled);
        const qint64 got = reader.read(frame, blockPeaks * framesPerPeak, buffer.data());
        if (got <= 0)
            return makeError(QStringLiteral("%1: read error").arg(wavPath), errc::io_error);
        for (qint64 start = 0; start < got; start += framesPerPeak) {
            const qint64 end = std::min(got, start + framesPerPeak);
            const auto [lo, hi] = std::minmax_element(buffer.begin() + start * ch, buffer.begin() + end * ch);
            auto q = [](float v) { return qint16(std::lround(std::clamp(v, -1.0f, 1.0f) * 32767.0f)); };
            peaks.minMax.push_back(q(*lo));
            peaks.minMax.push_back(q(*hi));
        }
        frame += got;
    }
    return peaks;
}

Result<PeakData> loadCachedPeaks(const QString& cachePath, const QString& wavPath)
{
    auto bytes = readFileLimited(cachePath, kMaxPeaksFileBytes);
    if (!bytes)
        return bytes.error();
    QDataStream in(*bytes);
    in.setByteOrder(QDataStream::LittleEndian);
    quint32 magic = 0, version = 0, framesPerPeak = 0, rate = 0;
    qint64 frames = 0, size = 0, mtime = 0, count = 0;
    in >> magic >> version >> framesPerPeak >> rate >> frames >> size >> mtime >> count;
    const Stamp now = stampOf(wavPath);
    const auto stale = makeError(QStringLiteral("%1: stale or invalid peaks cache").arg(cachePath), errc::stale);
    if (in.status() != QDataStream::Ok || magic != kMagic || version != kVersion || framesPerPeak == 0
        || size != now.size || mtime != now.mtimeMs || count < 0 || count * 4 != bytes->size() - in.device()->pos())
        return stale;
    PeakData peaks;
    peaks.framesPerPeak = int(framesPerPeak);
    peaks.sampleRate = int(rate);
    peaks.frames = frames;
    peaks.minMax.resize(size_t(count * 2));
    for (auto& v : peaks.minMax)
        in >> v;
    if (in.status() != QDataStream::Ok)
        return stale;
    return peaks;
}

Status saveCachedPeaks(const QString& cachePath, const QString& wavPath, const PeakData& peaks)
{
    QByteArray bytes;
    {
        QDataStream out(&bytes, QIODevice::WriteOnly);
        out.setByteOrder(QDataStream::LittleEndian);
        const Stamp st = stampOf(wavPath);
        out << kMagic << kVersion << quint32(peaks.framesPerPeak) << quint32(peaks.sampleRate) << qint64(peaks.frames)
            << st.size << st.mtimeMs << qint64(peaks.count());
        for (qint16 v : peaks.minMax)
            out << v;
    }
    return writeFileAtomic(cachePath, bytes);
}

Result<PeakData> peaksFor(const QString& vaultRoot, const QString& trackId, const QString& wavPath)
{
    const QString cache = peaksCachePath(vaultRoot, trackId);
    if (auto cached = loadCachedPeaks(cache, wavPath))
        return cached;
    auto peaks = computePeaks(wavPath);
    if (peaks)
        (void)saveCachedPeaks(cache, wavPath, *peaks); // a cache that cannot be written is only slower
    return peaks;
}

PeaksLoader::PeaksLoader(QObject* parent)
    : QObject(parent)
    , m_cancel(std::make_shared<std::atomic<bool>>(false))
    , m_pending(std::make_shared<std::atomic<int>>(0))
{
}

PeaksLoader::~PeaksLoader()
{
    cancelAll();
    while (m_pending->load() > 0)
        QThread::msleep(5);
}

void PeaksLoader::cancelAll()
{
    m_cancel->store(true);
    m_cancel = std::make_shared<std::atomic<bool>>(false);
}

void PeaksLoader::request(const QString& vaultRoot, const QString& trackId, const QString& wavPath)
{
    auto cancel = m_cancel;
    auto pending = m_pending;
    pending->fetch_add(1);
    QThreadPool::globalInstance()->start([this, cancel, pending, vaultRoot, trackId, wavPath] {
        if (!cancel->load()) {
            const QString cache = peaksCachePath(vaultRoot, trackId);
            auto peaks = loadCachedPeaks(cache, wavPath);
            if (!peaks) {
                peaks = computePeaks(wavPath, 256, cancel.get());
                if (peaks)
                    (void)saveCachedPeaks(cache, wavPath, *peaks);
            }
            if (!cancel->load()) {
                if (peaks) {
                    auto shared = std::make_shared<const PeakData>(std::move(*peaks));
                    QMetaObject::invokeMethod(
                        this, [this, trackId, shared] { Q_EMIT ready(trackId, shared); }, Qt::QueuedConnection);
                } else {
                    const QString message = peaks.error().message;
                    QMetaObject::invokeMethod(
                        this, [this, trackId, message] { Q_EMIT failed(trackId, message); }, Qt::QueuedConnection);
                }
            }
        }
        pending->fetch_sub(1);
    });
}

} // namespace muze::audio
