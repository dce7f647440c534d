// The first minute (issue 13): an empty vault says what to do, the meter moves before
// recording, one tap records a take into "Ideas › <today>"; and the main actions' shortcuts,
// shown in the menus, do what they say.
#include "catch.h"
#include "phonecheck.h"
#include "testsupport.h"

#include "firstrun.h"
#include "levelmeter.h"
#include "mainwindow.h"
#include "mixview.h"
#include "phoneshell.h"
#include "projecttree.h"
#include "transportbar.h"

#include <muze/model/vaultstore.h>

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace muze;
using namespace muze::gui;

#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))

TEST_CASE("phone: first run, one tap from launch to recording an idea")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    const QString music = dir.filePath(QStringLiteral("Music"));
    REQUIRE(MainWindow::ensureDefaultVault(vaults, music).ok());
    MainWindow window(vaults, music);
    window.resize(390, 844);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));

    // Launch: the empty vault says what to do, with the input meter already listening.
    auto* panel = window.findChild<FirstRunPanel*>();
    REQUIRE(panel);
    TRY_REQUIRE_FOR(panel->isVisible(), 5000);
    CHECK(panel->recordButton()->text().contains(QStringLiteral("Record your first idea")));
    CHECK(panel->newCollectionButton()->isVisible());
    CHECK(panel->addDropboxButton()->text().contains(QStringLiteral("Dropbox")));
    CHECK(panel->meter()->isVisible());
    TRY_REQUIRE_FOR(panel->isMonitoringInput(), 5000);
    CHECK(test::layoutProblems(&window).isEmpty());
    CHECK(test::touchProblems(&window).isEmpty());
    REQUIRE(test::saveShot(&window, QStringLiteral("phone-first-run-390x844")));

    // One tap: a new mix under Ideas › today, open, recording.
    QSignalSpy recorded(window.mixView(), &MixView::recordingFinished);
    QTest::mouseClick(panel->recordButton(), Qt::LeftButton);
    TRY_REQUIRE_FOR(window.mixView()->isRecording(), 15000);
    CHECK(window.phone()->page() == PhoneShell::Page::Mix);
    CHECK_FALSE(panel->isVisible());
    auto tree = model::VaultStore(vaults.current()->path).load();
    REQUIRE(tree);
    REQUIRE(tree->collections.size() == 1);
    CHECK(tree->collections[0].name() == QStringLiteral("Ideas"));
    REQUIRE(tree->collections[0].projects.size() == 1);
    CHECK(tree->collections[0].projects[0].name() == QLocale().toString(QDate::currentDate(), QStringLiteral("d MMMM yyyy")));
    REQUIRE(tree->collections[0].projects[0].mixes.size() == 1);
    CHECK(tree->collections[0].projects[0].mixes[0].id == window.mixView()->mixId());
    CHECK(window.phone()->titleLabel()->accessibleName() == QStringLiteral("Idea 1"));
    TRY_REQUIRE_FOR(window.mixView()->transport()->recordTimeLabel()->text() >= QStringLiteral("● 0:01.0"), 10000);
    REQUIRE(test::saveShot(&window, QStringLiteral("phone-first-idea-recording-390x844")));

    // R stops (the window's shortcut), and the take is the mix's first track.
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_R);
    REQUIRE((!recorded.isEmpty() || recorded.wait(20000)));
    CHECK(recorded.front().at(1).toString().isEmpty());
    CHECK(window.mixView()->trackCount() == 1);
    TRY_REQUIRE_FOR(!panel->isVisible(), 5000);
}

TEST_CASE("phone: main actions have shortcuts shown in the menus")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    const QString music = dir.filePath(QStringLiteral("Music"));
    REQUIRE(MainWindow::ensureDefaultVault(vaults, music).ok());
    const model::VaultStore store(vaults.current()->path);
    const QString project = *store.addProject(*store.addCollection(QStringLiteral("Songs")), QStringLiteral("Demo"));
    const QString mixId = *store.addMix(project, QStringLiteral("First"));
    MainWindow window(vaults, music);
    window.resize(1280, 800);
    window.show();
    window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&window));

    // Each action is in a menu of the menu bar, with its shortcut (which the menu shows).
    QList<QAction*> inMenus;
    for (QAction* top : window.menuBar()->actions()) {
        if (top->menu())
            inMenus += top->menu()->actions();
    }
    const std::pair<const char*, QKeySequence> expected[] = {
        {"actionRecord", QKeySequence(Qt::Key_R)},
        {"actionPlay", QKeySequence(Qt::Key_Space)},
        {"syncNow", QKeySequence(Qt::CTRL | Qt::Key_S)},
        {"actionSearch", QKeySequence(Qt::CTRL | Qt::Key_F)},
        {"actionNewMix", QKeySequence(Qt::CTRL | Qt::Key_N)},
    };
    for (const auto& [name, keys] : expected) {
        INFO(name);
        auto* action = window.findChild<QAction*>(QLatin1String(name));
        REQUIRE(action);
        CHECK(action->shortcut() == keys);
        CHECK(inMenus.contains(action));
    }

    // The shortcuts act: Ctrl+F goes to the search field, Ctrl+N makes a mix, R records it.
    ProjectTree* tree = window.projectTree();
    QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
    CHECK(tree->searchField()->hasFocus());
    tree->select(mixId);
    TRY_REQUIRE_FOR(window.mixView()->mixId() == mixId, 5000);
    window.mixView()->setFocus();
    QTest::keyClick(&window, Qt::Key_N, Qt::ControlModifier);
    QTest::qWait(100);
    QLineEdit* editor = nullptr; // the new mix is named in place, like the tree's "+ Mix"
    for (auto* e : tree->findChildren<QLineEdit*>()) {
        if (e->isVisible() && e != tree->searchField())
            editor = e;
    }
    REQUIRE(editor);
    QTest::keyClick(editor, Qt::Key_Return);
    TRY_REQUIRE_FOR(store.load()->collections[0].projects[0].mixes.size() == 2, 5000);

    const QStringList unnamed = test::unnamedControls(&window);
    INFO(unnamed.join(QLatin1Char('\n')).toStdString());
    CHECK(unnamed.isEmpty());
}
