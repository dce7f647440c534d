#include "capture.h"

#include <QMutexLocker>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the recorder hands native samples to a little-endian WAV");

namespace muze::audio {

namespace {

// Tolerance before a lag of delivered frames behind the clock counts as a gap: scheduling
// jitter of the backend's timer plus what a sound card's crystal may drift (200 ppm).
constexpr double kGapToleranceSeconds = 0.3;
constexpr double kDriftTolerance = 200e-6;

float peakOf(const char* data, qint64 samples, QAudioFormat::SampleFormat f)
{
    float peak = 0.0f;
    switch (f) {
    case QAudioFormat::Int16:
        for (qint64 i = 0; i < samples; ++i) {
            qint16 v;
            std::memcpy(&v, data + i * 2, 2);
            peak = std::max(peak, std::abs(float(v)) / 32768.0f);
        }
        break;
    case QAudioFormat::Int32:
        for (qint64 i = 0; i < samples; ++i) {
            qint32 v;
            std::memcpy(&v, data + i * 4, 4);
            peak = std::max(peak, float(std::abs(double(v)) / 2147483648.0));
        }
        break;
    case QAudioFormat::Float:
        for (qint64 i = 0; i < samples; ++i) {
            float v;
            std::memcpy(&v, data + i * 4, 4);
            peak = std::max(peak, std::abs(v));
        }
        break;
    default:
        break;
    }
    return peak;
}

} // namespace

void CaptureShared::fail(const QString& message)
{
    QMutexLocker lock(&errorMutex);
    if (error.isEmpty())
        error = message;
    failed.store(true);
}

CaptureDevice::CaptureDevice(std::shared_ptr<CaptureShared> shared)
    : m_shared(std::move(shared))
{
    m_carry.reserve(16);
}

qint64 CaptureDevice::writeData(const char* data, qint64 len)
{
    CaptureShared& s = *m_shared;
    const qint64 fb = s.frameBytes;
    qint64 offset = 0;
    if (!m_carry.isEmpty()) { // complete a frame split across two buffers
        const qint64 need = std::min(fb - m_carry.size(), len);
        m_carry.append(data, qsizetype(need));
        offset = need;
        if (m_carry.size() == fb) {
            accept(m_carry.constData(), 1);
            m_carry.clear();
        }
    }
    const qint64 frames = (len - offset) / fb;
    accept(data + offset, frames);
    const qint64 rest = len - offset - frames * fb;
    if (rest > 0)
        m_carry.append(data + offset + frames * fb, qsizetype(rest));
    return len;
}

void CaptureDevice::accept(const char* data, qint64 frames)
{
    CaptureShared& s = *m_shared;
    if (frames <= 0 || s.limitReached.load(std::memory_order_relaxed))
        return;
    const qint64 before = s.captured.load(std::memory_order_relaxed);
    if (s.maxFrames > 0 && before + frames >= s.maxFrames) {
        frames = s.maxFrames - before;
        s.limitReached.store(true);
    }
    checkClock(before, frames);
    const int channels = s.frameBytes / (s.captureFormat == QAudioFormat::Int16 ? 2 : 4);
    const float p = peakOf(data, frames * channels, s.captureFormat);
    float old = s.peak.load(std::memory_order_relaxed);
    while (p > old && !s.peak.compare_exchange_weak(old, p)) { }
    const size_t bytes = size_t(frames * s.frameBytes);
    const size_t put = s.ring.write(data, bytes - bytes % size_t(s.frameBytes));
    if (put < bytes)
        s.dropped.fetch_add(qint64(bytes - put) / s.frameBytes);
    s.captured.store(before + frames, std::memory_order_relaxed);
}

// Counts frames against the monotonic clock: a device that delivers fewer frames than
// time allows lost audio upstream (a server-side overflow, a stalled driver).
void CaptureDevice::checkClock(qint64 before, qint64 frames)
{
    CaptureShared& s = *m_shared;
    if (!m_clock.isValid()) {
        m_clock.start();
        m_firstFrames = frames; // audio gathered before the first delivery
        return;
    }
    const double elapsed = double(m_clock.nsecsElapsed()) * 1e-9;
    const qint64 expected = m_firstFrames + qint64(elapsed * s.sampleRate);
    const qint64 deficit = expected - (before + frames);
    if (deficit > s.maxDeficit.load(std::memory_order_relaxed))
        s.maxDeficit.store(deficit);
    const double tolerance = (kGapToleranceSeconds + elapsed * kDriftTolerance) * s.sampleRate;
    if (deficit > tolerance && deficit > s.gap.load(std::memory_order_relaxed))
        s.gap.store(deficit);
}

// Converts captured samples to the file's format on the disk thread.
Status writeCaptured(wav::WavWriter& w, const char* data, qint64 bytes, QAudioFormat::SampleFormat cap,
    std::vector<float>& scratch, QByteArray& packed)
{
    const wav::SampleFormat file = w.spec().format;
    if ((cap == QAudioFormat::Int16 && file == wav::SampleFormat::Int16)
        || (cap == QAudioFormat::Int32 && file == wav::SampleFormat::Int32)
        || (cap == QAudioFormat::Float && file == wav::SampleFormat::Float32))
        return w.writeRaw(data, bytes);
    if (cap == QAudioFormat::Int32 && file == wav::SampleFormat::Int24) {
        const qint64 samples = bytes / 4;
        packed.resize(qsizetype(samples * 3));
        for (qint64 i = 0; i < samples; ++i)
            std::memcpy(packed.data() + i * 3, data + i * 4 + 1, 3); // top 24 bits, little-endian
        return w.writeRaw(packed.constData(), packed.size());
    }
    const int bps = cap == QAudioFormat::Int16 ? 2 : cap == QAudioFormat::UInt8 ? 1 : 4;
    const qint64 samples = bytes / bps;
    scratch.resize(size_t(samples));
    for (qint64 i = 0; i < samples; ++i) {
        const char* p = data + i * bps;
        if (cap == QAudioFormat::Int16) {
            qint16 v;
            std::memcpy(&v, p, 2);
            scratch[size_t(i)] = float(v) / 32768.0f;
        } else if (cap == QAudioFormat::Int32) {
            qint32 v;
            std::memcpy(&v, p, 4);
            scratch[size_t(i)] = float(double(v) / 2147483648.0);
        } else if (cap == QAudioFormat::Float) {
            std::memcpy(&scratch[size_t(i)], p, 4);
        } else {
            scratch[size_t(i)] = (float(static_cast<unsigned char>(*p)) - 128.0f) / 128.0f;
        }
    }
    return w.writeFloat(scratch.data(), samples / w.spec().channels);
}

void drainToWav(CaptureShared& s, wav::WavWriter& w)
{
    std::vector<char> block(size_t(s.frameBytes) * 8192);
    std::vector<float> scratch;
    QByteArray packed;
    while (true) {
        const size_t n = s.ring.read(block.data(), block.size());
        if (n > 0) {
            if (!s.failed.load()) {
                if (Status st = writeCaptured(w, block.data(), qint64(n), s.captureFormat, scratch, packed); !st)
                    s.fail(st.error().message);
                else
                    s.written.fetch_add(qint64(n) / s.frameBytes);
            }
            continue;
        }
        if (s.stopDisk.load() && s.ring.readable() == 0)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // the ring holds 10 s: no hurry
    }
}

int bytesPerSample(QAudioFormat::SampleFormat f)
{
    return f == QAudioFormat::Int16 ? 2 : f == QAudioFormat::UInt8 ? 1 : 4;
}

} // namespace muze::audio
