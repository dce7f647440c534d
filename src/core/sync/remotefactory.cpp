#include <muze/sync/remotefactory.h>

#include <muze/model/layout.h>
#include <muze/remote/dropboxremote.h>
#include <muze/remote/folderremote.h>
#include <muze/remote/remotehistory.h>
#include <muze/util/fileio.h>

#include <QDir>

namespace muze::sync {

using remote::FolderRemote;
using remote::RemoteStore;

namespace {
QString cacheDirFor(const vault::VaultRecord& vault)
{
    return QDir(vault.path).filePath(model::kLocalStateDir + QStringLiteral("/remote"));
}
} // namespace

QString simulatedICloudFolder(const vault::VaultRecord& vault)
{
    const QString root = qEnvironmentVariable("MUZE_ICLOUD_SIMULATED_ROOT");
    if (root.isEmpty())
        return {};
    const QString container = vault.icloudContainerId.isEmpty() ? vault::kDefaultICloudContainer : vault.icloudContainerId;
    QString name = vault.name;
    if (!isSafeRelativePath(name) || name.contains(QLatin1Char('/')))
        name = vault.id;
    return QDir(root).filePath(container + QStringLiteral("/Documents/") + name);
}

Result<std::unique_ptr<RemoteStore>> createRemote(const vault::VaultRecord& vault)
{
    switch (vault.provider) {
    case vault::Provider::Local:
        if (vault.remotePath.isEmpty())
            return makeError(QStringLiteral("The vault \"%1\" has no remote to sync with (give it one with --remote DIR)")
                                 .arg(vault.name),
                             QStringLiteral("no_remote"));
    {
        auto folder = std::make_unique<FolderRemote>(vault.remotePath, cacheDirFor(vault));
        folder->setVersionRetention(remote::vaultRetention(vault.path)); // FORMAT.md §7
        return std::unique_ptr<RemoteStore>(std::move(folder));
    }
    case vault::Provider::Dropbox:
        if (vault.dropboxFolderPath.trimmed().isEmpty())
            return makeError(QStringLiteral("vault \"%1\" has no Dropbox folder").arg(vault.name), QStringLiteral("config"));
        return remote::createDropboxRemote(vault.dropboxFolderPath);
    case vault::Provider::ICloud: {
        const QString folder = simulatedICloudFolder(vault);
        if (folder.isEmpty())
            return makeError(QStringLiteral("iCloud is unavailable on this platform"), QStringLiteral("unavailable"));
        auto remote = std::make_unique<FolderRemote>(folder, cacheDirFor(vault), QStringLiteral("icloud"));
        remote->setVersionRetention(remote::vaultRetention(vault.path));
        return std::unique_ptr<RemoteStore>(std::move(remote));
    }
    }
    return makeError(QStringLiteral("Unknown provider"), QStringLiteral("unavailable"));
}

} // namespace muze::sync
