#pragma once
// Bandwidth limit: a token bucket shared by every transfer of a sync worker, and a QIODevice
// wrapper that charges it for each byte read or written (blocking the calling thread, which
// is the worker's). Remotes need not know about it: the engine wraps their sources and sinks.

#include <QIODevice>
#include <QMutex>
#include <QElapsedTimer>

#include <functional>

namespace muze::sync {

class RateLimiter {
public:
    /// `bytesPerSecond` <= 0: unlimited.
    explicit RateLimiter(qint64 bytesPerSecond = 0);
    void setRate(qint64 bytesPerSecond);
    qint64 rate() const { return m_rate; }
    /// Charges `bytes`, sleeping off any debt so the average stays at the rate.
    void consume(qint64 bytes);
    /// The largest slice one call should move, so pacing stays smooth (rate / 8).
    qint64 chunkLimit() const;

private:
    QMutex m_mutex;
    qint64 m_rate = 0;
    double m_tokens = 0;
    QElapsedTimer m_clock;
};

/// Wraps `inner` (already open) for reading or writing; sequential. Optional limiter and a
/// per-chunk observer (bytes so far) that can cancel by returning false.
class ThrottledDevice : public QIODevice {
public:
    using Observer = std::function<bool(qint64 bytes)>;
    ThrottledDevice(QIODevice& inner, RateLimiter* limiter, Observer observer = {});
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool atEnd() const override;
    qint64 transferred() const { return m_done; }

protected:
    qint64 readData(char* data, qint64 maxSize) override;
    qint64 writeData(const char* data, qint64 size) override;

private:
    QIODevice& m_inner;
    RateLimiter* m_limiter;
    Observer m_observer;
    qint64 m_done = 0;
};

} // namespace muze::sync
