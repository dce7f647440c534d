#include "pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <vector>

namespace muze::crypto::detail {

namespace {

constexpr int kReadTimeoutMs = 30000;
constexpr qint64 kMaxBatchBytes = 4 * 1024 * 1024;
constexpr int kChunksPerThread = 8;

// A few threads for the length of one pipeline run. Threads are made once per run, not per
// batch: thread start-up and stack unmapping cost more than a batch's crypto on some VMs.
class WorkerPool {
public:
    explicit WorkerPool(int threads)
    {
        try {
            for (int i = 0; i < threads; ++i)
                m_threads.emplace_back([this] { loop(); });
        } catch (...) {
            stop();
            throw;
        }
    }
    ~WorkerPool() { stop(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    std::future<Status> submit(std::function<Status()> fn)
    {
        std::packaged_task<Status()> task(std::move(fn));
        std::future<Status> result = task.get_future();
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(std::move(task));
        }
        m_wake.notify_one();
        return result;
    }

private:
    void loop()
    {
        for (;;) {
            std::packaged_task<Status()> task;
            {
                std::unique_lock lock(m_mutex);
                m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
                if (m_queue.empty())
                    return;
                task = std::move(m_queue.front());
                m_queue.pop_front();
            }
            task();
        }
    }

    void stop()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        for (std::thread& t : m_threads)
            t.join();
        m_threads.clear();
    }

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<std::packaged_task<Status()>> m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

struct Batch {
    qint64 first = 0;
    qint64 count = 0;
    QByteArray in;
    QByteArray out;
};

class Pipeline {
public:
    Pipeline(const BlobCodec& codec, Direction dir, QIODevice& source, int threads)
        : m_codec(codec), m_dir(dir), m_source(source), m_threads(std::max(1, threads))
    {
        const qint64 plainStride = qint64(codec.header().chunkSize);
        m_inStride = dir == Direction::Encrypt ? plainStride : plainStride + kChunkTagSize;
        m_outStride = dir == Direction::Encrypt ? plainStride + kChunkTagSize : plainStride;
        m_batchChunks = std::clamp<qint64>(kMaxBatchBytes / m_inStride, 1, qint64(m_threads) * kChunksPerThread);
    }

    Status run(qint64 first, qint64 end, const ChunkSink& sink)
    {
        Batch bufs[3];
        int prev = -1, cur = 0, next = 1;
        if (Status s = read(bufs[cur], first, end); !s)
            return s;
        // More than one batch: workers crypt one batch while this thread reads the next and
        // writes the previous. A single batch (small files) is done right here.
        if (bufs[cur].first + bufs[cur].count < end && m_threads > 0) {
            try {
                m_pool.emplace(m_threads);
            } catch (const std::system_error&) { // no threads to be had: work inline
            }
        }
        for (;;) {
            Batch& c = bufs[cur];
            const bool haveCur = c.count > 0;
            std::vector<std::future<Status>> work;
            if (haveCur)
                work = launch(c);
            Status delivered = prev >= 0 ? deliver(bufs[prev], sink) : Status();
            Status readNext;
            const qint64 nextFirst = c.first + c.count;
            if (haveCur && nextFirst < end && delivered)
                readNext = read(bufs[next], nextFirst, end);
            else
                bufs[next].count = 0;
            Status processed;
            for (auto& part : work) { // parts are in chunk order: the first failure is the earliest
                Status s = part.get(); // always wait for every part before touching the buffers
                if (processed && !s)
                    processed = s;
            }
            if (!delivered)
                return delivered;
            if (!processed)
                return processed;
            if (!readNext)
                return readNext;
            if (!haveCur)
                return {};
            const int spare = prev < 0 ? 3 - cur - next : prev;
            prev = cur;
            cur = next;
            next = spare;
        }
    }

private:
    qint64 inSize(qint64 index) const
    {
        return m_dir == Direction::Encrypt ? m_codec.chunkPlainSize(index) : m_codec.chunkCipherSize(index);
    }
    qint64 outSize(qint64 index) const
    {
        return m_dir == Direction::Encrypt ? m_codec.chunkCipherSize(index) : m_codec.chunkPlainSize(index);
    }

    Status read(Batch& b, qint64 first, qint64 end)
    {
        b.first = first;
        b.count = std::min(m_batchChunks, end - first);
        if (b.count <= 0) {
            b.count = 0;
            return {};
        }
        const qint64 bytes = (b.count - 1) * m_inStride + inSize(first + b.count - 1);
        b.in.resize(qsizetype(bytes));
        b.out.resize(qsizetype((b.count - 1) * m_outStride + outSize(first + b.count - 1)));
        qint64 got = 0;
        if (Status s = readFully(m_source, b.in.data(), bytes, got); !s)
            return s;
        if (got == bytes)
            return {};
        const qint64 chunk = first + got / m_inStride;
        if (m_dir == Direction::Decrypt)
            return makeError(QStringLiteral("%1: the encrypted file is truncated (it ends inside chunk %2 of %3)")
                                 .arg(m_codec.path())
                                 .arg(chunk)
                                 .arg(m_codec.chunkCount()),
                errc::truncated);
        return makeError(QStringLiteral("%1: the source ended early (at chunk %2): it changed while being encrypted")
                             .arg(m_codec.path())
                             .arg(chunk),
            errc::source_changed);
    }

    // Processes chunks [from, to) of batch `b`; the first failure in chunk order is returned.
    Status process(Batch& b, qint64 from, qint64 to) const
    {
        auto* in = reinterpret_cast<const unsigned char*>(b.in.constData());
        auto* out = reinterpret_cast<unsigned char*>(b.out.data());
        for (qint64 k = from; k < to; ++k) {
            const qint64 index = b.first + k;
            if (m_dir == Direction::Encrypt) {
                m_codec.encryptChunk(index, in + k * m_inStride, out + k * m_outStride);
            } else if (Status s = m_codec.decryptChunk(index, in + k * m_inStride, inSize(index), out + k * m_outStride); !s) {
                return s;
            }
        }
        return {};
    }

    // Splits a batch into one contiguous part per worker (or one deferred part without a pool).
    std::vector<std::future<Status>> launch(Batch& b)
    {
        std::vector<std::future<Status>> parts;
        if (!m_pool) {
            parts.push_back(std::async(std::launch::deferred, [this, &b] { return process(b, 0, b.count); }));
            return parts;
        }
        const qint64 n = std::min<qint64>(m_threads, b.count);
        const qint64 per = (b.count + n - 1) / n;
        for (qint64 from = 0; from < b.count; from += per) {
            const qint64 to = std::min(b.count, from + per);
            parts.push_back(m_pool->submit([this, &b, from, to] { return process(b, from, to); }));
        }
        return parts;
    }

    Status deliver(const Batch& b, const ChunkSink& sink) const
    {
        for (qint64 k = 0; k < b.count; ++k) {
            const qint64 index = b.first + k;
            if (Status s = sink(index, b.out.constData() + k * m_outStride, outSize(index)); !s)
                return s;
        }
        return {};
    }

    const BlobCodec& m_codec;
    Direction m_dir;
    QIODevice& m_source;
    int m_threads;
    qint64 m_inStride = 0;
    qint64 m_outStride = 0;
    qint64 m_batchChunks = 1;
    std::optional<WorkerPool> m_pool; // idle between runs: run() waits for every part it submits
};

} // namespace

Status runChunkPipeline(const BlobCodec& codec, Direction direction, QIODevice& source, qint64 first, qint64 end,
                        int threads, const ChunkSink& sink)
{
    if (first >= end)
        return {};
    Pipeline p(codec, direction, source, threads);
    return p.run(first, end, sink);
}

Status readFully(QIODevice& device, char* data, qint64 size, qint64& got)
{
    got = 0;
    while (got < size) {
        const qint64 r = device.read(data + got, size - got);
        if (r < 0)
            return makeError(QStringLiteral("Read error: %1").arg(device.errorString()), errc::io);
        if (r == 0) {
            if (device.isSequential() && device.waitForReadyRead(kReadTimeoutMs))
                continue;
            break; // end of data
        }
        got += r;
    }
    return {};
}

} // namespace muze::crypto::detail
