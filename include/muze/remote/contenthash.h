#pragma once
// The one content hash of the project: Dropbox's content_hash (DESIGN.md §5). SHA-256 of each
// 4 MiB block, then SHA-256 of the concatenated block digests, as lowercase hex. The sync
// journal, the folder remote and the Dropbox remote all use it, so a local file, a folder
// remote file and a Dropbox entry with equal bytes have equal hashes.
//
// Thread safety: ContentHasher is a value used by one thread at a time; the free functions
// are reentrant. contentHashFile() hashes the blocks of one file on several threads.

#include <muze/util/result.h>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <atomic>
#include <memory>

namespace muze::remote {

constexpr qint64 kContentHashBlockSize = 4 * 1024 * 1024;

/// Streaming hasher: feed bytes in any chunking, read the hash at the end.
class ContentHasher {
public:
    ContentHasher();
    ~ContentHasher();
    ContentHasher(ContentHasher&&) noexcept;
    ContentHasher& operator=(ContentHasher&&) noexcept;

    void addData(QByteArrayView data);
    qint64 bytesHashed() const { return m_total; }
    /// The hash of everything added; the hasher starts over afterwards.
    QString finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
    qint64 m_total = 0;
};

/// A ContentHasher on a thread of its own, for downloads: addData() hands the bytes over
/// (shared, not copied) and returns, so the network and the hashing overlap; finish() waits
/// for what is queued. At most `maxQueued` bytes wait at a time: addData() blocks beyond
/// that, so memory stays bounded when the network outruns the hash.
/// Used by one producer thread; the destructor stops the thread without a result.
class BackgroundContentHasher {
public:
    explicit BackgroundContentHasher(qint64 maxQueued = 64 * 1024 * 1024);
    ~BackgroundContentHasher();
    BackgroundContentHasher(const BackgroundContentHasher&) = delete;
    BackgroundContentHasher& operator=(const BackgroundContentHasher&) = delete;

    /// Queues `length` bytes of `chunk` from `offset`.
    void addData(const QByteArray& chunk, qsizetype offset, qsizetype length);
    /// The hash of everything added; the hasher starts over afterwards.
    QString finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

/// Hash of a byte array.
QString contentHash(QByteArrayView data);

/// Hash of a file, its 4 MiB blocks hashed on up to `threads` threads (0 = one per core).
/// `cancel` (optional) stops early with an error coded "cancelled".
Result<QString> contentHashFile(const QString& path, int threads = 0, const std::atomic<bool>* cancel = nullptr);

/// Plain SHA-256 of `data` as lowercase hex (for ids derived from content).
QString sha256Hex(QByteArrayView data);

} // namespace muze::remote
