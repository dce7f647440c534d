// Measurement, not a check (hidden: run it by hand, see bench/sync/README.md):
//   tools/test-env.sh build/tests/gui/muze_tests_gui "[sync-lag]"
// The longest GUI-thread stall while the window follows a 10,000-file first sync to a folder
// remote: a 5 ms timer records the largest gap between its ticks.
#include "catch.h"
#include "testsupport.h"

#include "mainwindow.h"
#include "syncpresenter.h"

#include <muze/model/vaultstore.h>
#include <muze/sync/synccontroller.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>
#include <muze/vault/vaultmanager.h>

#include <QDir>
#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

using namespace muze;
using namespace muze::gui;

TEST_CASE("gui sync lag: a 10,000-file first sync", "[.][sync-lag]")
{
    qputenv("MUZE_SYNC_SETTLE_MS", "0");
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    vault::VaultSpec spec;
    spec.name = QStringLiteral("Big");
    spec.path = dir.filePath(QStringLiteral("Big"));
    spec.remotePath = dir.filePath(QStringLiteral("nas/Big"));
    QDir().mkpath(spec.remotePath);
    // 20 collections × 5 projects × 20 mixes (2,000 mix files, 120 folders' JSON) and 7,880
    // small takes beside them: 10,000 files. No window yet, so nothing syncs while it is made.
    Result<vault::VaultRecord> made = vaults.create(spec);
    REQUIRE(made.ok());
    const QString root = made->path;
    const model::VaultStore store(root);
    const QByteArray take = test::makeWav(8000, 1, 16, 2000);
    int files = 1;
    for (int c = 0; c < 20; ++c) {
        const QString cid = *store.addCollection(QStringLiteral("Collection %1").arg(c));
        ++files;
        for (int p = 0; p < 5; ++p) {
            const QString pid = *store.addProject(cid, QStringLiteral("Project %1").arg(p));
            ++files;
            // One mix made by the model, the other 19 copies of it with their own ids (fast:
            // no fsync per file; the sync is what is measured, not making the vault).
            const QString first = *store.addMix(pid, QStringLiteral("Mix 0"));
            ++files;
            const QString dirPath = QStringLiteral("%1/collections/%2/projects/%3").arg(root, cid, pid);
            Result<Json> mix
                = parseJson(test::readAll(dirPath + QStringLiteral("/mixes/") + first + QStringLiteral(".json")),
                    QStringLiteral("mix"));
            REQUIRE(mix.ok());
            for (int m = 1; m < 20; ++m, ++files) {
                const QString mid = newId();
                (*mix)["id"] = mid.toStdString();
                (*mix)["name"] = QStringLiteral("Mix %1").arg(m).toStdString();
                test::writeAll(dirPath + QStringLiteral("/mixes/") + mid + QStringLiteral(".json"),
                    QByteArray::fromStdString(mix->dump(2)));
            }
            for (int t = 0; t < 79 && files < 10000; ++t, ++files)
                test::writeAll(dirPath + QStringLiteral("/audio/take%1.wav").arg(t), take);
        }
    }
    REQUIRE(vaults.setCurrent(made->id).ok());

    MainWindow window(vaults, dir.filePath(QStringLiteral("Music")));
    window.resize(1280, 720);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    sync::SyncController* controller = window.syncPresenter()->controller();
    int batches = 0;
    qsizetype states = 0;
    QObject::connect(controller, &sync::SyncController::fileStatesChanged, &window,
        [&](const QString&, const sync::FileSyncStates& b, bool) {
            ++batches;
            states += b.size();
        });
    qint64 maxGap = 0;
    QElapsedTimer sinceTick;
    sinceTick.start();
    QTimer probe;
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, [&] { maxGap = std::max(maxGap, sinceTick.restart()); });
    QElapsedTimer total;
    total.start();
    probe.start();
    controller->syncNow(made->id); // no-op if the first run already started
    REQUIRE(test::waitUntil(
        [&] { return controller->status(made->id).state == sync::VaultState::Synced; }, 15 * 60 * 1000));
    probe.stop();
    WARN("first sync of " << files << " files: " << total.elapsed() << " ms; " << batches << " file-state batches ("
                          << states << " states); longest GUI-thread stall " << maxGap << " ms");
    CHECK(QFile::exists(spec.remotePath + QStringLiteral("/vault.json")));
}
