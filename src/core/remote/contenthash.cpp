#include <muze/remote/contenthash.h>

#include "sha256.h"

#include <QFile>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace muze::remote {

using detail::Digest;
using detail::Sha256;

namespace {

QString hex(const Digest& d)
{
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(d.data()), qsizetype(d.size())).toHex());
}

QString combine(const std::vector<Digest>& blocks)
{
    Sha256 outer;
    for (const Digest& d : blocks)
        outer.add(d.data(), qsizetype(d.size()));
    return hex(outer.finish());
}

Error ioError(const QString& path, const QString& why)
{
    return makeError(QStringLiteral("Cannot hash %1: %2").arg(path, why), errc::io);
}

} // namespace

struct ContentHasher::Impl {
    Sha256 block;
    qint64 inBlock = 0;
    std::vector<Digest> digests;
};

ContentHasher::ContentHasher() : m_d(std::make_unique<Impl>()) {}
ContentHasher::~ContentHasher() = default;
ContentHasher::ContentHasher(ContentHasher&&) noexcept = default;
ContentHasher& ContentHasher::operator=(ContentHasher&&) noexcept = default;

void ContentHasher::addData(QByteArrayView data)
{
    const char* p = data.data();
    qint64 left = data.size();
    m_total += left;
    while (left > 0) {
        const qint64 take = std::min(left, kContentHashBlockSize - m_d->inBlock);
        m_d->block.add(p, take);
        m_d->inBlock += take;
        p += take;
        left -= take;
        if (m_d->inBlock == kContentHashBlockSize) {
            m_d->digests.push_back(m_d->block.finish());
            m_d->inBlock = 0;
        }
    }
}

struct BackgroundContentHasher::Impl {
    struct Piece {
        QByteArray bytes;
        qsizetype offset = 0;
        qsizetype length = 0;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<Piece> queue;
    qint64 queued = 0;
    qint64 maxQueued = 0;
    bool busy = false;
    bool stop = false;
    ContentHasher hasher; // touched by the thread only while `busy`, by finish() only when idle
    std::thread thread;

    void loop()
    {
        std::unique_lock lock(mutex);
        for (;;) {
            changed.wait(lock, [&] { return stop || !queue.empty(); });
            if (queue.empty())
                return;
            Piece piece = std::move(queue.front());
            queue.pop_front();
            busy = true;
            lock.unlock();
            hasher.addData(QByteArrayView(piece.bytes).sliced(piece.offset, piece.length));
            lock.lock();
            busy = false;
            queued -= piece.length;
            changed.notify_all();
        }
    }
};

BackgroundContentHasher::BackgroundContentHasher(qint64 maxQueued)
    : m_d(std::make_unique<Impl>())
{
    m_d->maxQueued = std::max<qint64>(maxQueued, 1);
    m_d->thread = std::thread([d = m_d.get()] { d->loop(); });
}

BackgroundContentHasher::~BackgroundContentHasher()
{
    {
        std::lock_guard lock(m_d->mutex);
        m_d->stop = true;
        m_d->queue.clear();
    }
    m_d->changed.notify_all();
    m_d->thread.join();
}

void BackgroundContentHasher::addData(const QByteArray& chunk, qsizetype offset, qsizetype length)
{
    if (length <= 0)
        return;
    std::unique_lock lock(m_d->mutex);
    // A piece larger than the cap still goes in once the queue is empty.
    m_d->changed.wait(lock, [&] { return m_d->queued == 0 || m_d->queued + length <= m_d->maxQueued; });
    m_d->queue.push_back({chunk, offset, length});
    m_d->queued += length;
    m_d->changed.notify_all();
}

QString BackgroundContentHasher::finish()
{
    std::unique_lock lock(m_d->mutex);
    m_d->changed.wait(lock, [&] { return m_d->queue.empty() && !m_d->busy; });
    return m_d->hasher.finish();
}

QString ContentHasher::finish()
{
    if (m_d->inBlock > 0)
        m_d->digests.push_back(m_d->block.finish());
    const QString result = combine(m_d->digests);
    m_d->digests.clear();
    m_d->block.reset();
    m_d->inBlock = 0;
    m_total = 0;
    return result;
}

QString contentHash(QByteArrayView data)
{
    std::vector<Digest> blocks;
    for (qsizetype off = 0; off < data.size(); off += kContentHashBlockSize) {
        const qsizetype n = std::min<qsizetype>(kContentHashBlockSize, data.size() - off);
        blocks.push_back(Sha256::of(data.data() + off, n));
    }
    return combine(blocks);
}

QString sha256Hex(QByteArrayView data) { return hex(Sha256::of(data.data(), data.size())); }

Result<QString> contentHashFile(const QString& path, int threads, const std::atomic<bool>* cancel)
{
#ifdef Q_OS_UNIX
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ioError(path, QString::fromLocal8Bit(strerror(errno)));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return ioError(path, QStringLiteral("not a regular file"));
    }
#ifdef POSIX_FADV_SEQUENTIAL
    if (st.st_size > kContentHashBlockSize)
        ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    const qint64 size = st.st_size;
    const qint64 blockCount = (size + kContentHashBlockSize - 1) / kContentHashBlockSize;
    std::vector<Digest> digests(static_cast<size_t>(blockCount));
    std::atomic<qint64> next{0};
    std::atomic<int> failure{0}; // errno of the first failed read, -1 = short read, -2 = cancelled

    auto work = [&] {
        std::vector<char> buffer(size_t(std::min(kContentHashBlockSize, std::max<qint64>(size, 1))));
        for (;;) {
            if (failure.load(std::memory_order_relaxed))
                return;
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                failure.store(-2);
                return;
            }
            const qint64 b = next.fetch_add(1);
            if (b >= blockCount)
                return;
            const qint64 offset = b * kContentHashBlockSize;
            const qint64 want = std::min(kContentHashBlockSize, size - offset);
            qint64 got = 0;
            while (got < want) {
                const ssize_t n = ::pread(fd, buffer.data() + got, size_t(want - got), off_t(offset + got));
                if (n < 0 && errno == EINTR)
                    continue;
                if (n <= 0) {
                    int expected = 0;
                    failure.compare_exchange_strong(expected, n < 0 ? errno : -1);
                    return;
                }
                got += n;
            }
            digests[size_t(b)] = Sha256::of(buffer.data(), want);
        }
    };

    int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    n = int(std::min<qint64>(n, std::max<qint64>(blockCount, 1)));
    std::vector<std::thread> pool;
    pool.reserve(size_t(n - 1));
    for (int i = 1; i < n; ++i)
        pool.emplace_back(work);
    work();
    for (std::thread& t : pool)
        t.join();
    ::close(fd);

    if (const int f = failure.load()) {
        if (f == -2)
            return makeError(QStringLiteral("Hashing %1 was cancelled").arg(path), errc::cancelled);
        return ioError(path, f == -1 ? QStringLiteral("the file shrank while it was read")
                                     : QString::fromLocal8Bit(strerror(f)));
    }
    return combine(digests);
#else
    Q_UNUSED(threads);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return ioError(path, file.errorString());
    ContentHasher hasher;
    QByteArray buffer;
    while (!file.atEnd()) {
        if (cancel && cancel->load())
            return makeError(QStringLiteral("Hashing %1 was cancelled").arg(path), errc::cancelled);
        buffer = file.read(kContentHashBlockSize);
        if (buffer.isEmpty() && file.error() != QFile::NoError)
            return ioError(path, file.errorString());
        hasher.addData(buffer);
    }
    return hasher.finish();
#endif
}

} // namespace muze::remote
