#include <muze/remote/remotefactory.h>

#include <muze/model/layout.h>
#include <muze/remote/folderremote.h>
#include <muze/util/fileio.h>

#include <QDir>

#if defined(MUZE_HAVE_DROPBOX_REMOTE) && __has_include(<muze/remote/dropboxremote.h>)
#include <muze/remote/dropboxremote.h>
#define MUZE_DROPBOX_AVAILABLE 1
#endif

namespace muze::remote {

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
        folder->setVersionRetention(vaultRetention(vault.path)); // FORMAT.md §7
        return std::unique_ptr<RemoteStore>(std::move(folder));
    }
    case vault::Provider::Dropbox:
#ifdef MUZE_DROPBOX_AVAILABLE
        return createDropboxRemote(vault);
#else
        return makeError(QStringLiteral("Dropbox support is not built into this Muze"), QStringLiteral("unavailable"));
#endif
    case vault::Provider::ICloud: {
        const QString folder = simulatedICloudFolder(vault);
        if (folder.isEmpty())
            return makeError(QStringLiteral("iCloud is unavailable on this platform"), QStringLiteral("unavailable"));
        auto remote = std::make_unique<FolderRemote>(folder, cacheDirFor(vault), QStringLiteral("icloud"));
        remote->setVersionRetention(vaultRetention(vault.path));
        return std::unique_ptr<RemoteStore>(std::move(remote));
    }
    }
    return makeError(QStringLiteral("Unknown provider"), QStringLiteral("unavailable"));
}

} // namespace muze::remote
