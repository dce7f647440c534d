#include <muze/sync/remotefactory.h>

#include <muze/model/layout.h>
#include <muze/remote/dropboxremote.h>
#include <muze/remote/folderremote.h>
#include <muze/remote/icloudremote.h>
#include <muze/remote/simulatedubiquity.h>
#include <muze/remote/remotehistory.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/fileio.h>

#include <QDir>

#include "propagatorutil.h"

namespace muze::sync {

using remote::FolderRemote;
using remote::RemoteStore;

namespace {
QString cacheDirFor(const vault::VaultRecord& vault)
{
    return QDir(vault.path).filePath(model::kLocalStateDir + QStringLiteral("/remote"));
}

QString containerIdOf(const vault::VaultRecord& vault)
{
    return vault.icloudContainerId.isEmpty() ? vault::kDefaultICloudContainer : vault.icloudContainerId;
}

// The vault's folder under the container's Documents: its name, or its id when the name
// cannot be a folder name.
QString icloudFolderName(const vault::VaultRecord& vault)
{
    if (!isSafeRelativePath(vault.name) || vault.name.contains(QLatin1Char('/')))
        return vault.id;
    return vault.name;
}

Result<std::unique_ptr<RemoteStore>> createICloudRemote(const vault::VaultRecord& vault)
{
    std::shared_ptr<remote::UbiquityContainer> container;
    const QString simulated = qEnvironmentVariable("MUZE_ICLOUD_SIMULATED_ROOT");
    if (!simulated.isEmpty()) {
        container = std::make_shared<remote::SimulatedUbiquityContainer>(simulated, containerIdOf(vault));
    } else {
        auto platform = remote::platformUbiquityContainer(containerIdOf(vault));
        if (!platform)
            return platform.error();
        container = *platform;
    }
    Result<QString> documents = container->documentsRoot(); // may block: the sync worker's thread
    if (!documents)
        return documents.error();
    // iCloud's conflict versions become the same conflicted copies the engine makes (DESIGN.md §3).
    auto namer = [](const QString& rel, const QString& device, const QDateTime& when) {
        return conflictedCopyPath(rel, device, stampOf(when.isValid() ? when.toMSecsSinceEpoch() : 0));
    };
    auto icloud = std::make_unique<remote::ICloudRemote>(
        container, QDir(*documents).filePath(icloudFolderName(vault)), cacheDirFor(vault), namer);
    icloud->folder().setVersionRetention(remote::vaultRetention(vault.path));
    return std::unique_ptr<RemoteStore>(std::move(icloud));
}
} // namespace

QString simulatedICloudFolder(const vault::VaultRecord& vault)
{
    const QString root = qEnvironmentVariable("MUZE_ICLOUD_SIMULATED_ROOT");
    if (root.isEmpty())
        return {};
    return QDir(root).filePath(containerIdOf(vault) + QStringLiteral("/Documents/") + icloudFolderName(vault));
}

Result<std::unique_ptr<RemoteStore>> createRemote(const vault::VaultRecord& vault)
{
    switch (vault.provider) {
    case vault::Provider::Local:
        if (vault.remotePath.isEmpty())
            return makeError(
                QStringLiteral("The vault \"%1\" has no remote to sync with (give it one with --remote DIR)")
                    .arg(vault.name),
                errc::no_remote);
    {
        auto folder = std::make_unique<FolderRemote>(vault.remotePath, cacheDirFor(vault));
        folder->setVersionRetention(remote::vaultRetention(vault.path)); // FORMAT.md §7
        return std::unique_ptr<RemoteStore>(std::move(folder));
    }
    case vault::Provider::Dropbox:
        if (vault.dropboxFolderPath.trimmed().isEmpty())
            return makeError(QStringLiteral("vault \"%1\" has no Dropbox folder").arg(vault.name), errc::config);
        return remote::createDropboxRemote(vault.dropboxFolderPath);
    case vault::Provider::ICloud:
        return createICloudRemote(vault);
    }
    return makeError(QStringLiteral("Unknown provider"), errc::unavailable);
}

} // namespace muze::sync
