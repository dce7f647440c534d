#pragma once
// Small POSIX file-system helpers shared by the folder remote and the sync engine: lstat with
// nanosecond mtime and inode (the scan's fast path), fsync of a file or folder (durable
// renames), mtimes, an exclusive advisory lock, and Unicode NFC for names.

#include <muze/util/result.h>

#include <QDateTime>
#include <QString>
#include <QStringList>

namespace muze::remote::fs {

struct FileStat {
    bool exists = false;
    bool isFile = false;
    bool isDir = false;
    bool isSymlink = false;
    qint64 size = 0;
    qint64 mtimeNs = 0; // nanoseconds since the epoch
    quint64 inode = 0;
};

/// lstat(): never follows a symlink.
FileStat lstatPath(const QString& path);

/// The names in a folder, without "." and "..", sorted by code unit (deterministic, and cheap:
/// no locale). Read with readdir(), so unlike QDir::entryList nothing is stat'ed per name; an
/// unreadable or missing folder gives an empty list.
QStringList listDirectory(const QString& path);

/// fsyncs a file (by path) or a folder (so a rename or unlink inside it is durable).
Status fsyncPath(const QString& path);
/// Sets a file's mtime (not following symlinks).
Status setMtime(const QString& path, const QDateTime& time);
/// Renames `from` over `to` (same file system, atomic) and fsyncs the target's folder.
Status renameDurably(const QString& from, const QString& to);
/// The same rename without the folder fsync (the caller fsyncs the folder later, in a batch).
Status renameAtomic(const QString& from, const QString& to);

QDateTime fromNs(qint64 ns);
qint64 toNs(const QDateTime& t);

/// Unicode NFC of a name or path.
QString nfc(const QString& s);

/// An exclusive advisory lock (flock) on `path` (created if missing), released on destruction
/// or when the process dies (even by kill -9). Blocks until acquired unless `wait` is false.
class FileLock {
public:
    explicit FileLock(const QString& path, bool wait = true);
    ~FileLock();
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    bool locked() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

} // namespace muze::remote::fs
