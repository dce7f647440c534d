#include "catch.h"
#include "testsupport.h"

#include <muze/sync/remotefactory.h>

#include <QDir>

using namespace muze;

TEST_CASE("remote factory: folder, iCloud (simulated or unavailable), clear errors")
{
    test::TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("v1");
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));

    Result<std::unique_ptr<remote::RemoteStore>> none = sync::createRemote(v);
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == QStringLiteral("no_remote"));

    v.remotePath = dir.filePath(QStringLiteral("remote"));
    Result<std::unique_ptr<remote::RemoteStore>> folder = sync::createRemote(v);
    REQUIRE(folder.ok());
    CHECK((*folder)->kind() == QStringLiteral("folder"));

    v.provider = vault::Provider::ICloud;
    v.icloudContainerId = QStringLiteral("iCloud.com.krondor.muze");
    qunsetenv("MUZE_ICLOUD_SIMULATED_ROOT");
    Result<std::unique_ptr<remote::RemoteStore>> icloud = sync::createRemote(v);
    REQUIRE_FALSE(icloud.ok());
    CHECK(icloud.error().code == QStringLiteral("unavailable"));
    CHECK(icloud.errorString().contains(QStringLiteral("iCloud")));

    qputenv("MUZE_ICLOUD_SIMULATED_ROOT", dir.filePath(QStringLiteral("ubiquity")).toUtf8());
    icloud = sync::createRemote(v);
    REQUIRE(icloud.ok());
    CHECK((*icloud)->kind() == QStringLiteral("icloud"));
    CHECK(sync::simulatedICloudFolder(v) == dir.filePath(QStringLiteral("ubiquity/iCloud.com.krondor.muze/Documents/Band")));
    REQUIRE((*icloud)->listChanges({}).ok());
    CHECK(QDir(sync::simulatedICloudFolder(v)).exists());
    qunsetenv("MUZE_ICLOUD_SIMULATED_ROOT");

    v.provider = vault::Provider::Dropbox; // a Dropbox vault needs its folder
    Result<std::unique_ptr<remote::RemoteStore>> dropbox = sync::createRemote(v);
    REQUIRE_FALSE(dropbox.ok());
    CHECK(dropbox.error().code == QStringLiteral("config"));
    CHECK(dropbox.errorString().contains(QStringLiteral("Band")));
}
