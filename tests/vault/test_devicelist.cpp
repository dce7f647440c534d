// The vault's device list (.muze/devices/<id>.json): what the sync engine records at the start
// of each run and what `muze-cli devices` and the Devices tab show.
#include "catch.h"
#include "testsupport.h"

#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/vault/devicelist.h>

#include <QDir>

using namespace muze;
using namespace muze::vault;

namespace {

class StepClock : public Clock {
public:
    QDateTime t = QDateTime(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC);
    QDateTime now() const override { return t; }
};

struct ClockFixture {
    StepClock clk;
    ClockFixture() { setClock(&clk); }
    ~ClockFixture() { setClock(nullptr); }
};

} // namespace

TEST_CASE("devices: a device is recorded on first use, and last seen moves on at most every 10 minutes")
{
    ClockFixture f;
    test::TempDir dir;
    const QString root = dir.path();
    bool written = false;
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("a1b2c3d4"), QStringLiteral("Studio Mac")}, &written).ok());
    CHECK(written);
    CHECK(QFile::exists(root + QStringLiteral("/.muze/devices/a1b2c3d4.json")));

    Result<DeviceRecord> d = readDevice(root, QStringLiteral("a1b2c3d4"));
    REQUIRE(d.ok());
    CHECK(d->name == QStringLiteral("Studio Mac"));
    CHECK(d->platform == currentPlatform());
    CHECK_FALSE(d->platform.isEmpty());
    CHECK(d->firstSeen == f.clk.t);
    CHECK(d->lastSeen == f.clk.t);
    CHECK_FALSE(d->unlinked);

    // Five minutes later: nothing to write (an upload per run would wake every other device).
    const QDateTime first = f.clk.t;
    f.clk.t = first.addSecs(5 * 60);
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("a1b2c3d4"), QStringLiteral("Studio Mac")}, &written).ok());
    CHECK_FALSE(written);
    CHECK(readDevice(root, QStringLiteral("a1b2c3d4"))->lastSeen == first);

    // A rename is written by renameDeviceRecord at once; a sync that still holds the old name
    // (a worker started before the rename) does not put it back. Sixteen minutes on, last seen moves.
    REQUIRE(renameDeviceRecord(root, {QStringLiteral("a1b2c3d4"), QStringLiteral("Studio")}).ok());
    CHECK(readDevice(root, QStringLiteral("a1b2c3d4"))->name == QStringLiteral("Studio"));
    f.clk.t = first.addSecs(16 * 60);
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("a1b2c3d4"), QStringLiteral("Studio Mac")}, &written).ok());
    CHECK(written);
    d = readDevice(root, QStringLiteral("a1b2c3d4"));
    CHECK(d->name == QStringLiteral("Studio"));
    CHECK(d->lastSeen == f.clk.t);
    CHECK(d->firstSeen == first);
}

TEST_CASE("devices: the list is newest first, keeps unknown fields, skips what is not a device record")
{
    ClockFixture f;
    test::TempDir dir;
    const QString root = dir.path();
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("old0device"), QStringLiteral("Laptop")}).ok());
    f.clk.t = f.clk.t.addDays(2);
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("new0device"), QStringLiteral("Phone")}).ok());
    // A field from a newer Muze survives our rewrite.
    const QString laptopFile = root + QStringLiteral("/.muze/devices/old0device.json");
    Json j = *readJsonObjectFile(laptopFile);
    j["color"] = "green";
    REQUIRE(writeJsonFile(laptopFile, j).ok());
    // Junk beside them: a conflicted copy, a file whose id does not match its name, bad JSON.
    test::writeAll(
        root + QStringLiteral("/.muze/devices/old0device (conflicted copy Phone 2026-03-01 100000).json"), "{}");
    test::writeAll(root + QStringLiteral("/.muze/devices/liar.json"), R"({"id":"someone-else","name":"x"})");
    test::writeAll(root + QStringLiteral("/.muze/devices/broken.json"), "{not json");

    Result<QList<DeviceRecord>> all = listDevices(root);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 2);
    CHECK(all->at(0).name == QStringLiteral("Phone"));
    CHECK(all->at(1).name == QStringLiteral("Laptop"));

    REQUIRE(renameDeviceRecord(root, {QStringLiteral("old0device"), QStringLiteral("  Old laptop ")}).ok());
    j = *readJsonObjectFile(laptopFile);
    CHECK(j["name"] == "Old laptop");
    CHECK(j["color"] == "green");
    CHECK_FALSE(renameDeviceRecord(root, {QStringLiteral("old0device"), QStringLiteral("   ")}).ok());
    // A vault whose folder is gone (an unmounted disk) is not recreated by a rename.
    const QString gone = dir.filePath(QStringLiteral("unmounted/Band"));
    CHECK(renameDeviceRecord(gone, {QStringLiteral("old0device"), QStringLiteral("Laptop")}).error().code
        == QStringLiteral("io"));
    CHECK_FALSE(QFileInfo::exists(gone));
}

TEST_CASE("devices: found by id, id prefix or name, an unlinked device stays unlinked")
{
    ClockFixture f;
    test::TempDir dir;
    const QString root = dir.path();
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("aaaa1111"), QStringLiteral("Desk")}).ok());
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("bbbb2222"), QStringLiteral("Phone")}).ok());
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("cccc3333"), QStringLiteral("phone")}).ok());
    const QList<DeviceRecord> all = *listDevices(root);
    CHECK(findDevice(all, QStringLiteral("desk"))->id == QStringLiteral("aaaa1111"));
    CHECK(findDevice(all, QStringLiteral("bbbb"))->id == QStringLiteral("bbbb2222"));
    CHECK(findDevice(all, QStringLiteral("cccc3333"))->name == QStringLiteral("phone"));
    CHECK(findDevice(all, QStringLiteral("Phone")).error().code == QStringLiteral("ambiguous"));
    CHECK(findDevice(all, QStringLiteral("Tablet")).error().code == QStringLiteral("not_found"));
    CHECK(findDevice(all, QStringLiteral("bb")).error().code == QStringLiteral("not_found")); // too short a prefix

    CHECK(markDeviceUnlinked(root, QStringLiteral("dddd4444"), QStringLiteral("aaaa1111")).error().code
        == QStringLiteral("not_found"));
    f.clk.t = f.clk.t.addSecs(60);
    REQUIRE(markDeviceUnlinked(root, QStringLiteral("bbbb2222"), QStringLiteral("aaaa1111")).ok());
    Result<DeviceRecord> b = readDevice(root, QStringLiteral("bbbb2222"));
    CHECK(b->unlinked);
    CHECK(b->unlinkedAt == f.clk.t);
    CHECK(b->unlinkedBy == QStringLiteral("aaaa1111"));
    // The unlinked device syncing again (it cannot know yet) does not clear the mark.
    f.clk.t = f.clk.t.addSecs(3600);
    REQUIRE(recordDeviceSeen(root, {QStringLiteral("bbbb2222"), QStringLiteral("Phone")}).ok());
    b = readDevice(root, QStringLiteral("bbbb2222"));
    CHECK(b->unlinked);
    CHECK(b->lastSeen == f.clk.t);
    const Json out = b->toJson();
    CHECK(out["unlinked"] == true);
    CHECK(out["unlinked_by"] == "aaaa1111");
    // A path in an id never names a file.
    CHECK(recordDeviceSeen(root, {QStringLiteral("../evil"), QStringLiteral("x")}).error().code
        == QStringLiteral("bad_value"));
    CHECK_FALSE(QFile::exists(dir.filePath(QStringLiteral(".muze/evil.json"))));
}
