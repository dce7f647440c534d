#include <muze/sync/throttle.h>

#include <QThread>

#include <algorithm>

namespace muze::sync {

RateLimiter::RateLimiter(qint64 bytesPerSecond) { setRate(bytesPerSecond); }

void RateLimiter::setRate(qint64 bytesPerSecond)
{
    QMutexLocker lock(&m_mutex);
    m_rate = std::max<qint64>(0, bytesPerSecond);
    m_tokens = double(m_rate) / 4; // a quarter second of burst
    m_clock.start();
}

void RateLimiter::consume(qint64 bytes)
{
    qint64 waitMs = 0;
    {
        QMutexLocker lock(&m_mutex);
        if (m_rate <= 0)
            return;
        const double elapsed = double(m_clock.restart()) / 1000.0;
        m_tokens = std::min(double(m_rate) / 4, m_tokens + elapsed * double(m_rate)) - double(bytes);
        if (m_tokens < 0)
            waitMs = qint64(-m_tokens * 1000.0 / double(m_rate));
    }
    // Pay the debt now, so the last chunk of a transfer is paced too.
    QThread::msleep(quint64(waitMs));
}

qint64 RateLimiter::chunkLimit() const
{
    return m_rate <= 0 ? qint64(1) << 20 : std::clamp<qint64>(m_rate / 8, 4096, qint64(1) << 20);
}

ThrottledDevice::ThrottledDevice(QIODevice& inner, RateLimiter* limiter, Observer observer)
    : m_inner(inner), m_limiter(limiter), m_observer(std::move(observer))
{
    open((inner.openMode() & (QIODevice::ReadWrite)) | QIODevice::Unbuffered);
}

qint64 ThrottledDevice::bytesAvailable() const { return m_inner.bytesAvailable() + QIODevice::bytesAvailable(); }

bool ThrottledDevice::atEnd() const { return m_inner.atEnd() && QIODevice::bytesAvailable() == 0; }

qint64 ThrottledDevice::readData(char* data, qint64 maxSize)
{
    const qint64 limit = m_limiter ? m_limiter->chunkLimit() : qint64(1) << 20;
    const qint64 n = m_inner.read(data, std::min(maxSize, limit));
    if (n > 0) {
        if (m_limiter)
            m_limiter->consume(n);
        m_done += n;
        if (m_observer && !m_observer(m_done)) {
            setErrorString(QStringLiteral("cancelled"));
            return -1;
        }
    }
    return n;
}

qint64 ThrottledDevice::writeData(const char* data, qint64 size)
{
    // Callers expect the whole buffer taken: write it in paced slices.
    const qint64 limit = m_limiter ? m_limiter->chunkLimit() : size;
    qint64 done = 0;
    while (done < size) {
        const qint64 n = m_inner.write(data + done, std::min(limit, size - done));
        if (n <= 0) {
            setErrorString(m_inner.errorString());
            return done > 0 ? done : -1;
        }
        if (m_limiter)
            m_limiter->consume(n);
        done += n;
        m_done += n;
        if (m_observer && !m_observer(m_done)) {
            setErrorString(QStringLiteral("cancelled"));
            return -1;
        }
    }
    return done;
}

} // namespace muze::sync
