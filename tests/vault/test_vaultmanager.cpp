#include "catch.h"
#include "testsupport.h"

#include <muze/model/layout.h>
#include <muze/vault/vaultmanager.h>

#include <QDir>
#include <QFile>
#include <QSignalSpy>

using namespace muze;
using namespace muze::vault;

TEST_CASE("the registry persists vaults with the app's fields")
{
    test::TempDir dir;
    const QString cfg = dir.filePath(QStringLiteral("cfg"));
    QString personalId, workId;
    {
        VaultManager m(cfg);
        REQUIRE(m.load().ok());
        auto personal = m.create({QStringLiteral("Personal"), Provider::ICloud, dir.filePath(QStringLiteral("p")), {}, {}, {}, false});
        REQUIRE(personal.ok());
        auto work = m.create({QStringLiteral("Work"), Provider::Dropbox, dir.filePath(QStringLiteral("w")), {},
                              QStringLiteral("/Apps/Muze/Work"), {}, true});
        REQUIRE(work.ok());
        personalId = personal->id;
        workId = work->id;
        CHECK(m.currentId() == personalId); // the first vault becomes current
    }
    VaultManager again(cfg);
    REQUIRE(again.load().ok());
    REQUIRE(again.vaults().size() == 2);
    const VaultRecord p = *again.byId(personalId);
    const VaultRecord w = *again.byId(workId);
    CHECK(p.name == QStringLiteral("Personal"));
    CHECK(p.provider == Provider::ICloud);
    CHECK(p.icloudContainerId == QStringLiteral("iCloud.com.krondor.muze"));
    CHECK_FALSE(p.isDefault);
    CHECK(w.isDefault); // --default moved it
    CHECK(w.dropboxFolderPath == QStringLiteral("/Apps/Muze/Work"));
    CHECK(again.currentId() == personalId);

    const Json reg = *parseJson(test::readAll(cfg + QStringLiteral("/vaults.json")), QStringLiteral("reg"));
    const Json& entry = reg["vaults"][1];
    for (const char* key : {"id", "name", "provider", "path", "is_default", "last_synced", "sync_status", "dropbox_config", "icloud_config"})
        CHECK(entry.contains(key));
    CHECK(entry["dropbox_config"]["folder_path"] == "/Apps/Muze/Work");
    CHECK(reg["vaults"][0]["icloud_config"]["container_id"] == "iCloud.com.krondor.muze");
    CHECK(QFile::exists(dir.filePath(QStringLiteral("w/vault.json"))));
}

TEST_CASE("rename, default, switch and remove signal and persist")
{
    test::TempDir dir;
    VaultManager m(dir.filePath(QStringLiteral("cfg")));
    REQUIRE(m.load().ok());
    auto a = m.create({QStringLiteral("A"), Provider::Local, dir.filePath(QStringLiteral("a")), {}, {}, {}, false});
    auto b = m.create({QStringLiteral("B"), Provider::Local, dir.filePath(QStringLiteral("b")), {}, {}, {}, false});
    QSignalSpy changed(&m, &VaultManager::vaultsChanged);
    QSignalSpy switched(&m, &VaultManager::currentVaultChanged);

    REQUIRE(m.setCurrent(b->id).ok());
    CHECK(switched.count() == 1);
    CHECK(switched.at(0).at(0).toString() == b->id);
    REQUIRE(m.rename(a->id, QStringLiteral("Local Backup")).ok());
    CHECK_FALSE(m.rename(a->id, QStringLiteral("b")).ok()); // names are unique, case-insensitively
    REQUIRE(m.setDefault(b->id).ok());
    CHECK(changed.count() == 2);

    // Removing keeps files unless asked.
    REQUIRE(m.remove(a->id, false).ok());
    CHECK(QDir(dir.filePath(QStringLiteral("a"))).exists());
    REQUIRE(m.remove(b->id, true).ok());
    CHECK_FALSE(QDir(dir.filePath(QStringLiteral("b"))).exists());
    CHECK(m.currentId().isEmpty());

    VaultManager again(dir.filePath(QStringLiteral("cfg")));
    REQUIRE(again.load().ok());
    CHECK(again.vaults().isEmpty());
}

TEST_CASE("the device has a stable id and a name")
{
    test::TempDir dir;
    QString id;
    {
        VaultManager m(dir.path());
        REQUIRE(m.load().ok());
        id = m.device().id;
        CHECK(id.size() == 16);
        CHECK_FALSE(m.device().name.isEmpty());
        REQUIRE(m.setDeviceName(QStringLiteral("Studio Mac")).ok());
    }
    VaultManager again(dir.path());
    REQUIRE(again.load().ok());
    CHECK(again.device().id == id);
    CHECK(again.device().name == QStringLiteral("Studio Mac"));
}

TEST_CASE("a corrupt registry is an error naming the file, and it is not overwritten")
{
    test::TempDir dir;
    const QString file = dir.filePath(QStringLiteral("vaults.json"));
    for (const QByteArray& bad : {QByteArray("{\"vaults\": [ {\"id\": "), QByteArray("{\"vaults\": 3}"),
                                  QByteArray("{\"vaults\": [{\"id\": \"../x\", \"name\": \"n\", \"provider\": \"local\", \"path\": \"/p\"}]}"),
                                  QByteArray("{\"vaults\": [{\"id\": \"a1\", \"name\": \"n\", \"provider\": \"ftp\", \"path\": \"/p\"}]}")}) {
        test::writeAll(file, bad);
        VaultManager m(dir.path());
        auto s = m.load();
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message.contains(file));
        CHECK(test::readAll(file) == bad);
    }
}

TEST_CASE("unknown registry fields survive a rewrite")
{
    test::TempDir dir;
    test::writeAll(dir.filePath(QStringLiteral("vaults.json")),
                   "{\"vaults\": [{\"id\": \"a1\", \"name\": \"Old\", \"provider\": \"local\", \"path\": \"" + dir.filePath(QStringLiteral("v")).toUtf8()
                       + "\", \"color\": \"#ff0000\"}], \"window\": {\"w\": 3}}");
    VaultManager m(dir.path());
    REQUIRE(m.load().ok());
    REQUIRE(m.rename(QStringLiteral("a1"), QStringLiteral("New")).ok());
    const Json reg = *parseJson(test::readAll(dir.filePath(QStringLiteral("vaults.json"))), QStringLiteral("reg"));
    CHECK(reg["vaults"][0]["color"] == "#ff0000");
    CHECK(reg["vaults"][0]["name"] == "New");
    CHECK(reg["window"]["w"] == 3);
}

TEST_CASE("an existing vault folder keeps its identity when registered on another device")
{
    test::TempDir dir;
    VaultManager first(dir.filePath(QStringLiteral("cfg1")));
    REQUIRE(first.load().ok());
    auto a = first.create({QStringLiteral("Shared"), Provider::Local, dir.filePath(QStringLiteral("v")), {}, {}, {}, false});
    VaultManager second(dir.filePath(QStringLiteral("cfg2")));
    REQUIRE(second.load().ok());
    auto b = second.create({QStringLiteral("Shared here"), Provider::Local, dir.filePath(QStringLiteral("v")), {}, {}, {}, false});
    REQUIRE(b.ok());
    CHECK(b->id == a->id);
    CHECK(first.device().id != second.device().id);
}

TEST_CASE("sync state is kept in memory and written at most every few minutes, and on exit")
{
    test::TempDir dir;
    const QString cfg = dir.filePath(QStringLiteral("cfg"));
    const QString registry = cfg + QStringLiteral("/vaults.json");
    const QDateTime start = QDateTime::fromString(QStringLiteral("2026-12-05T10:00:00Z"), Qt::ISODate);
    QString id;
    int writes = 0;
    {
        VaultManager m(cfg);
        REQUIRE(m.load().ok());
        auto v = m.create({QStringLiteral("Band"), Provider::Local, dir.filePath(QStringLiteral("v")), {}, {}, {}, false});
        REQUIRE(v.ok());
        id = v->id;
        QSignalSpy changed(&m, &VaultManager::vaultsChanged);
        QByteArray onDisk = test::readAll(registry);
        // A sync run every 10 s for 20 minutes: 240 state changes.
        for (int run = 0; run < 120; ++run) {
            REQUIRE(m.setSyncState(id, SyncStatus::Syncing).ok());
            REQUIRE(m.setSyncState(id, SyncStatus::Synced, start.addSecs(10 * run)).ok());
            const QByteArray now = test::readAll(registry);
            if (now != onDisk)
                ++writes;
            onDisk = now;
        }
        CHECK(changed.count() == 240);       // the sidebar hears of every change
        CHECK(m.byId(id)->lastSynced == start.addSecs(1190));
        CHECK(writes >= 1);
        CHECK(writes <= 5);                  // 20 minutes / 5 minutes, not 240 fsync'd writes
    }
    VaultManager again(cfg);
    REQUIRE(again.load().ok());
    CHECK(again.byId(id)->lastSynced == start.addSecs(1190)); // written when the manager went away
    CHECK(again.byId(id)->syncStatus == SyncStatus::Synced);
}
