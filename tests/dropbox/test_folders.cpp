// What people do on dropbox.com to whole folders, seen by two Muze devices: a project folder
// deleted or moved (Dropbox reports only the folder's DeletedMetadata), and a folder renamed
// in case only (Dropbox promises the casing of the last path component alone). The official
// SDK (python3-dropbox) does the edits and checks what Dropbox holds afterwards.
#include "catch.h"
#include "devices.h"
#include "emulator.h"

#include <muze/remote/contenthash.h>

#include <QSet>

using namespace muze;
using muze::test::Emulator;
using namespace muze::test::dropbox;

namespace {

QString addItem(const Device& d, const QStringList& args)
{
    auto r = d.cli(args);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return idOf(r);
}

void runSdk(const Emulator& emu, const QString& token, const QString& body)
{
    auto r = sdk(emu, token, QStringLiteral("import os, dropbox\ndbx = dropbox.Dropbox(oauth2_access_token=os.environ[\"TOKEN\"])\n")
                                 + body);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
}

} // namespace

TEST_CASE("a project folder deleted or moved on dropbox.com leaves both devices with nothing stale")
{
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    const Band band = makeBand(a, dir); // Songs / Demo / Main with a take
    const QString moved = addItem(a, {QStringLiteral("project"), QStringLiteral("add"), band.cid, QStringLiteral("Moved")});
    addItem(a, {QStringLiteral("mix"), QStringLiteral("add"), moved, QStringLiteral("Moved mix")});
    const QString kept = addItem(a, {QStringLiteral("project"), QStringLiteral("add"), band.cid, QStringLiteral("Kept")});
    addItem(a, {QStringLiteral("mix"), QStringLiteral("add"), kept, QStringLiteral("Kept mix")});
    const QString other = addItem(a, {QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Other")});
    const QString there = addItem(a, {QStringLiteral("project"), QStringLiteral("add"), other, QStringLiteral("There")});
    addItem(a, {QStringLiteral("mix"), QStringLiteral("add"), there, QStringLiteral("There mix")});
    sync(a);
    sync(b);
    REQUIRE(syncedFiles(a) == syncedFiles(b));

    // On dropbox.com: the Demo project (with its take) goes to the bin, Moved goes to Other.
    const QString demoDir = QStringLiteral("collections/%1/projects/%2").arg(band.cid, band.pid);
    const QString movedFrom = QStringLiteral("collections/%1/projects/%2").arg(band.cid, moved);
    const QString movedTo = QStringLiteral("collections/%1/projects/%2").arg(other, moved);
    runSdk(emu, token, QStringLiteral("dbx.files_delete_v2('/Apps/Muze/Band/%1')\n"
                                      "dbx.files_move_v2('/Apps/Muze/Band/%2', '/Apps/Muze/Band/%3')\n")
                           .arg(demoDir, movedFrom, movedTo));
    sync(a);
    sync(b);
    sync(a);

    const Json onDropbox = sdkFiles(emu, token);
    for (const Device* d : {&a, &b}) {
        INFO(d->name.toStdString());
        const auto files = syncedFiles(*d);
        QSet<QString> stale;
        for (const QString& path : files.keys()) {
            if (path.startsWith(demoDir + QLatin1Char('/')) || path.startsWith(movedFrom + QLatin1Char('/')))
                stale << path;
        }
        INFO("stale: " << stale.values().join(QLatin1Char(' ')).toStdString());
        CHECK(stale.isEmpty());
        int underMovedTo = 0;
        for (const QString& path : files.keys())
            underMovedTo += path.startsWith(movedTo + QLatin1Char('/'));
        CHECK(underMovedTo >= 2); // project.json and the mix: once each, no duplicates
        // Exactly what Dropbox holds, byte for byte (the device list is metadata, left out of both).
        int onDropboxFiles = 0;
        for (auto it = onDropbox.begin(); it != onDropbox.end(); ++it)
            onDropboxFiles += !QString::fromStdString(it.key()).startsWith(QLatin1String(".muze/devices/"));
        CHECK(files.size() == onDropboxFiles);
        for (const auto& [path, bytes] : files.asKeyValueRange()) {
            INFO(path.toStdString());
            REQUIRE(onDropbox.contains(path.toStdString()));
            CHECK(QString::fromStdString(onDropbox[path.toStdString()][1].get<std::string>()) == remote::contentHash(bytes));
        }
        CHECK(!d->cli({QStringLiteral("ls")}).out.contains("Demo"));
    }
    CHECK(syncedFiles(a) == syncedFiles(b));
}

TEST_CASE("a folder renamed in case only on dropbox.com loses nothing and makes no clash copies")
{
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    const Band band = makeBand(a, dir);
    sync(a);
    sync(b);
    const Json before = sdkFiles(emu, token);
    const auto filesBefore = syncedFiles(a);

    // Someone renames "projects" to "Projects" on dropbox.com: the same folder, the same files.
    const QString from = QStringLiteral("collections/%1/projects").arg(band.cid);
    const QString to = QStringLiteral("collections/%1/Projects").arg(band.cid);
    runSdk(emu, token, QStringLiteral("dbx.files_move_v2('/Apps/Muze/Band/%1', '/Apps/Muze/Band/%2')\n").arg(from, to));
    sync(a);
    sync(b);
    sync(a);

    // Every file is still on Dropbox, the same file (id) with the same bytes.
    const Json after = sdkFiles(emu, token);
    QMap<std::string, std::string> idsBefore, idsAfter;
    for (const auto& [path, v] : before.items())
        idsBefore[v[0].get<std::string>()] = v[1].get<std::string>();
    for (const auto& [path, v] : after.items()) {
        INFO(path);
        CHECK(path.find("case clash") == std::string::npos);
        idsAfter[v[0].get<std::string>()] = v[1].get<std::string>();
    }
    CHECK(idsAfter == idsBefore);

    // Both devices keep the files where they were, with no clash copies and no losses.
    for (const Device* d : {&a, &b}) {
        INFO(d->name.toStdString());
        const auto files = syncedFiles(*d);
        for (const QString& path : files.keys()) {
            INFO(path.toStdString());
            CHECK(!path.contains(QLatin1String("case clash")));
        }
        CHECK(files.size() == filesBefore.size());
        QStringList lowerBefore, lowerNow; // the same files, whichever casing a folder shows
        for (const QString& p : filesBefore.keys())
            lowerBefore << p.toLower();
        for (const QString& p : files.keys())
            lowerNow << p.toLower();
        lowerBefore.sort();
        lowerNow.sort();
        CHECK(lowerNow == lowerBefore);
        CHECK(d->cli({QStringLiteral("ls")}).out.contains("Main"));
    }
    CHECK(syncedFiles(a) == syncedFiles(b));
}
