// muze-cli devices | devices rename | devices unlink: two devices (config dirs, each with its own
// keychain service of the real Secret Service) on one folder remote.
#include "catch.h"
#include "clidevice.h"

#include <muze/sync/synccontroller.h>
#include <muze/util/json.h>
#include <muze/vault/devicelist.h>

#include <QDir>
#include <QDirIterator>
#include <QtEndian>

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/keyring.h>
#endif

using namespace muze;
using namespace muze::test;

namespace {

Json jsonOf(const ProcessResult& r)
{
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return Json::parse(r.out.toStdString()); // exactly one document, or this throws
}

const Json* deviceNamed(const Json& list, const std::string& name)
{
    for (const Json& d : list["devices"]) {
        if (d["name"] == name)
            return &d;
    }
    return nullptr;
}

int lineCount(const QByteArray& text)
{
    return int(text.trimmed().count('\n')) + 1;
}

} // namespace

TEST_CASE("devices: every device that synced the vault is listed, this device marked and renamed")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);

    ProcessResult r = a.cli({QStringLiteral("devices")});
    CHECK(r.exitCode == 0);
    CHECK(r.out.contains("no device has synced"));
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);

    // A sees both, itself marked; the record arrived through the remote.
    Json list = jsonOf(a.cli({QStringLiteral("--json"), QStringLiteral("devices")}));
    REQUIRE(list["devices"].size() == 2);
    CHECK(list["this_device"] == "a0000dev");
    const Json* da = deviceNamed(list, "A");
    const Json* db = deviceNamed(list, "B");
    REQUIRE(da);
    REQUIRE(db);
    CHECK((*da)["this_device"] == true);
    CHECK((*db)["this_device"] == false);
    CHECK((*db)["id"] == "b0000dev");
    CHECK_FALSE((*db)["platform"].get<std::string>().empty());
    CHECK_FALSE((*db)["last_seen"].is_null());
    CHECK((*db)["unlinked"] == false);
    CHECK(QFile::exists(remote + QStringLiteral("/.muze/devices/b0000dev.json")));
    r = a.cli({QStringLiteral("devices")});
    CHECK(r.out.contains("(this device)"));
    CHECK(r.out.contains("b0000dev"));

    // B renames itself; A sees the new name after both synced.
    r = b.cli({QStringLiteral("devices"), QStringLiteral("rename"), QStringLiteral("Tour laptop")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(b.cli({QStringLiteral("devices")}).out.contains("Tour laptop"));
    REQUIRE(b.cli({QStringLiteral("sync")}).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}).exitCode == 0);
    list = jsonOf(a.cli({QStringLiteral("--json"), QStringLiteral("devices")}));
    REQUIRE(deviceNamed(list, "Tour laptop"));
    CHECK((*deviceNamed(list, "Tour laptop"))["id"] == "b0000dev");
    CHECK_FALSE(deviceNamed(list, "B"));

    // The contract: usage errors exit 2, user errors exit 1 with one line, nothing changed.
    CHECK(a.cli({QStringLiteral("devices"), QStringLiteral("rename")}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("devices"), QStringLiteral("frobnicate")}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("b0000dev")}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("devices"), QStringLiteral("--password-file"), QStringLiteral("x")}).exitCode == 2);
    const QString pw = dir.filePath(QStringLiteral("pw")), pw2 = dir.filePath(QStringLiteral("pw2"));
    writeAll(pw, "one\n");
    writeAll(pw2, "two\n");
    r = a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("Tour laptop"),
        QStringLiteral("--password-file"), pw, QStringLiteral("--new-password-file"), pw2});
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("not encrypted"));
    CHECK(lineCount(r.err) == 1);
    CHECK(jsonOf(a.cli({QStringLiteral("--json"), QStringLiteral("devices")}))["devices"].size() == 2);
}

TEST_CASE("devices: the app's sync worker records this device in the vault it syncs")
{
    TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("devices-worker");
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));
    v.remotePath = dir.filePath(QStringLiteral("remote"));
    QDir().mkpath(v.path);
    int finished = 0;
    {
        sync::SyncController controller;
        QObject::connect(&controller, &sync::SyncController::syncFinished, &controller,
            [&](const QString&, bool, const QString&) { ++finished; });
        controller.addVault(v, QStringLiteral("Rehearsal room"), QStringLiteral("room0001"));
        REQUIRE(waitUntil([&] { return finished >= 1; }, 20000));
    }
    // Written at the start of the run and sent in the same run, not left for the next one.
    Result<vault::DeviceRecord> d = vault::readDevice(v.path, QStringLiteral("room0001"));
    REQUIRE(d.ok());
    CHECK(d->name == QStringLiteral("Rehearsal room"));
    CHECK(d->lastSeen.isValid());
    CHECK(QFile::exists(v.remotePath + QStringLiteral("/.muze/devices/room0001.json")));
}

#ifdef MUZE_TEST_CRYPTO
TEST_CASE("devices: unlinking a device changes the password and the key, and it keeps only what it has")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const QString pw = dir.filePath(QStringLiteral("password"));
    const QString pw2 = dir.filePath(QStringLiteral("new-password"));
    writeAll(pw, "correct horse battery staple\n");
    writeAll(pw2, "a brand new password only A knows\n");
    // Each device its own keychain service, as two machines have two keychains.
    const QStringList envA{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-devices-a")};
    const QStringList envB{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-devices-b")};
    CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    auto cleanup = [&] {
        a.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envA);
        b.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envB);
    };
    REQUIRE(
        a.cli({QStringLiteral("keys"), QStringLiteral("init"), QStringLiteral("--password-file"), pw}, envA).exitCode
        == 0);
    REQUIRE(a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Before")}, envA).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}, envA).exitCode == 0);
    b.cli({QStringLiteral("sync")}, envB); // locked: the key ring only
    REQUIRE(
        b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"), pw}, envB).exitCode
        == 0);
    REQUIRE(b.cli({QStringLiteral("sync")}, envB).exitCode == 0);
    REQUIRE(a.cli({QStringLiteral("sync")}, envA).exitCode == 0);
    CHECK(b.cli({QStringLiteral("ls")}, envB).out.contains("Before"));
    // The device list is encrypted on the remote like any other file.
    const QByteArray remoteRecord = readAll(remote + QStringLiteral("/.muze/devices/b0000dev.json"));
    CHECK(remoteRecord.startsWith("MUZE-ENC"));
    CHECK_FALSE(remoteRecord.contains("platform"));

    // Refused: this device, a device that never synced, the same password again.
    ProcessResult r = a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("A"),
                                QStringLiteral("--password-file"), pw, QStringLiteral("--new-password-file"), pw2},
        envA);
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("this device"));
    r = a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("Phone"),
                  QStringLiteral("--password-file"), pw, QStringLiteral("--new-password-file"), pw2},
        envA);
    CHECK(r.exitCode == 1);
    r = a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("B"),
                  QStringLiteral("--password-file"), pw, QStringLiteral("--new-password-file"), pw},
        envA);
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("must differ"));
    CHECK(lineCount(r.err) == 1);
    // A wrong current password changes nothing.
    const QString wrong = dir.filePath(QStringLiteral("wrong"));
    writeAll(wrong, "not it\n");
    const QByteArray ringBefore = readAll(a.file(QStringLiteral(".muze/keyring.json")));
    r = a.cli({QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("B"),
                  QStringLiteral("--password-file"), wrong, QStringLiteral("--new-password-file"), pw2},
        envA);
    CHECK(r.exitCode == 1);
    CHECK(readAll(a.file(QStringLiteral(".muze/keyring.json"))) == ringBefore);

    r = a.cli({QStringLiteral("--json"), QStringLiteral("devices"), QStringLiteral("unlink"), QStringLiteral("B"),
                  QStringLiteral("--password-file"), pw, QStringLiteral("--new-password-file"), pw2},
        envA);
    const Json unlinked = jsonOf(r);
    CHECK(unlinked["unlinked"]["id"] == "b0000dev");
    CHECK(unlinked["unlinked"]["unlinked"] == true);
    const quint32 newKey = unlinked["new_key_id"].get<quint32>();
    CHECK(newKey != 0);
    r = a.cli({QStringLiteral("devices")}, envA);
    CHECK(r.out.contains("UNLINKED"));

    // A writes after the unlink and syncs; B syncs with what it kept.
    REQUIRE(a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("After")}, envA).exitCode == 0);
    r = a.cli({QStringLiteral("sync")}, envA);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    r = b.cli({QStringLiteral("sync")}, envB);
    INFO("B sync: " << r.out.toStdString() << r.err.toStdString());

    // B still has what it had, and cannot open what A wrote since.
    const QByteArray bls = b.cli({QStringLiteral("ls")}, envB).out;
    CHECK(bls.contains("Before"));
    CHECK_FALSE(bls.contains("After"));
    CHECK(a.cli({QStringLiteral("ls")}, envA).out.contains("After"));
    // The file A wrote is stored under the new key, which B's keychain does not hold.
    int underNewKey = 0;
    QDirIterator it(remote + QStringLiteral("/collections"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QByteArray head = readAll(it.next()).left(16);
        if (head.startsWith("MUZE-ENC") && qFromLittleEndian<quint32>(head.constData() + 12) == newKey)
            ++underNewKey;
    }
    CHECK(underNewKey >= 1);
    const Json statusB
        = jsonOf(b.cli({QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("status")}, envB));
    for (const Json& id : statusB["device_key_ids"])
        CHECK(id.get<quint32>() != newKey);
    // Its old password opens nothing any more: not the synced key ring, not `keys unlock`.
    Result<crypto::KeyRing> ring = crypto::KeyRing::load(remote + QStringLiteral("/.muze/keyring.json"));
    REQUIRE(ring.ok());
    CHECK(ring->unlock("correct horse battery staple").error().code == QStringLiteral("wrong_password"));
    r = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"), pw}, envB);
    CHECK(r.exitCode == 1);

    // A's list says B is unlinked, by A, and B's own sync did not clear the mark.
    REQUIRE(a.cli({QStringLiteral("sync")}, envA).exitCode == 0);
    const Json list = jsonOf(a.cli({QStringLiteral("--json"), QStringLiteral("devices")}, envA));
    const Json* db = deviceNamed(list, "B");
    REQUIRE(db);
    CHECK((*db)["unlinked"] == true);
    CHECK((*db)["unlinked_by"] == "a0000dev");
    CHECK_FALSE((*db)["unlinked_at"].is_null());
    cleanup();
}
#endif
