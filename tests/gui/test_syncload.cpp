// Measurements, not checks (hidden: run them by hand, see bench/sync/README.md):
//   tools/test-env.sh build/tests/gui/muze_tests_gui "[sync-lag]"
//   tools/test-env.sh build/tests/gui/muze_tests_gui "[slider-lag]"
// The longest GUI-thread stall (an event-loop lag probe: a 5 ms timer records the largest gap
// between its ticks) while the window follows a 10,000-file first sync to a folder remote, and
// while a pan slider is dragged in a 10,000-item vault. They print figures; the goal is 20 ms.
#include "catch.h"
#include "testsupport.h"

#include "mainwindow.h"
#include "mixview.h"
#include "projecttree.h"
#include "syncpresenter.h"

#include <muze/model/vaultstore.h>
#include <muze/sync/synccontroller.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>
#include <muze/vault/vaultmanager.h>

#include <QDir>
#include <QSlider>
#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

#include <cmath>

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

namespace {

// The largest gap between the ticks of a 5 ms timer: how long the GUI thread was busy at once.
struct LagProbe {
    qint64 maxGap = 0;
    QElapsedTimer sinceTick;
    QTimer timer;
    LagProbe()
    {
        timer.setInterval(5);
        QObject::connect(&timer, &QTimer::timeout, [this] { maxGap = std::max(maxGap, sinceTick.restart()); });
    }
    void start()
    {
        maxGap = 0;
        sinceTick.start();
        timer.start();
    }
    qint64 stop()
    {
        timer.stop();
        return maxGap;
    }
};

} // namespace

TEST_CASE("gui slider lag: dragging pan on a 10,000-item vault", "[.][slider-lag]")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    vault::VaultSpec spec;
    spec.name = QStringLiteral("Huge");
    spec.provider = vault::Provider::Local;
    spec.path = dir.filePath(QStringLiteral("Huge"));
    Result<vault::VaultRecord> made = vaults.create(spec);
    REQUIRE(made.ok());
    const QString root = made->path;
    const model::VaultStore store(root);
    // 20 collections × 10 projects × 50 mixes: 10,000 mixes and 220 folders in the tree. The
    // first mix has a real 1 MB take; the others are copies of an empty mix with their own ids.
    QString openMix;
    QString openTrack;
    int items = 0;
    for (int c = 0; c < 20; ++c) {
        const QString cid = *store.addCollection(QStringLiteral("Collection %1").arg(c));
        ++items;
        for (int p = 0; p < 10; ++p, ++items) {
            const QString pid = *store.addProject(cid, QStringLiteral("Project %1").arg(p));
            const QString first = *store.addMix(pid, QStringLiteral("Mix 0"));
            ++items;
            if (openMix.isEmpty()) {
                openMix = first;
                const QString wav = dir.filePath(QStringLiteral("take.wav"));
                test::writeAll(wav, test::makeWav(48000, 2, 16, 48000 * 11 / 2, 220)); // ~1 MB
                openTrack = *store.importTrack(openMix, wav, QStringLiteral("Guitar"));
            }
            const QString mixes = QStringLiteral("%1/collections/%2/projects/%3/mixes/").arg(root, cid, pid);
            Result<Json> mix = parseJson(test::readAll(mixes + first + QStringLiteral(".json")), QStringLiteral("mix"));
            REQUIRE(mix.ok());
            (*mix)["tracks"] = Json::array();
            for (int m = 1; m < 50; ++m, ++items) {
                const QString mid = newId();
                (*mix)["id"] = mid.toStdString();
                (*mix)["name"] = QStringLiteral("Mix %1").arg(m).toStdString();
                test::writeAll(mixes + mid + QStringLiteral(".json"), QByteArray::fromStdString(mix->dump(2)));
            }
        }
    }
    REQUIRE(vaults.setCurrent(made->id).ok());

    LagProbe probe;
    probe.start();
    QElapsedTimer opening;
    opening.start();
    MainWindow window(vaults, dir.filePath(QStringLiteral("Music")));
    window.resize(1280, 720);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    ProjectTree* tree = window.projectTree();
    REQUIRE(test::waitUntil([&] { return tree->pathsOf(openMix).size() == 2; }, 60000));
    const qint64 openMs = opening.elapsed();
    const qint64 openStall = probe.stop();
    tree->select(openMix);
    REQUIRE(test::waitUntil([&] { return window.mixView()->trackCount() == 1; }, 10000));
    QSlider* pan = window.mixView()->findChild<QWidget*>(QStringLiteral("track-") + openTrack)->findChild<QSlider*>();
    REQUIRE(pan);

    // Three seconds of dragging: a step every 20 ms, as a mouse drag moves it.
    probe.start();
    pan->setSliderDown(true);
    QElapsedTimer drag;
    drag.start();
    int value = 0;
    while (drag.elapsed() < 3000) {
        value = value >= 100 ? -100 : value + 3;
        pan->setValue(value);
        QTest::qWait(20);
    }
    pan->setSliderDown(false);
    const QString mixFile = tree->pathsOf(openMix).value(0);
    auto savedPan = [&] {
        Result<Json> m = readJsonObjectFile(root + QLatin1Char('/') + mixFile);
        return m && !(*m)["tracks"].empty() ? (*m)["tracks"][0].value("pan", 0.0) : -9.0;
    };
    // The last value reaches the file (~400 ms after the drag stops).
    CHECK(test::waitUntil([&] { return std::abs(savedPan() - value / 100.0) < 1e-9; }, 10000));
    QTest::qWait(500);
    const qint64 dragStall = probe.stop();
    CHECK(window.mixView()->mixId() == openMix);
    CHECK(tree->selectedId() == openMix);
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    window.grab().save(test::binaryPath(QStringLiteral("screenshots/slider-lag-10000.png")));
    WARN("10,000-item vault (" << items << " items): open " << openMs << " ms, longest stall while opening "
                               << openStall << " ms; longest GUI-thread stall while dragging pan for 3 s "
                               << dragStall << " ms");
}
