// What sync shows in the window (issue 11): state badges in the tree and on tracks, a take
// that lives only in the cloud and is fetched when its mix opens, the offline banner that
// comes and goes with the remote. A real folder remote, a real second device (its own vault
// folder and sync engine), real widgets under Xvfb; screenshots in <build>/screenshots.
#include "catch.h"
#include "testsupport.h"

#include "filestatemodel.h"
#include "mainwindow.h"
#include "mixview.h"
#include "projecttree.h"
#include "syncpresenter.h"
#include "syncviews.h"

#include <muze/model/vaultstore.h>
#include <muze/sync/remotefactory.h>
#include <muze/sync/synccontroller.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>
#include <muze/vault/vaultmanager.h>

#include <QApplication>
#include <QDir>
#include <QAction>
#include <QLabel>
#include <QStatusBar>
#include <QTest>
#include <QTreeView>

using namespace muze;
using namespace muze::gui;

#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))

namespace {

void saveScreenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(w.grab().save(test::binaryPath(QStringLiteral("screenshots/") + name)));
}

// Another device: its own copy of the vault, synced to the same folder remote.
sync::SyncReport syncDevice(const vault::VaultRecord& v, const QString& path, const QString& device)
{
    vault::VaultRecord other = v;
    other.path = path;
    Result<std::unique_ptr<remote::RemoteStore>> r = sync::createRemote(other);
    REQUIRE(r.ok());
    sync::SyncEngine engine({path, device, {}, 0}, std::move(*r), sync::makePlainCodec());
    Result<sync::SyncReport> report = engine.run();
    REQUIRE(report.ok());
    REQUIRE(report->converged);
    return *report;
}

QString writeWav(const QString& path, int seconds)
{
    test::writeAll(path, test::makeWav(48000, 2, 16, 48000 * seconds));
    return path;
}

QLabel* trackSyncLabel(MixView* view, const QString& trackId)
{
    QWidget* row = view->findChild<QWidget*>(QStringLiteral("track-") + trackId);
    return row ? row->findChild<QLabel*>(QStringLiteral("trackSync")) : nullptr;
}

// The row a user reads `name` on, or an invalid index while the tree has no such row.
QModelIndex itemNamed(QTreeView* tree, const QString& name)
{
    const QModelIndexList found = tree->model()->match(
        tree->model()->index(0, 0), Qt::DisplayRole, name, 1, Qt::MatchExactly | Qt::MatchRecursive);
    return found.value(0);
}

struct Band {
    test::TempDir dir;
    vault::VaultManager vaults{dir.filePath(QStringLiteral("config"))};
    vault::VaultRecord record;
    QString mixId;
    QString keptTrack;
    QString cloudTrack;
    QString other; // the second device's vault folder
};

// "Band": a mix with two takes. This device recorded "Bass"; the other device recorded
// "Drums" (8 MB) later. This device fetches takes on demand, so Drums stays in the cloud.
void makeBand(Band& b)
{
    qputenv("MUZE_SYNC_SETTLE_MS", "0");
    REQUIRE(b.vaults.load().ok());
    vault::VaultSpec spec;
    spec.name = QStringLiteral("Band");
    spec.path = b.dir.filePath(QStringLiteral("Band"));
    spec.remotePath = b.dir.filePath(QStringLiteral("nas/Band"));
    QDir().mkpath(spec.remotePath);
    Result<vault::VaultRecord> made = b.vaults.create(spec);
    REQUIRE(made.ok());
    b.record = *made;
    REQUIRE(b.vaults.setCurrent(b.record.id).ok());
    const model::VaultStore store(b.record.path);
    const QString c = *store.addCollection(QStringLiteral("Live"));
    const QString p = *store.addProject(c, QStringLiteral("Summer tour"));
    b.mixId = *store.addMix(p, QStringLiteral("Opening song"));
    b.keptTrack
        = *store.importTrack(b.mixId, writeWav(b.dir.filePath(QStringLiteral("bass.wav")), 3), QStringLiteral("Bass"));
    syncDevice(b.record, b.record.path, QStringLiteral("laptop"));

    b.other = b.dir.filePath(QStringLiteral("phone/Band"));
    QDir().mkpath(b.other);
    syncDevice(b.record, b.other, QStringLiteral("phone"));
    b.cloudTrack = *model::VaultStore(b.other).importTrack(
        b.mixId, writeWav(b.dir.filePath(QStringLiteral("drums.wav")), 45), QStringLiteral("Drums")); // ~8.6 MB
    syncDevice(b.record, b.other, QStringLiteral("phone"));

    sync::SyncSettings settings;
    settings.audioDownload = sync::AudioDownload::OnDemand;
    settings.bandwidthKiBps = 2048; // the download takes a few seconds: its progress shows
    REQUIRE(settings.save(b.record.path).ok());
}

void showWindow(QWidget& window)
{
    window.resize(1280, 720);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
}

} // namespace

TEST_CASE("gui sync: state badges, and a cloud-only take downloads when its mix opens")
{
    Band b;
    makeBand(b);
    MainWindow window(b.vaults, b.dir.filePath(QStringLiteral("Music")));
    showWindow(window);
    FileStateModel* states = window.syncPresenter()->fileStates();
    QTreeView* tree = window.projectTree()->tree();
    const QString id = b.record.id;
    // The first sync brings the phone's mix edit; Drums stays in the cloud.
    TRY_REQUIRE_FOR(window.syncPresenter()->controller()->status(id).state == sync::VaultState::Synced, 30000);
    TRY_REQUIRE_FOR(itemNamed(tree, QStringLiteral("Opening song")).isValid(), 10000);
    const QString drumsPath = window.projectTree()->pathsOf(b.mixId).filter(b.cloudTrack).value(0);
    REQUIRE_FALSE(drumsPath.isEmpty());
    TRY_REQUIRE_FOR(states->state(id, drumsPath).state == sync::FileState::CloudOnly, 10000);
    QModelIndex mixItem = itemNamed(tree, QStringLiteral("Opening song"));
    REQUIRE(mixItem.isValid());
    TRY_REQUIRE_FOR(itemNamed(tree, QStringLiteral("Opening song"))
                        .data(Qt::ToolTipRole)
                        .toString()
                        .contains(QStringLiteral("cloud only")),
        5000); // the badge follows the state within 50 ms
    const QModelIndex project = itemNamed(tree, QStringLiteral("Summer tour"));
    REQUIRE(project.isValid());
    CHECK(project.data(Qt::ToolTipRole).toString().contains(QStringLiteral("cloud only"))); // the worst it holds
    CHECK_FALSE(QFile::exists(b.record.path + QLatin1Char('/') + drumsPath));
    saveScreenshot(window, QStringLiteral("sync-tree-cloud-only.png"));

    // Opening the mix fetches Drums first, with progress on its row, then shows its audio.
    window.projectTree()->select(b.mixId);
    TRY_REQUIRE_FOR(window.mixView()->trackCount() == 2, 10000);
    QLabel* drums = nullptr;
    TRY_REQUIRE_FOR((drums = trackSyncLabel(window.mixView(), b.cloudTrack)) && drums->isVisible(), 10000);
    TRY_REQUIRE_FOR(drums->text().contains(QStringLiteral("Downloading")), 30000);
    saveScreenshot(window, QStringLiteral("sync-take-downloading.png"));
    QLabel* bass = trackSyncLabel(window.mixView(), b.keptTrack);
    REQUIRE(bass);
    CHECK(bass->text() == QStringLiteral("Synced"));
    TRY_REQUIRE_FOR(QFile::exists(b.record.path + QLatin1Char('/') + drumsPath), 60000);
    TRY_REQUIRE_FOR(
        (drums = trackSyncLabel(window.mixView(), b.cloudTrack)) && drums->text() == QStringLiteral("Synced"), 30000);
    CHECK(test::readAll(b.record.path + QLatin1Char('/') + drumsPath)
        == test::readAll(b.other + QLatin1Char('/') + drumsPath));
    TRY_REQUIRE_FOR((mixItem = itemNamed(tree, QStringLiteral("Opening song"))).isValid()
            && !mixItem.data(Qt::ToolTipRole).toString().contains(QStringLiteral("cloud only")),
        10000); // the tree reloads after a sync
    saveScreenshot(window, QStringLiteral("sync-take-downloaded.png"));
}

TEST_CASE("gui sync: the remote goes away mid-sync: offline banner, then synced again")
{
    Band b;
    makeBand(b);
    MainWindow window(b.vaults, b.dir.filePath(QStringLiteral("Music")));
    showWindow(window);
    sync::SyncController* controller = window.syncPresenter()->controller();
    const QString id = b.record.id;
    TRY_REQUIRE_FOR(controller->status(id).state == sync::VaultState::Synced, 30000);
    auto* banner = window.findChild<QLabel*>(QStringLiteral("offlineBanner"));
    REQUIRE(banner);
    CHECK_FALSE(banner->isVisible());

    // A 10 MB take goes up slowly; the NAS is unplugged in the middle of it.
    const QString take
        = *model::VaultStore(b.record.path)
               .importTrack(b.mixId, writeWav(b.dir.filePath(QStringLiteral("keys.wav")), 55), QStringLiteral("Keys"));
    REQUIRE_FALSE(take.isEmpty());
    bool uploading = false;
    QObject::connect(controller, &sync::SyncController::fileStatesChanged, &window,
        [&](const QString&, const sync::FileSyncStates& batch, bool) {
            for (const auto& s : batch)
                uploading |= s.state == sync::FileState::Syncing && s.bytesDone > 0
                    && s.path.endsWith(take + QStringLiteral(".wav"));
        });
    controller->syncNow(id);
    TRY_REQUIRE_FOR(uploading, 30000);
    const QString nas = b.record.remotePath;
    const QString unplugged = nas + QStringLiteral("-unplugged");
    REQUIRE(QDir().rename(nas, unplugged)); // the folder remote is gone
    TRY_REQUIRE_FOR(banner->isVisible(), 60000);
    CHECK(controller->status(id).offline);
    CHECK(banner->text().startsWith(QStringLiteral("Offline — ")));
    CHECK(banner->text().contains(QStringLiteral("waiting")));
    CHECK(b.vaults.byId(id)->syncStatus == vault::SyncStatus::Offline); // the sidebar's dot
    saveScreenshot(window, QStringLiteral("sync-offline-banner.png"));

    // Recording and editing go on: an edit made offline waits with the rest.
    REQUIRE(model::VaultStore(b.record.path).edit(take, {{QStringLiteral("gain_db"), QStringLiteral("-3")}}).ok());

    // Plugged back in: the next try (sync now, or the backoff timer) syncs everything.
    // (A transfer that was under way wrote its temp folder into the empty mount point, as it
    // would on a real unmounted disk: the mount hides it again.)
    REQUIRE(QDir(nas).removeRecursively());
    REQUIRE(QDir().rename(unplugged, nas));
    controller->syncNow(id);
    TRY_REQUIRE_FOR(controller->status(id).state == sync::VaultState::Synced, 120000);
    TRY_REQUIRE_FOR(!banner->isVisible(), 5000);
    TRY_REQUIRE_FOR(!window.projectTree()->pathsOf(b.mixId).filter(take).isEmpty(), 10000); // read off-thread
    const QString takePath = window.projectTree()->pathsOf(b.mixId).filter(take).value(0);
    CHECK(
        test::readAll(nas + QLatin1Char('/') + takePath) == test::readAll(b.record.path + QLatin1Char('/') + takePath));
    CHECK(b.vaults.byId(id)->syncStatus == vault::SyncStatus::Synced);
    saveScreenshot(window, QStringLiteral("sync-back-online.png"));
}

TEST_CASE("gui sync: free up space removes synced takes only, keep on this device brings them back")
{
    Band b;
    makeBand(b);
    MainWindow window(b.vaults, b.dir.filePath(QStringLiteral("Music")));
    showWindow(window);
    sync::SyncController* controller = window.syncPresenter()->controller();
    FileStateModel* states = window.syncPresenter()->fileStates();
    const QString id = b.record.id;
    TRY_REQUIRE_FOR(controller->status(id).state == sync::VaultState::Synced, 30000);
    window.projectTree()->select(b.mixId); // opening it fetches Drums
    const QStringList takes = window.projectTree()->pathsOf(b.mixId).mid(1);
    REQUIRE(takes.size() == 2);
    TRY_REQUIRE_FOR(states->worstOf(id, takes) == sync::FileState::Synced, 60000);

    // A take recorded while sync is paused is not in the cloud yet.
    controller->setPaused(id, true);
    TRY_REQUIRE_FOR(controller->status(id).state == sync::VaultState::Paused, 10000);
    const QString vox = *model::VaultStore(b.record.path)
                             .importTrack(b.mixId, writeWav(b.dir.filePath(QStringLiteral("vox.wav")), 2), QStringLiteral("Vox"));
    window.projectTree()->reload(); // read off the GUI thread: the row has three takes soon
    window.projectTree()->select(b.mixId);
    TRY_REQUIRE_FOR(window.projectTree()->pathsOf(b.mixId).size() == 4, 10000);
    const QStringList all = window.projectTree()->pathsOf(b.mixId).mid(1);
    const QString voxPath = all.filter(vox).value(0);

    int freedSignals = 0;
    QStringList freed, kept;
    QObject::connect(controller, &sync::SyncController::spaceFreed, &window,
                     [&](const QString&, const QStringList& f, const QStringList& k, qint64, const QString& error) {
                         CHECK(error.isEmpty());
                         ++freedSignals;
                         freed = f;
                         kept = k;
                     });
    SyncViews* views = window.findChild<SyncViews*>();
    REQUIRE(views);
    REQUIRE(window.projectTree()->tree()->actions().contains(views->freeUpAction()));
    views->freeUpAction()->trigger();
    TRY_REQUIRE_FOR(freedSignals == 1, 20000);
    TRY_REQUIRE_FOR(window.statusBar()->currentMessage().contains(QStringLiteral("Kept")), 5000);
    CHECK(freed.size() == 2); // Bass and Drums, both safely in the cloud
    REQUIRE(kept.size() == 1);
    CHECK(kept.first().startsWith(voxPath));
    for (const QString& t : takes) {
        CHECK_FALSE(QFile::exists(b.record.path + QLatin1Char('/') + t));
        CHECK(QFile::exists(b.record.remotePath + QLatin1Char('/') + t)); // never deleted remotely
    }
    CHECK(QFile::exists(b.record.path + QLatin1Char('/') + voxPath)); // the unsynced take stays
    saveScreenshot(window, QStringLiteral("sync-freed-space.png"));

    // Resumed: Vox goes up; the freed takes stay in the cloud and are still there.
    controller->setPaused(id, false);
    TRY_REQUIRE_FOR(QFile::exists(b.record.remotePath + QLatin1Char('/') + voxPath), 30000);
    TRY_REQUIRE_FOR(controller->status(id).state == sync::VaultState::Synced, 30000);
    for (const QString& t : takes) {
        CHECK_FALSE(QFile::exists(b.record.path + QLatin1Char('/') + t));
        CHECK(QFile::exists(b.record.remotePath + QLatin1Char('/') + t));
    }

    // Keep on this device: both come back.
    window.projectTree()->select(b.mixId);
    views->keepAction()->trigger();
    for (const QString& t : takes)
        TRY_REQUIRE_FOR(QFile::exists(b.record.path + QLatin1Char('/') + t), 60000);
    CHECK(test::readAll(b.record.path + QLatin1Char('/') + takes.first()) ==
          test::readAll(b.record.remotePath + QLatin1Char('/') + takes.first()));
}
