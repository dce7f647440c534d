#include <muze/remote/fsops.h>

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace muze::remote::fs {

namespace {
QByteArray native(const QString& path) { return QFile::encodeName(path); }
QString lastError() { return QString::fromLocal8Bit(std::strerror(errno)); }

// A file's mtime in nanoseconds. POSIX names the timespec st_mtim, Apple st_mtimespec: the
// overload whose member exists is chosen (the int/long tag prefers st_mtim where both do).
template <typename Stat>
auto mtimeNs(const Stat& st, int) -> decltype(st.st_mtim, qint64())
{
    return qint64(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
}
template <typename Stat>
auto mtimeNs(const Stat& st, long) -> decltype(st.st_mtimespec, qint64())
{
    return qint64(st.st_mtimespec.tv_sec) * 1000000000LL + st.st_mtimespec.tv_nsec;
}
} // namespace

QStringList listDirectory(const QString& path)
{
    QStringList names;
    DIR* dir = ::opendir(native(path).constData());
    if (!dir)
        return names;
    while (const dirent* e = ::readdir(dir)) {
        const char* n = e->d_name;
        if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
            continue;
        names << QFile::decodeName(n);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

FileStat lstatPath(const QString& path)
{
    FileStat out;
    struct stat st {};
    if (::lstat(native(path).constData(), &st) != 0)
        return out;
    out.exists = true;
    out.isFile = S_ISREG(st.st_mode);
    out.isDir = S_ISDIR(st.st_mode);
    out.isSymlink = S_ISLNK(st.st_mode);
    out.size = qint64(st.st_size);
    out.mtimeNs = mtimeNs(st, 0);
    out.inode = quint64(st.st_ino);
    return out;
}

Status fsyncPath(const QString& path)
{
    const int fd = ::open(native(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return makeError(QStringLiteral("Cannot open %1: %2").arg(path, lastError()), errc::io);
    const int rc = ::fsync(fd);
    const QString why = rc != 0 ? lastError() : QString();
    ::close(fd);
    if (rc != 0)
        return makeError(QStringLiteral("Cannot flush %1: %2").arg(path, why), errc::io);
    return {};
}

Status setMtime(const QString& path, const QDateTime& time)
{
    if (!time.isValid())
        return {};
    const qint64 ns = toNs(time);
    struct timespec ts[2];
    ts[0].tv_sec = 0;
    ts[0].tv_nsec = UTIME_OMIT;
    ts[1].tv_sec = time_t(ns / 1000000000LL);
    ts[1].tv_nsec = long(ns % 1000000000LL);
    if (::utimensat(AT_FDCWD, native(path).constData(), ts, AT_SYMLINK_NOFOLLOW) != 0)
        return makeError(QStringLiteral("Cannot set the time of %1: %2").arg(path, lastError()), errc::io);
    return {};
}

Status renameAtomic(const QString& from, const QString& to)
{
    if (::rename(native(from).constData(), native(to).constData()) != 0)
        return makeError(QStringLiteral("Cannot move %1 to %2: %3").arg(from, to, lastError()), errc::io);
    return {};
}

Status renameDurably(const QString& from, const QString& to)
{
    if (Status s = renameAtomic(from, to); !s)
        return s;
    return fsyncPath(QFileInfo(to).absolutePath());
}

QDateTime fromNs(qint64 ns) { return QDateTime::fromMSecsSinceEpoch(ns / 1000000, Qt::UTC); }
qint64 toNs(const QDateTime& t) { return t.toMSecsSinceEpoch() * 1000000LL; }

QString nfc(const QString& s)
{
    // Fast path: ASCII is always NFC (ids, folder names of a Muze vault).
    for (QChar c : s) {
        if (c.unicode() >= 0x80)
            return s.normalized(QString::NormalizationForm_C);
    }
    return s;
}

FileLock::FileLock(const QString& path, bool wait)
{
    m_fd = ::open(native(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        return;
    while (::flock(m_fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno != EINTR) {
            ::close(m_fd);
            m_fd = -1;
            return;
        }
    }
}

FileLock::~FileLock()
{
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

} // namespace muze::remote::fs
