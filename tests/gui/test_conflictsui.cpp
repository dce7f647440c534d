// The Conflicts dialog, the tray icon and the Activity tab on real conflicts: two devices on a
// folder remote (tests/sync/conflictworld.h), the main window opened on device A's vault with
// its real sync worker. Screenshots go to <build>/screenshots.
#include "catch.h"
#include "conflictworld.h"
#include "testsupport.h"

#include "activitypanel.h"
#include "conflictcard.h"
#include "conflictsdialog.h"
#include "mainwindow.h"
#include "syncfeed.h"
#include "synctray.h"
#include "syncui.h"
#include "vaultsettingsdialog.h"

#include <muze/model/vaultstore.h>
#include <muze/sync/conflictresolve.h>
#include <muze/sync/synccontroller.h>
#include "syncpresenter.h"
#include <muze/util/clock.h>

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenu>
#include <QPainter>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>

using namespace muze;
using namespace muze::gui;
using namespace muze::test;

#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))
#define TRY_REQUIRE(cond) TRY_REQUIRE_FOR(cond, 10000)

namespace {

void saveScreenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(w.grab().save(test::binaryPath(QStringLiteral("screenshots/") + name)));
}

// Device A as the app sees it: a config dir naming the device "A" and its vault synced with
// the world's folder remote.
struct App {
    TempDir config;
    vault::VaultManager vaults;
    std::unique_ptr<MainWindow> window;

    App(World& w, Device& a) : vaults(config.filePath(QStringLiteral("cfg")))
    {
        qputenv("MUZE_SYNC_SETTLE_MS", "0");
        QDir().mkpath(config.filePath(QStringLiteral("cfg")));
        QFile f(config.filePath(QStringLiteral("cfg/device.json")));
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(R"({"id":"a0000dev","name":"A"})");
        f.close();
        REQUIRE(vaults.load().ok());
        vault::VaultSpec spec;
        spec.name = QStringLiteral("Band");
        spec.path = a.root();
        spec.remotePath = w.remoteDir();
        spec.makeDefault = true;
        Result<vault::VaultRecord> r = vaults.create(spec);
        REQUIRE(r.ok());
        REQUIRE(vaults.setCurrent(r->id).ok());
        window = std::make_unique<MainWindow>(vaults, config.filePath(QStringLiteral("music")));
        window->resize(1100, 700);
        window->show();
        REQUIRE(QTest::qWaitForWindowExposed(window.get()));
    }
    ~App() { window.reset(); } // stops the worker before the folders go
    SyncUi* ui() const { return window->syncUi(); }
};

ConflictCard* cardFor(ConflictsDialog* d, const QString& fieldSuffix)
{
    for (ConflictCard* c : d->cards()) {
        if (c->view().field.endsWith(fieldSuffix) || (fieldSuffix.isEmpty() && !c->isField()))
            return c;
    }
    return nullptr;
}

} // namespace

// A desktop's tray and notification daemon (tests/gui/tray_host.py) on the private session bus.
// Qt decides once per process whether a tray exists, so this case comes first.
struct TrayHost {
    QProcess process;
    QString log;
    explicit TrayHost(const TempDir& dir) : log(dir.filePath(QStringLiteral("tray.log")))
    {
        process.start(QStringLiteral("/usr/bin/python3"), {sourcePath(QStringLiteral("tests/gui/tray_host.py")), log});
        REQUIRE(process.waitForStarted());
        REQUIRE(test::waitUntil([&] { return process.readAllStandardOutput().contains("ready"); }, 10000));
    }
    ~TrayHost()
    {
        process.terminate();
        process.waitForFinished(3000);
    }
    // What the desktop was asked to show: "item" and "notification" entries.
    std::vector<Json> entries(const char* kind) const
    {
        std::vector<Json> out;
        QFile f(log);
        if (f.open(QIODevice::ReadOnly)) {
            for (const QByteArray& line : f.readAll().split('\n')) {
                if (line.isEmpty())
                    continue;
                Json j = Json::parse(line.toStdString());
                if (j["kind"] == kind)
                    out.push_back(j);
            }
        }
        return out;
    }
    bool notified(const QString& summary) const
    {
        for (const Json& j : entries("notification")) {
            if (QString::fromStdString(j["summary"].get<std::string>()) == summary)
                return true;
        }
        return false;
    }
};

TEST_CASE("tray: on a desktop with a tray, closing the window keeps syncing and conflicts notify the desktop")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    TempDir desktop;
    TrayHost host(desktop);
    REQUIRE(QSystemTrayIcon::isSystemTrayAvailable());
    App app(w, a);
    SyncTray* tray = app.ui()->tray();
    REQUIRE(tray->icon()->isVisible());
    TRY_REQUIRE(!host.entries("item").empty()); // the icon is on the desktop's tray
    TRY_REQUIRE_FOR(tray->statusAction()->text() == QStringLiteral("Synced"), 30000);

    // With the setting on, closing the window only hides it.
    CHECK_FALSE(app.ui()->keepRunningOnClose());
    tray->keepSyncingAction()->trigger();
    REQUIRE(app.ui()->keepRunningOnClose());
    REQUIRE(app.window->close() == false);
    CHECK_FALSE(app.window->isVisible());

    // Sync goes on: a conflict made now reaches this device and the desktop says so.
    Json mb = b.readJson(band.mixFile);
    mb["notes"] = "B's notes";
    mb["modified_at"] = toStd(isoTimestamp(QDateTime::currentDateTimeUtc().addSecs(-30)));
    b.writeJson(band.mixFile, mb);
    b.sync();
    Json ma = a.readJson(band.mixFile);
    ma["notes"] = "A's notes";
    ma["modified_at"] = toStd(isoTimestamp(QDateTime::currentDateTimeUtc().addSecs(-60)));
    a.writeJson(band.mixFile, ma);
    tray->syncNowAction()->trigger();
    TRY_REQUIRE_FOR(host.notified(QStringLiteral("New conflict in Band")), 30000);
    CHECK(a.readJson(band.mixFile)["notes"] == "B's notes"); // B's later edit arrived
    CHECK_FALSE(app.window->isVisible());

    // Open Muze brings the window back.
    tray->openAction()->trigger();
    TRY_REQUIRE(app.window->isVisible());
}

TEST_CASE("conflicts dialog: JSON field conflicts side by side, chosen per field, reach the other device")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeFieldConflicts(a, b, band);
    App app(w, a);

    // Found when the vault opens: the badge counts them before any sync.
    TRY_REQUIRE(app.ui()->conflictsBadge()->isVisible());
    CHECK(app.ui()->conflictsBadge()->text() == QStringLiteral("2 conflicts")); // the English plural form, as the app shows it
    CHECK(app.ui()->conflictsAction()->text() == QStringLiteral("Conflicts (2)"));

    saveScreenshot(*app.window, QStringLiteral("conflicts-badge-mainwindow.png"));
    QTest::mouseClick(app.ui()->conflictsBadge(), Qt::LeftButton); // from the conflict state
    ConflictsDialog* dialog = app.ui()->conflictsDialog();
    REQUIRE(dialog);
    TRY_REQUIRE(dialog->cards().size() == 2 && !dialog->isBusy());
    ConflictCard* name = cardFor(dialog, QStringLiteral("/name"));
    ConflictCard* gain = cardFor(dialog, QStringLiteral("/gain_db"));
    REQUIRE(name);
    REQUIRE(gain);
    CHECK(name->title().contains(QStringLiteral("Opening song")));
    CHECK(gain->title() == QStringLiteral("Track “Guitar” — Volume (dB)"));
    // What the user reads: base, mine (A), theirs (B), and B's value in use.
    QStringList texts;
    for (QLabel* l : name->findChildren<QLabel*>())
        texts << l->text();
    const QString all = texts.join(QLatin1Char('|'));
    CHECK(all.contains(QStringLiteral("Opening song|")));
    CHECK(all.contains(QStringLiteral("Opening song (live)")));
    CHECK(all.contains(QStringLiteral("Opening song — final")));
    CHECK(all.contains(QStringLiteral("A · ")));
    CHECK(all.contains(QStringLiteral("B · ")));
    CHECK(name->theirsRadio()->isChecked());
    CHECK(name->theirsRadio()->text().contains(QStringLiteral("in use")));
    saveScreenshot(*dialog, QStringLiteral("conflicts-json-field.png"));

    // Mine for the name, theirs (already chosen) for the gain; apply.
    QTest::mouseClick(name->mineRadio(), Qt::LeftButton, {}, QPoint(8, name->mineRadio()->height() / 2));
    CHECK(name->choice() == sync::Choice::Mine);
    QTest::mouseClick(dialog->applyButton(), Qt::LeftButton);
    TRY_REQUIRE(!dialog->isBusy() && dialog->cards().isEmpty());
    CHECK(dialog->statusLabel()->text().contains(QStringLiteral("2 conflicts resolved")));
    TRY_REQUIRE(!app.ui()->conflictsBadge()->isVisible());
    CHECK(a.readJson(band.mixFile)["name"] == "Opening song (live)");

    // Resolving synced: device B gets the choices from the remote.
    TRY_REQUIRE_FOR((b.sync(), b.readJson(band.mixFile)["name"] == "Opening song (live)"), 30000);
    CHECK(b.readJson(band.mixFile)["tracks"][0]["gain_db"] == 2.5);
    CHECK(sync::ConflictResolver(b.root(), b.name()).list().empty());
}

TEST_CASE("conflicts dialog: a take recorded over on two devices, played and kept as two tracks")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeTakeConflict(a, b, band);
    App app(w, a);
    TRY_REQUIRE(app.ui()->conflictsBadge()->isVisible());
    app.ui()->conflictsAction()->trigger(); // the toolbar entry
    ConflictsDialog* dialog = app.ui()->conflictsDialog();
    REQUIRE(dialog);
    TRY_REQUIRE(dialog->cards().size() == 1 && !dialog->isBusy());
    ConflictCard* take = dialog->cards().front();
    CHECK_FALSE(take->isField());
    CHECK(take->title().contains(QStringLiteral("Guitar")));
    CHECK(take->keepBothButton()->text() == QStringLiteral("Keep both as two tracks"));
    QStringList texts;
    for (QLabel* l : take->findChildren<QLabel*>())
        texts << l->text();
    CHECK(texts.join(QLatin1Char('|')).contains(QStringLiteral("0:08 min"))); // A's take, mine
    CHECK(texts.join(QLatin1Char('|')).contains(QStringLiteral("0:10 min"))); // B's, in use
    saveScreenshot(*dialog, QStringLiteral("conflicts-wav-take.png"));

    // Play mine (PulseAudio's null sink of tools/test-env.sh), then stop.
    QTest::mouseClick(take->playMineButton(), Qt::LeftButton);
    TRY_REQUIRE(dialog->playingPath() == take->view().minePath);
    TRY_REQUIRE(take->playMineButton()->text() == QStringLiteral("■ Stop")); // once the device plays
    saveScreenshot(*dialog, QStringLiteral("conflicts-wav-playing.png"));
    QTest::mouseClick(take->playMineButton(), Qt::LeftButton);
    CHECK(dialog->playingPath().isEmpty());

    QTest::mouseClick(take->keepBothButton(), Qt::LeftButton);
    TRY_REQUIRE(!dialog->isBusy() && dialog->cards().isEmpty());
    const Json mix = a.readJson(band.mixFile);
    REQUIRE(mix["tracks"].size() == 2);
    CHECK(mix["tracks"][1]["name"] == "Guitar (A)");
    TRY_REQUIRE_FOR((b.sync(), b.readJson(band.mixFile)["tracks"].size() == 2), 30000);
    CHECK(sync::ConflictResolver(b.root(), b.name()).list().empty());
}

TEST_CASE("tray: state, menu, notifications for a new conflict and a finished recording upload")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    App app(w, a);
    SyncTray* tray = app.ui()->tray();
    REQUIRE(tray);
    TRY_REQUIRE_FOR(tray->statusAction()->text() == QStringLiteral("Synced"), 30000);
    CHECK(tray->toolTip() == QStringLiteral("Muze — Synced"));
    CHECK_FALSE(tray->conflictsAction()->isVisible());
    CHECK(tray->pauseAction()->isEnabled());
    CHECK(tray->pauseAction()->text() == QStringLiteral("Pause sync"));
    CHECK(tray->syncNowAction()->isEnabled());

    // A conflict made while the app runs: B edits and syncs, A edits; Sync now in the tray.
    Json mb = b.readJson(band.mixFile);
    mb["notes"] = "B's notes";
    mb["modified_at"] = toStd(isoTimestamp(QDateTime::currentDateTimeUtc().addSecs(-30)));
    b.writeJson(band.mixFile, mb);
    b.sync();
    Json ma = a.readJson(band.mixFile);
    ma["notes"] = "A's notes";
    ma["modified_at"] = toStd(isoTimestamp(QDateTime::currentDateTimeUtc().addSecs(-60)));
    a.writeJson(band.mixFile, ma);
    tray->syncNowAction()->trigger();
    TRY_REQUIRE_FOR(tray->lastNotificationTitle() == QStringLiteral("New conflict in Band"), 30000);
    TRY_REQUIRE(tray->statusAction()->text() == QStringLiteral("Synced · 1 conflict"));
    CHECK(tray->conflictsAction()->isVisible());

    // The menu as the tray shows it.
    tray->menu()->popup(app.window->geometry().center());
    TRY_REQUIRE(tray->menu()->isVisible());
    saveScreenshot(*tray->menu(), QStringLiteral("tray-menu.png"));
    tray->menu()->hide();
    // The tray icon in each state, side by side: synced, syncing, offline, error, conflicts.
    {
        QPixmap row(5 * 40, 40);
        row.fill(Qt::white);
        QPainter p(&row);
        const SyncFeed::VaultState states[] = {{SyncFeed::State::Synced, -1, {}, 0}, {SyncFeed::State::Syncing, 42, {}, 0},
                                               {SyncFeed::State::Offline, -1, {}, 0}, {SyncFeed::State::Error, -1, {}, 0},
                                               {SyncFeed::State::Synced, -1, {}, 3}};
        for (int i = 0; i < 5; ++i)
            p.drawPixmap(i * 40 + 4, 4, SyncTray::stateIcon(states[i], 32).pixmap(32, 32));
        p.end();
        REQUIRE(row.save(test::binaryPath(QStringLiteral("screenshots/tray-icon-states.png"))));
        CHECK(SyncTray::stateText(states[1]) == QStringLiteral("Syncing 42%"));
        CHECK(SyncTray::stateText(states[2]) == QStringLiteral("Offline — changes wait"));
    }

    // A new recording: its upload ends in a notification.
    const QString wavFile = w.path(QStringLiteral("vocals.wav"));
    {
        QFile f(wavFile);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write(bandTake(4, 660));
    }
    REQUIRE(model::VaultStore(a.root()).importTrack(band.mixId, wavFile, QStringLiteral("Vocals")).ok());
    tray->syncNowAction()->trigger();
    TRY_REQUIRE_FOR(tray->lastNotificationTitle() == QStringLiteral("Recording uploaded"), 30000);
    CHECK(tray->lastNotificationText().contains(QStringLiteral("Band")));

    // Pause sync: every vault stops, the tray says so, Resume starts again.
    tray->pauseAction()->trigger();
    TRY_REQUIRE(tray->pauseAction()->text() == QStringLiteral("Resume sync"));
    TRY_REQUIRE(tray->statusAction()->text().startsWith(QStringLiteral("Paused")));
    CHECK(app.window->syncPresenter()->controller()->allPaused());
    saveScreenshot(*tray->menu(), QStringLiteral("tray-menu-paused.png"));
    tray->pauseAction()->trigger();
    TRY_REQUIRE(tray->pauseAction()->text() == QStringLiteral("Pause sync"));
    TRY_REQUIRE_FOR(tray->statusAction()->text().startsWith(QStringLiteral("Synced")), 30000);

    // The setting is remembered; without a tray to come back from, closing still closes.
    tray->keepSyncingAction()->trigger();
    CHECK(QSettings(app.vaults.configDir() + QStringLiteral("/gui.ini"), QSettings::IniFormat)
              .value(QStringLiteral("tray/keepSyncingWhenClosed")).toBool());
    CHECK(app.ui()->keepRunningOnClose() == (QSystemTrayIcon::isSystemTrayAvailable() && tray->icon()->isVisible()));
}

TEST_CASE("activity tab: vault settings list the transfers of the vault, newest first")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    App app(w, a);
    VaultSettingsDialog dialog(app.vaults, app.vaults.currentId(), app.window.get());
    auto* tabs = dialog.findChild<QTabWidget*>();
    REQUIRE(tabs);
    int index = -1;
    for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i) == QStringLiteral("Activity"))
            index = i;
    }
    REQUIRE(index >= 0);
    tabs->setCurrentIndex(index);
    auto* panel = dialog.findChild<ActivityPanel*>();
    REQUIRE(panel);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    TRY_REQUIRE(panel->table()->rowCount() > 0);
    bool takeUp = false;
    for (int r = 0; r < panel->table()->rowCount(); ++r) {
        if (panel->table()->item(r, 1)->text() == QStringLiteral("Take “Guitar” of Opening song")) {
            CHECK(panel->table()->item(r, 1)->toolTip() == band.take);
            takeUp = panel->table()->item(r, 2)->text().contains(QStringLiteral("Upload"))
                     && panel->table()->item(r, 4)->text() == QStringLiteral("Done")
                     && !panel->table()->item(r, 3)->text().isEmpty();
        }
    }
    CHECK(takeUp);
    CHECK(panel->summaryLabel()->text().contains(QStringLiteral("newest first")));
    saveScreenshot(dialog, QStringLiteral("activity-tab.png"));
}

TEST_CASE("tray: an error that needs the user is announced once, offline and busy are not")
{
    TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("cfg")));
    REQUIRE(vaults.load().ok());
    vault::VaultSpec spec;
    spec.name = QStringLiteral("Work");
    spec.path = dir.filePath(QStringLiteral("Work"));
    Result<vault::VaultRecord> v = vaults.create(spec);
    REQUIRE(v.ok());
    // The worker's signals as SyncController forwards them, with the remotes' own wording.
    sync::SyncController controller;
    SyncFeed feed(vaults, &controller);
    SyncTray tray(&feed, dir.filePath(QStringLiteral("gui.ini")));
    QSignalSpy notified(&tray, &SyncTray::notified);
    auto state = [&](const char* s, const char* message) {
        Q_EMIT controller.vaultStateChanged(v->id, QString::fromLatin1(s), QString::fromUtf8(message));
    };
    state("offline", "Dropbox is unreachable: Host not found");
    CHECK(tray.statusAction()->text() == QStringLiteral("Offline — changes wait"));
    state("syncing", "");
    Q_EMIT controller.progress(v->id, 500, 1000, 1, 4);
    CHECK(tray.statusAction()->text() == QStringLiteral("Syncing 50%"));
    CHECK(notified.isEmpty());

    const char* signedOut = "Dropbox list_folder: not signed in (expired_access_token): connect Dropbox again";
    state("error", signedOut);
    REQUIRE(notified.size() == 1);
    CHECK(tray.lastNotificationTitle() == QStringLiteral("Work: sign in again to sync"));
    CHECK(tray.lastNotificationText() == QString::fromUtf8(signedOut));
    CHECK(tray.statusAction()->text().startsWith(QStringLiteral("Sync error: ")));
    state("error", signedOut); // the retry says it again: no second notification
    CHECK(notified.size() == 1);
    state("synced", "");
    state("error", signedOut); // after a good run it is news again
    CHECK(notified.size() == 2);

    state("error", "Cannot write /music/Work/.muze-state/tmp/x: No space left on device");
    CHECK(tray.lastNotificationTitle() == QStringLiteral("Work: the disk is full"));
    state("locked", "The vault's key ring was changed without the password; unlock it with the password to repair it");
    CHECK(tray.lastNotificationTitle() == QStringLiteral("Work: the vault's keys need you"));
    state("error", "collections/x.json: Permission denied"); // shown in the window, not a desktop alert
    CHECK(notified.size() == 4);
}

TEST_CASE("conflicts dialog: fields and a take at once, all theirs settles every one")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const Band band = seedBand(w, a, b);
    makeFieldConflicts(a, b, band);
    makeTakeConflict(a, b, band);
    App app(w, a);
    TRY_REQUIRE(app.ui()->conflictsAction()->text() == QStringLiteral("Conflicts (3)"));
    ConflictsDialog* dialog = app.ui()->openConflicts();
    REQUIRE(dialog);
    TRY_REQUIRE(dialog->cards().size() == 3 && !dialog->isBusy());
    CHECK(dialog->applyButton()->isVisible());
    saveScreenshot(*dialog, QStringLiteral("conflicts-mixed.png"));
    QTest::mouseClick(dialog->allTheirsButton(), Qt::LeftButton);
    TRY_REQUIRE(!dialog->isBusy() && dialog->cards().isEmpty());
    const Json mix = a.readJson(band.mixFile);
    CHECK(mix["name"] == "Opening song — final");
    CHECK(mix["tracks"].size() == 1);
    CHECK(mix["tracks"][0]["gain_db"] == 2.5);
    CHECK(a.read(band.take) == bandTake(10, 440));
    TRY_REQUIRE(app.ui()->conflictsAction()->text() == QStringLiteral("Conflicts"));
}
