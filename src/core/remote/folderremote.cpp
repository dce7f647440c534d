#include <muze/remote/folderremote.h>

#include "folderremotedetail.h"
#include "folderversions.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStorageInfo>
#include <QThread>

#include <unistd.h>

namespace muze::remote {

using namespace folder_detail;

FolderRemote::FolderRemote(QString root, QString cacheDir, QString kind)
    : m_root(QDir::cleanPath(QDir(root).absolutePath())), m_cacheDir(std::move(cacheDir)), m_kind(std::move(kind))
{
}

FolderRemote::~FolderRemote() = default;

Status FolderRemote::checkReachable(bool createIfMissing, bool cached) const
{
    // Transfers in a burst (thousands of small uploads) check at most every 2 s; listings
    // always look.
    if (cached && m_reachableChecked.isValid() && m_reachableChecked.elapsed() < 2000)
        return {};
    m_reachableChecked.invalidate();
    const fs::FileStat root = fs::lstatPath(m_root);
    const QString marker = m_root + QLatin1Char('/') + kMarker;
    if (!root.exists || !root.isDir) {
        if (!createIfMissing)
            return offline(QStringLiteral("The remote folder %1 is not there (unplugged or not mounted?)").arg(m_root));
        if (!QDir().mkpath(m_root))
            return offline(QStringLiteral("Cannot create the remote folder %1").arg(m_root));
    }
    if (!fs::lstatPath(marker).exists) {
        if (!createIfMissing)
            return offline(QStringLiteral("The remote folder %1 has lost its %2 marker: it looks unmounted or replaced. "
                                          "Nothing was changed.")
                               .arg(m_root, kMarker));
        Json doc = {{"format", 1}, {"kind", "muze-folder-remote"}};
        if (Status s = writeJsonFile(marker, doc); !s)
            return offline(s.errorString());
    }
    m_reachableChecked.start();
    return {};
}

Status FolderRemote::checkPath(const QString& path) const
{
    if (!isSafeRelativePath(path) || isInternal(path) || fs::nfc(path) != path)
        return makeError(QStringLiteral("Refusing the remote path \"%1\"").arg(path), errc::hostile_path);
    return {};
}

QString FolderRemote::actualPath(const QString& nfcPath) const
{
    const QString whole = m_root + QLatin1Char('/') + nfcPath;
    if (m_knownDirs.contains(whole.left(whole.lastIndexOf(QLatin1Char('/')))) || fs::lstatPath(whole).exists)
        return whole;
    QString current = m_root;
    const QStringList parts = nfcPath.split(QLatin1Char('/'));
    for (const QString& part : parts) {
        const QString direct = current + QLatin1Char('/') + part;
        if (fs::lstatPath(direct).exists) {
            current = direct;
            continue;
        }
        QString found;
        const QStringList names = QDir(current).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System);
        for (const QString& name : names) {
            if (fs::nfc(name) == part) {
                found = name;
                break;
            }
        }
        current += QLatin1Char('/') + (found.isEmpty() ? part : found);
    }
    return current;
}

Result<ChangeSet> FolderRemote::listChanges(const QString& cursor)
{
    if (Status s = checkReachable(cursor.isEmpty()); !s)
        return s.error();
    loadSnapshot();
    pruneVersionsIfDue();
    // Upload temp files of a device that died mid-upload: gone after a day.
    const QDir temps(m_root + QLatin1Char('/') + kTempDir);
    for (const QFileInfo& f : temps.entryInfoList({QStringLiteral("up-*.tmp")}, QDir::Files)) {
        if (f.lastModified().secsTo(QDateTime::currentDateTime()) > 24 * 3600)
            QFile::remove(f.absoluteFilePath());
    }
    Result<QHash<QString, Known>> current = walk(true);
    if (!current)
        return current.error();

    ChangeSet set;
    set.complete = cursor.isEmpty() || m_snapshotId.isEmpty() || cursor != kCursorPrefix + m_snapshotId;
    auto entryOf = [](const QString& path, const Known& k) {
        RemoteEntry e;
        e.path = path;
        e.size = k.size;
        e.rev = revOf(k);
        e.contentHash = k.hash;
        e.modified = fs::fromNs(k.mtimeNs);
        e.clientModified = e.modified;
        return e;
    };
    for (auto it = current->cbegin(); it != current->cend(); ++it) {
        if (!set.complete) {
            const auto old = m_snapshot.constFind(it.key());
            if (old != m_snapshot.cend() && old->size == it->size && old->mtimeNs == it->mtimeNs && old->inode == it->inode)
                continue;
        }
        set.entries.push_back(entryOf(it.key(), *it));
    }
    if (!set.complete) {
        for (auto it = m_snapshot.cbegin(); it != m_snapshot.cend(); ++it) {
            if (!current->contains(it.key())) {
                RemoteEntry gone;
                gone.path = it.key();
                gone.deleted = true;
                set.entries.push_back(gone);
            }
        }
    }
    if (!set.complete && set.entries.empty()) {
        set.cursor = cursor; // nothing moved: same snapshot, nothing to write
        return set;
    }
    m_snapshot = std::move(*current);
    m_hashCache.clear();
    m_snapshotId = newId();
    if (Status s = saveSnapshot(); !s)
        qCWarning(lcSync) << "folder remote: cannot save the listing snapshot:" << s.errorString();
    set.cursor = kCursorPrefix + m_snapshotId;
    return set;
}

Result<RemoteEntry> FolderRemote::entryFor(const QString& path, const QString& abs)
{
    const fs::FileStat st = fs::lstatPath(abs);
    if (!st.isFile)
        return makeError(QStringLiteral("%1 is not on the remote").arg(path), errc::not_found);
    Known k{st.size, st.mtimeNs, st.inode, {}};
    for (const QHash<QString, Known>* cache : {&m_hashCache, &m_snapshot}) {
        const auto c = cache->constFind(path);
        if (c != cache->cend() && sameStat(*c, st))
            k.hash = c->hash;
    }
    if (k.hash.isEmpty()) {
        Result<QString> h = contentHashFile(abs, 0, &m_cancelled);
        if (!h)
            return h.error();
        k.hash = *h;
        m_hashCache.insert(path, k);
    }
    RemoteEntry e;
    e.path = path;
    e.size = k.size;
    e.rev = revOf(k);
    e.contentHash = k.hash;
    e.modified = fs::fromNs(k.mtimeNs);
    e.clientModified = e.modified;
    return e;
}

Result<RemoteEntry> FolderRemote::stat(const QString& path)
{
    if (Status s = checkReachable(false); !s)
        return s.error();
    if (Status s = checkPath(path); !s)
        return s.error();
    loadSnapshot();
    return entryFor(path, actualPath(path));
}

Status FolderRemote::download(const QString& path, QIODevice& sink, qint64 offset, qint64 length,
                              const ProgressFn& progress)
{
    if (Status s = checkReachable(false, true); !s)
        return s;
    if (Status s = checkPath(path); !s)
        return s;
    const QString abs = actualPath(path);
    if (!fs::lstatPath(abs).isFile)
        return makeError(QStringLiteral("%1 is not on the remote").arg(path), errc::not_found);
    QFile file(abs);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("Cannot read %1: %2").arg(abs, file.errorString()), errc::io);
    const qint64 size = file.size();
    if (offset < 0 || offset > size)
        return makeError(QStringLiteral("Offset %1 is past the end of %2").arg(offset).arg(path), errc::io);
    const qint64 total = length < 0 ? size - offset : std::min(length, size - offset);
    if (offset > 0 && !file.seek(offset))
        return makeError(QStringLiteral("Cannot seek in %1").arg(abs), errc::io);
    QByteArray buffer(int(std::min(kChunk, std::max<qint64>(total, 1))), Qt::Uninitialized);
    qint64 done = 0;
    while (done < total) {
        if (isCancelled())
            return cancelled();
        const qint64 n = file.read(buffer.data(), std::min<qint64>(buffer.size(), total - done));
        if (n <= 0)
            return makeError(QStringLiteral("Cannot read %1: %2").arg(abs, file.errorString()), errc::io);
        if (sink.write(buffer.constData(), n) != n)
            return makeError(QStringLiteral("Cannot store %1: %2").arg(path, sink.errorString()), errc::io);
        done += n;
        if (progress && !progress(done, total))
            return cancelled();
    }
    return {};
}

Result<RemoteEntry> FolderRemote::upload(const QString& path, QIODevice& source, qint64 size, const WriteSpec& spec,
                                         const ProgressFn& progress)
{
    if (Status s = checkReachable(false, true); !s)
        return s.error();
    if (Status s = checkPath(path); !s)
        return s.error();
    loadSnapshot();
    const QString tempDir = m_root + QLatin1Char('/') + kTempDir;
    if (!QDir().mkpath(tempDir))
        return makeError(QStringLiteral("Cannot write to the remote folder %1").arg(m_root), errc::io);
    const QString temp = tempDir + QStringLiteral("/up-") + newId() + QStringLiteral(".tmp");
    QFile out(temp);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(QStringLiteral("Cannot write %1: %2").arg(temp, out.errorString()), errc::io);
    auto fail = [&](Error e) -> Result<RemoteEntry> {
        out.close();
        QFile::remove(temp);
        return e;
    };

    ContentHasher hasher;
    QByteArray buffer(int(std::min(kChunk, std::max<qint64>(size, 1))), Qt::Uninitialized);
    qint64 done = 0;
    int stalls = 0;
    while (done < size) {
        if (isCancelled())
            return fail(cancelled());
        const qint64 n = source.read(buffer.data(), std::min<qint64>(buffer.size(), size - done));
        if (n < 0)
            return fail(
                makeError(QStringLiteral("Cannot read the data for %1: %2").arg(path, source.errorString()), errc::io));
        if (n == 0) {
            if (++stalls > 3 || !source.waitForReadyRead(10000))
                return fail(makeError(
                    QStringLiteral("The data for %1 ended after %2 of %3 bytes").arg(path).arg(done).arg(size),
                    errc::io));
            continue;
        }
        stalls = 0;
        if (out.write(buffer.constData(), n) != n)
            return fail(makeError(
                QStringLiteral("Cannot write %1: %2").arg(temp, out.errorString()), errc::insufficient_space));
        hasher.addData(QByteArrayView(buffer.constData(), n));
        done += n;
        if (progress && !progress(done, size))
            return fail(cancelled());
    }
    if (!out.flush() || ::fsync(out.handle()) != 0)
        return fail(makeError(QStringLiteral("Cannot flush %1").arg(temp), errc::io));
    out.close();
    if (spec.clientModified.isValid())
        (void)fs::setMtime(temp, spec.clientModified);
    const QString hash = hasher.finish();

    const QString finalPath = actualPath(path);
    const QString parent = QFileInfo(finalPath).absolutePath();
    // Another device may have removed the folder since we saw it (its last file deleted): one
    // lstat tells, and a symlink put in its place is not a folder either.
    if (!m_knownDirs.contains(parent) || !fs::lstatPath(parent).isDir) {
        // Never write through a symlinked folder: it could lead outside the remote.
        for (QString dir = parent; dir.size() > m_root.size(); dir = QFileInfo(dir).absolutePath()) {
            const fs::FileStat st = fs::lstatPath(dir);
            if (st.exists && !st.isDir)
                return fail(makeError(QStringLiteral("%1 is not a folder on the remote").arg(dir), errc::conflict));
        }
        if (!QDir().mkpath(parent))
            return fail(makeError(QStringLiteral("Cannot create %1").arg(parent), errc::io));
        m_knownDirs.insert(parent);
    }

    {
        fs::FileLock lock(tempDir + QStringLiteral("/lock"));
        const fs::FileStat current = fs::lstatPath(finalPath);
        if (current.exists && !current.isFile)
            return fail(makeError(QStringLiteral("%1 is a folder on the remote").arg(path), errc::conflict));
        Known cur{current.size, current.mtimeNs, current.inode, {}};
        if (spec.mode == WriteMode::Add && current.exists)
            return fail(makeError(QStringLiteral("%1 already exists on the remote").arg(path), errc::conflict));
        if (spec.mode == WriteMode::Update && (!current.exists || revOf(cur) != spec.rev))
            return fail(makeError(QStringLiteral("%1 changed on the remote").arg(path), errc::conflict));
        if (current.exists) { // the replaced bytes stay in the versions area (FORMAT.md §7)
            Result<QString> kept = versions::keep(m_root, path, finalPath, false);
            if (!kept)
                return fail(kept.error());
            m_dirtyDirs.insert(*kept);
        }
        if (Status s = fs::renameAtomic(temp, finalPath); !s)
            return fail(s.error());
    }
    m_dirtyDirs.insert(parent);
    const fs::FileStat st = fs::lstatPath(finalPath);
    const Known k{st.size, st.mtimeNs, st.inode, hash};
    m_hashCache.insert(path, k);
    RemoteEntry e;
    e.path = path;
    e.size = st.size;
    e.rev = revOf(k);
    e.contentHash = hash;
    e.modified = fs::fromNs(st.mtimeNs);
    e.clientModified = e.modified;
    return e;
}

Status FolderRemote::remove(const QString& path, const QString& rev)
{
    if (Status s = checkReachable(false, true); !s)
        return s;
    if (Status s = checkPath(path); !s)
        return s;
    const QString abs = actualPath(path);
    {
        QDir().mkpath(m_root + QLatin1Char('/') + kTempDir);
        fs::FileLock lock(m_root + QLatin1Char('/') + kTempDir + QStringLiteral("/lock"));
        const fs::FileStat st = fs::lstatPath(abs);
        if (!st.isFile)
            return makeError(QStringLiteral("%1 is not on the remote").arg(path), errc::not_found);
        if (!rev.isEmpty() && revOf(Known{st.size, st.mtimeNs, st.inode, {}}) != rev)
            return makeError(QStringLiteral("%1 changed on the remote").arg(path), errc::conflict);
        Result<QString> kept = versions::keep(m_root, path, abs, true); // FORMAT.md §7
        if (!kept)
            return makeError(QStringLiteral("Cannot delete %1: %2").arg(abs, kept.errorString()), errc::io);
        m_dirtyDirs.insert(*kept);
    }
    m_hashCache.remove(path);
    m_knownDirs.clear();
    // Drop folders the delete left empty (rmdir refuses non-empty ones).
    QString dir = QFileInfo(abs).absolutePath();
    while (dir.size() > m_root.size() && QDir().rmdir(dir))
        dir = QFileInfo(dir).absolutePath();
    m_dirtyDirs.insert(dir);
    return {};
}

Status FolderRemote::flush()
{
    Status result;
    for (const QString& dir : std::as_const(m_dirtyDirs)) {
        if (!fs::lstatPath(dir).isDir)
            continue;
        if (Status s = fs::fsyncPath(dir); !s && result)
            result = s;
    }
    m_dirtyDirs.clear();
    return result;
}

Status FolderRemote::makeFolder(const QString& path)
{
    if (Status s = checkReachable(false); !s)
        return s;
    if (Status s = checkPath(path); !s)
        return s;
    if (!QDir().mkpath(actualPath(path)))
        return makeError(QStringLiteral("Cannot create %1 on the remote").arg(path), errc::io);
    return {};
}

Result<bool> FolderRemote::waitForChanges(const QString& cursor, int timeoutSeconds)
{
    loadSnapshot();
    if (cursor != kCursorPrefix + m_snapshotId)
        return true; // the caller's view is not ours: it should list
    QElapsedTimer timer;
    timer.start();
    for (;;) {
        if (Status s = checkReachable(false); !s)
            return s.error();
        Result<QHash<QString, Known>> now = walk(false);
        if (!now)
            return now.error();
        if (now->size() != m_snapshot.size())
            return true;
        for (auto it = now->cbegin(); it != now->cend(); ++it) {
            const auto old = m_snapshot.constFind(it.key());
            if (old == m_snapshot.cend() || old->size != it->size || old->mtimeNs != it->mtimeNs || old->inode != it->inode)
                return true;
        }
        for (int slept = 0; slept < m_pollMs; slept += 50) {
            if (isCancelled())
                return cancelled();
            if (timer.elapsed() >= qint64(timeoutSeconds) * 1000)
                return false;
            QThread::msleep(50);
        }
    }
}

Result<SpaceUsage> FolderRemote::spaceUsage()
{
    if (Status s = checkReachable(false); !s)
        return s.error();
    const QStorageInfo info(m_root);
    SpaceUsage u;
    u.used = info.bytesTotal() - info.bytesAvailable();
    u.allocated = info.bytesTotal();
    return u;
}

} // namespace muze::remote
