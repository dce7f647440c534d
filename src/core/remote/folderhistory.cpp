// The folder remote's history over its versions area (docs/FORMAT.md §7; folderversions.h).
#include "folderversions.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace muze::remote {

namespace {

constexpr qint64 kPruneEveryMs = 3600 * 1000;

Error notFound(const QString& what)
{
    return makeError(what, errc::not_found);
}

class FolderHistory final : public RemoteHistory {
public:
    explicit FolderHistory(FolderRemote& remote)
        : m_remote(remote)
        , m_area(remote.root() + QLatin1Char('/') + versions::kVersionsDir)
    {
    }

    Result<std::vector<RemoteVersion>> listVersions(const QString& path) override
    {
        if (Status s = checkPath(path); !s)
            return s.error();
        std::vector<RemoteVersion> out = kept(path);
        Result<RemoteEntry> live = m_remote.stat(path);
        if (live) {
            RemoteVersion v;
            v.path = path;
            v.rev = live->rev;
            v.size = live->size;
            v.modified = live->modified;
            v.contentHash = live->contentHash;
            v.current = true;
            out.push_back(v);
        } else if (!live.error().is(errc::not_found)) {
            return live.error();
        }
        if (out.empty())
            return notFound(QStringLiteral("The remote keeps no version of %1").arg(path));
        return out;
    }

    Status downloadVersion(const QString& path, const QString& rev, QIODevice& sink) override
    {
        if (Status s = checkPath(path); !s)
            return s;
        if (!versions::parseName(rev).replaced.isValid()) {
            Result<RemoteEntry> live = m_remote.stat(path);
            if (live && live->rev == rev)
                return m_remote.download(path, sink);
            return notFound(QStringLiteral("%1 has no version %2").arg(path, rev));
        }
        QFile file(m_area + QLatin1Char('/') + path + QLatin1Char('/') + rev);
        if (!fs::lstatPath(file.fileName()).isFile || !file.open(QIODevice::ReadOnly))
            return notFound(QStringLiteral("%1 has no version %2").arg(path, rev));
        QByteArray buffer(1024 * 1024, Qt::Uninitialized);
        for (;;) {
            const qint64 n = file.read(buffer.data(), buffer.size());
            if (n < 0)
                return makeError(
                    QStringLiteral("Cannot read %1: %2").arg(file.fileName(), file.errorString()), errc::io);
            if (n == 0)
                return {};
            if (sink.write(buffer.constData(), n) != n)
                return makeError(QStringLiteral("Cannot store version %1 of %2").arg(rev, path), errc::io);
        }
    }

    Result<RemoteEntry> restoreVersion(const QString& path, const QString& rev) override
    {
        if (Status s = checkPath(path); !s)
            return s.error();
        if (!versions::parseName(rev).replaced.isValid())
            return notFound(QStringLiteral("%1 has no kept version %2").arg(path, rev));
        QFile file(m_area + QLatin1Char('/') + path + QLatin1Char('/') + rev);
        if (!fs::lstatPath(file.fileName()).isFile || !file.open(QIODevice::ReadOnly))
            return notFound(QStringLiteral("%1 has no version %2").arg(path, rev));
        WriteSpec spec;
        spec.mode = WriteMode::Overwrite;
        return m_remote.upload(path, file, file.size(), spec);
    }

    Result<std::vector<DeletedFile>> listDeleted(const QString& folder) override
    {
        if (!folder.isEmpty()) {
            if (Status s = checkPath(folder); !s)
                return s.error();
        }
        const QString base = folder.isEmpty() ? m_area : m_area + QLatin1Char('/') + folder;
        QHash<QString, RemoteVersion> newest; // path → its newest kept version
        QDirIterator it(base, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString abs = it.next();
            const versions::Name name = versions::parseName(it.fileName());
            if (!name.replaced.isValid())
                continue;
            const QString rel = QFileInfo(abs).absolutePath().mid(m_area.size() + 1);
            auto found = newest.find(rel);
            if (found != newest.end() && found->replaced >= name.replaced)
                continue;
            RemoteVersion v = versionOf(rel, abs, it.fileName(), name, false);
            newest.insert(rel, v);
        }
        std::vector<DeletedFile> out;
        for (auto it2 = newest.cbegin(); it2 != newest.cend(); ++it2) {
            if (fs::lstatPath(m_remote.root() + QLatin1Char('/') + it2.key()).exists)
                continue; // written again since
            DeletedFile d;
            d.path = it2.key();
            d.deletedAt = it2->replaced;
            d.last = *it2;
            d.last.contentHash = hashOf(m_area + QLatin1Char('/') + d.path + QLatin1Char('/') + d.last.rev);
            out.push_back(d);
        }
        std::sort(out.begin(), out.end(), [](const DeletedFile& a, const DeletedFile& b) {
            return a.deletedAt != b.deletedAt ? a.deletedAt > b.deletedAt : a.path < b.path;
        });
        return out;
    }

    Result<int> prune(const QDateTime& cutoff) override { return pruneArea(m_area, cutoff); }
    bool providerRetention() const override { return false; }

    static Result<int> pruneArea(const QString& area, const QDateTime& cutoff)
    {
        int removed = 0;
        QStringList dirs;
        QDirIterator it(
            area, QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString abs = it.next();
            const fs::FileStat st = fs::lstatPath(abs);
            if (st.isDir) {
                dirs << abs;
                continue;
            }
            const versions::Name name = versions::parseName(it.fileName());
            if (!name.replaced.isValid() || name.replaced >= cutoff)
                continue;
            if (!QFile::remove(abs))
                return makeError(QStringLiteral("Cannot remove the old version %1").arg(abs), errc::io);
            ++removed;
        }
        // Deepest first, so emptied parents go too (rmdir refuses non-empty folders).
        std::sort(dirs.begin(), dirs.end(), [](const QString& a, const QString& b) { return a.size() > b.size(); });
        for (const QString& d : std::as_const(dirs))
            QDir().rmdir(d);
        return removed;
    }

private:
    Status checkPath(const QString& path) const
    {
        if (!isSafeRelativePath(path) || fs::nfc(path) != path || path.startsWith(QLatin1String(".muze-")))
            return makeError(QStringLiteral("Refusing the remote path \"%1\"").arg(path), errc::hostile_path);
        return {};
    }

    static QString hashOf(const QString& abs)
    {
        Result<QString> h = contentHashFile(abs);
        return h ? *h : QString();
    }

    RemoteVersion versionOf(const QString& rel, const QString& abs, const QString& fileName, const versions::Name& name,
        bool withHash) const
    {
        const fs::FileStat st = fs::lstatPath(abs);
        RemoteVersion v;
        v.path = rel;
        v.rev = fileName;
        v.size = st.size;
        v.modified = fs::fromNs(st.mtimeNs);
        v.replaced = name.replaced;
        v.deleted = name.deleted;
        if (withHash)
            v.contentHash = hashOf(abs);
        return v;
    }

    std::vector<RemoteVersion> kept(const QString& path) const
    {
        std::vector<RemoteVersion> out;
        const QDir dir(m_area + QLatin1Char('/') + path);
        for (const QString& f : dir.entryList(QDir::Files | QDir::Hidden)) {
            const versions::Name name = versions::parseName(f);
            if (name.replaced.isValid())
                out.push_back(versionOf(path, dir.filePath(f), f, name, true));
        }
        std::sort(out.begin(), out.end(), [](const RemoteVersion& a, const RemoteVersion& b) {
            return a.replaced != b.replaced ? a.replaced < b.replaced : a.rev < b.rev;
        });
        return out;
    }

    FolderRemote& m_remote;
    QString m_area;
};

} // namespace

std::unique_ptr<RemoteHistory> makeFolderHistory(FolderRemote& remote)
{
    return std::make_unique<FolderHistory>(remote);
}

void FolderRemote::pruneVersionsIfDue()
{
    if (m_retention == Retention::Forever || (m_pruned.isValid() && m_pruned.elapsed() < kPruneEveryMs))
        return;
    m_pruned.start();
    Result<int> n = FolderHistory::pruneArea(
        m_root + QLatin1Char('/') + versions::kVersionsDir, retentionCutoff(m_retention, clock().now()));
    if (!n)
        qCWarning(lcSync) << "folder remote: pruning old versions:" << n.errorString();
    else if (*n > 0)
        qCInfo(lcSync) << "folder remote: pruned" << *n << "versions older than" << retentionName(m_retention);
}

} // namespace muze::remote
