// The history of an iCloud vault (remotehistory.h): the folder remote's versions area, which
// iCloud syncs like any folder, plus the versions iCloud itself keeps of each file
// (NSFileVersion through UbiquityContainer). Their revs start with "icloud:".
#include <muze/remote/icloudremote.h>
#include <muze/remote/remotehistory.h>

#include <QDir>
#include <QFile>

#include <algorithm>

namespace muze::remote {

std::unique_ptr<RemoteHistory> makeFolderHistory(FolderRemote& remote); // folderhistory.cpp

namespace {

const QString kPrefix = QStringLiteral("icloud:");

class ICloudHistory final : public RemoteHistory {
public:
    explicit ICloudHistory(ICloudRemote& remote)
        : m_remote(remote)
        , m_folder(makeFolderHistory(remote.folder()))
    {
    }

    Result<std::vector<RemoteVersion>> listVersions(const QString& path) override
    {
        Result<std::vector<RemoteVersion>> folder = m_folder->listVersions(path);
        if (!folder && !folder.error().is(errc::not_found))
            return folder;
        Result<std::vector<UbiquityVersion>> icloud = m_remote.container().versions(abs(path), false);
        if (!icloud)
            return icloud.error();
        if (!folder && icloud->empty())
            return folder;
        std::vector<RemoteVersion> out = folder ? std::move(*folder) : std::vector<RemoteVersion>{};
        for (const UbiquityVersion& v : *icloud) {
            RemoteVersion r;
            r.path = path;
            r.rev = kPrefix + v.id;
            r.size = std::max<qint64>(0, v.size);
            r.modified = v.modified;
            r.replaced = v.modified; // iCloud does not say when; at least not before it was written
            out.push_back(std::move(r));
        }
        // Oldest first, the current version last.
        std::stable_sort(out.begin(), out.end(), [](const RemoteVersion& a, const RemoteVersion& b) {
            if (a.current != b.current)
                return b.current;
            return a.modified < b.modified;
        });
        return out;
    }

    Status downloadVersion(const QString& path, const QString& rev, QIODevice& sink) override
    {
        if (!rev.startsWith(kPrefix))
            return m_folder->downloadVersion(path, rev, sink);
        Result<QString> tmp = copyToTemp(path, rev);
        if (!tmp)
            return tmp.error();
        QFile file(*tmp);
        Status s;
        if (!file.open(QIODevice::ReadOnly))
            s = makeError(QStringLiteral("Cannot read %1").arg(*tmp), errc::io);
        while (s && !file.atEnd()) {
            const QByteArray chunk = file.read(1 << 20);
            if (chunk.isEmpty() || sink.write(chunk) != chunk.size())
                s = makeError(QStringLiteral("Cannot copy a version of %1").arg(path), errc::io);
        }
        file.close();
        QFile::remove(*tmp);
        return s;
    }

    Result<RemoteEntry> restoreVersion(const QString& path, const QString& rev) override
    {
        if (!rev.startsWith(kPrefix))
            return m_folder->restoreVersion(path, rev);
        // A new write through the remote, so the folder keeps the version it replaces.
        Result<QString> tmp = copyToTemp(path, rev);
        if (!tmp)
            return tmp.error();
        QFile file(*tmp);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(QStringLiteral("Cannot read %1").arg(*tmp), errc::io);
        Result<RemoteEntry> out = m_remote.upload(path, file, file.size(), {WriteMode::Overwrite, {}, {}});
        file.close();
        QFile::remove(*tmp);
        return out;
    }

    Result<std::vector<DeletedFile>> listDeleted(const QString& folder) override { return m_folder->listDeleted(folder); }
    Result<int> prune(const QDateTime& cutoff) override { return m_folder->prune(cutoff); }
    bool providerRetention() const override { return false; }

private:
    QString abs(const QString& path) const { return m_remote.folder().root() + QLatin1Char('/') + path; }

    Result<QString> copyToTemp(const QString& path, const QString& rev)
    {
        const QString tmp = QDir::temp().filePath(QStringLiteral("muze-icloud-version-%1").arg(qHash(rev), 0, 16));
        QFile::remove(tmp);
        if (Status s = m_remote.container().copyVersion(abs(path), rev.mid(kPrefix.size()), tmp); !s)
            return s.error();
        return tmp;
    }

    ICloudRemote& m_remote;
    std::unique_ptr<RemoteHistory> m_folder;
};

} // namespace

std::unique_ptr<RemoteHistory> makeICloudHistory(ICloudRemote& remote) { return std::make_unique<ICloudHistory>(remote); }

} // namespace muze::remote
