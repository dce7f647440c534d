// The worker thread through its controller: it syncs on start, on local file events and on
// "sync now", reports plain values through queued signals, and shuts down in order.
#include "catch.h"
#include "testsupport.h"

#include <muze/remote/fsops.h>
#include <muze/sync/synccontroller.h>
#include <muze/vault/vaultrecord.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QThread>

using namespace muze;
using namespace muze::sync;

using test::waitUntil;

TEST_CASE("worker: syncs on its own thread on start, on file events and on demand, then shuts down")
{
    test::TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("v1");
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));
    v.remotePath = dir.filePath(QStringLiteral("remote"));
    test::writeAll(v.path + QStringLiteral("/a.json"), "{\"id\":\"a\"}");
    REQUIRE(remote::fs::setMtime(v.path + QStringLiteral("/a.json"), QDateTime::currentDateTimeUtc().addSecs(-60)).ok());

    QStringList states;
    int finished = 0;
    bool lastConverged = false;
    bool onMainThread = true;
    int fileEvents = 0;
    {
        SyncController controller;
        QObject::connect(&controller, &SyncController::vaultStateChanged, &controller,
                         [&](const QString& id, const QString& state, const QString&) {
                             onMainThread &= QThread::currentThread() == QCoreApplication::instance()->thread();
                             CHECK(id == QStringLiteral("v1"));
                             states << state;
                         });
        QObject::connect(&controller, &SyncController::syncFinished, &controller,
                         [&](const QString&, bool converged, const QString&) {
                             ++finished;
                             lastConverged = converged;
                         });
        QObject::connect(&controller, &SyncController::fileStateChanged, &controller,
                         [&](const QString&, const QString&, const QString&) { ++fileEvents; });
        controller.addVault(v, QStringLiteral("test-device"));
        REQUIRE(waitUntil([&] { return finished >= 1; }, 20000));
        CHECK(lastConverged);
        CHECK(states.contains(QStringLiteral("syncing")));
        CHECK(states.last() == QStringLiteral("synced"));
        CHECK(QFile::exists(v.remotePath + QStringLiteral("/a.json")));
        CHECK(fileEvents >= 1);

        // A local edit wakes it up (debounced), without "sync now".
        test::writeAll(v.path + QStringLiteral("/b.json"), "{\"id\":\"b\"}");
        REQUIRE(waitUntil([&] { return QFile::exists(v.remotePath + QStringLiteral("/b.json")); }, 30000));

        // Sync now.
        const int before = finished;
        test::writeAll(v.remotePath + QStringLiteral("/c.json"), "{\"id\":\"c\"}");
        controller.syncNow(v.id);
        REQUIRE(waitUntil([&] { return finished > before && QFile::exists(v.path + QStringLiteral("/c.json")); }, 20000));
        CHECK(controller.hasVault(v.id));
        controller.removeVault(v.id);
        CHECK_FALSE(controller.hasVault(v.id));
    }
    CHECK(onMainThread);
}

TEST_CASE("worker: an unreachable remote is reported offline and the controller still shuts down promptly")
{
    test::TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("v2");
    v.name = QStringLiteral("Gone");
    v.path = dir.filePath(QStringLiteral("vault"));
    v.remotePath = dir.filePath(QStringLiteral("remote"));
    test::writeAll(v.path + QStringLiteral("/a.json"), "{}");
    // The remote was used before (a cursor exists) and is now unplugged.
    test::writeAll(v.remotePath + QStringLiteral("/.muze-remote"), "{}");
    QString state;
    {
        SyncController controller;
        QObject::connect(&controller, &SyncController::vaultStateChanged, &controller,
                         [&](const QString&, const QString& s, const QString&) { state = s; });
        controller.addVault(v, QStringLiteral("dev"));
        REQUIRE(waitUntil([&] { return state == QStringLiteral("synced"); }, 20000));
        QFile::remove(v.remotePath + QStringLiteral("/.muze-remote"));
        controller.syncNow(v.id);
        REQUIRE(waitUntil([&] { return state == QStringLiteral("offline"); }, 20000));
        // Removing an offline vault stops its worker (a hang would end in the test's timeout);
        // how long it took is a figure, not a pass mark.
        QElapsedTimer t;
        t.start();
        controller.removeVault(v.id);
        CHECK_FALSE(controller.hasVault(v.id));
        WARN("removeVault of an offline vault returned after " << t.elapsed() << " ms");
    }
}
