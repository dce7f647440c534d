// The main window at phone sizes (390×844, 360×780 portrait, 844×390 landscape) and at
// 1280×800: every screen a user reaches (vaults, tree, a mix with three tracks, recording,
// settings, Add vault, Connect Dropbox, Conflicts, History) is saved into
// <build>/screenshots and checked for what sticks out, sideways scroll bars, small touch
// targets, small text and controls without an accessible name. Recording uses the test
// PulseAudio (tools/test-env.sh).
#include "catch.h"
#include "phonecheck.h"
#include "testsupport.h"

#include "addvaultdialog.h"
#include "conflictsdialog.h"
#include "dropboxconnectdialog.h"
#include "historypanel.h"
#include "levelmeter.h"
#include "mainwindow.h"
#include "mixview.h"
#include "phoneshell.h"
#include "projecttree.h"
#include "transportbar.h"
#include "vaultsettingsdialog.h"
#include "vaultsidebar.h"

#include <muze/model/vaultstore.h>

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QPushButton>

using namespace muze;
using namespace muze::gui;

#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))

namespace {

struct Size {
    int w, h;
    QString tag() const { return QStringLiteral("%1x%2").arg(w).arg(h); }
    bool phone() const { return PhoneShell::isPhoneSize(QSize(w, h)); }
};

const Size kSizes[] = {{390, 844}, {360, 780}, {844, 390}, {1280, 800}};

// Everything a person would check on one screen; a problem fails the test with its list.
void checkScreen(QWidget* top, bool phone, const QString& shot)
{
    QApplication::processEvents();
    QTest::qWait(100);
    REQUIRE(test::saveShot(top, shot));
    INFO(shot.toStdString());
    const QStringList layout = test::layoutProblems(top);
    INFO(layout.join(QLatin1Char('\n')).toStdString());
    CHECK(layout.isEmpty());
    const QStringList unnamed = test::unnamedControls(top);
    INFO("no accessible name: " << unnamed.join(QLatin1Char('\n')).toStdString());
    CHECK(unnamed.isEmpty());
    if (phone) {
        const QStringList touch = test::touchProblems(top);
        INFO(touch.join(QLatin1Char('\n')).toStdString());
        CHECK(touch.isEmpty());
    }
}

// A dialog as the window shows it (full-screen on a phone), checked and closed.
void checkDialog(QDialog* dialog, const Size& size, const QString& name)
{
    dialog->show();
    REQUIRE(QTest::qWaitForWindowExposed(dialog));
    QTest::qWait(200);
    INFO(name.toStdString() << " is " << dialog->width() << "x" << dialog->height());
    if (size.phone())
        CHECK(dialog->size() == QSize(size.w, size.h));
    checkScreen(dialog, size.phone(), name + QStringLiteral("-") + size.tag());
    dialog->close();
}

QString addTrack(const model::VaultStore& store, const QString& mixId, const QString& dir, const QString& name, double hz)
{
    const QString wav = dir + QStringLiteral("/") + name + QStringLiteral(".wav");
    test::writeAll(wav, test::makeWav(48000, 2, 16, 48000 * 3, hz));
    auto id = store.importTrack(mixId, wav, name);
    REQUIRE(id);
    return *id;
}

} // namespace

TEST_CASE("phone: every screen at phone and desktop sizes fits, with touch targets and names")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    const QString music = dir.filePath(QStringLiteral("Music"));
    REQUIRE(MainWindow::ensureDefaultVault(vaults, music).ok());
    const auto record = *vaults.current();
    const model::VaultStore store(record.path);
    const QString collection = *store.addCollection(QStringLiteral("Songs for the winter album"));
    const QString project = *store.addProject(collection, QStringLiteral("Northern lights"));
    const QString mixId = *store.addMix(project, QStringLiteral("Rough mix with strings"));
    const QString sketchId = *store.addMix(project, QStringLiteral("Sketch"));
    addTrack(store, mixId, dir.path(), QStringLiteral("Acoustic guitar"), 220);
    addTrack(store, mixId, dir.path(), QStringLiteral("Bass"), 110);
    addTrack(store, mixId, dir.path(), QStringLiteral("Lead vocal, second take"), 330);

    MainWindow window(vaults, music);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    PhoneShell* phone = window.phone();
    MixView* mix = window.mixView();
    ProjectTree* tree = window.projectTree();

    int sketchTakes = 0; // each size records one more take into the sketch
    for (const Size& size : kSizes) {
        window.resize(size.w, size.h);
        TRY_REQUIRE_FOR(window.size() == QSize(size.w, size.h), 3000);
        QTest::qWait(100);
        CHECK(window.isCompact() == size.phone());
        CHECK(mix->form() == (!size.phone() ? MixForm::Desktop : size.w > size.h ? MixForm::PhoneLandscape : MixForm::PhonePortrait));

        // Vaults.
        if (size.phone()) {
            phone->showPage(PhoneShell::Page::Vaults);
            CHECK(window.sidebar()->isVisible());
            CHECK_FALSE(tree->isVisible());
            CHECK(phone->titleLabel()->accessibleName() == QStringLiteral("Vaults"));
        }
        checkScreen(&window, size.phone(), QStringLiteral("phone-vaults-") + size.tag());

        // The tree: the current vault in the title, a back button to the vaults.
        if (size.phone()) {
            phone->showPage(PhoneShell::Page::Tree);
            CHECK(phone->titleLabel()->accessibleName() == QStringLiteral("My Music"));
            CHECK(phone->backButton()->isVisible());
        }
        tree->select(mixId);
        TRY_REQUIRE_FOR(mix->mixId() == mixId && mix->trackCount() == 3, 5000);
        checkScreen(&window, size.phone(), QStringLiteral("phone-tree-") + size.tag());

        // The mix with three tracks: a tap on it in the tree opens it on a phone.
        if (size.phone()) {
            auto* view = tree->findChild<QAbstractItemView*>();
            REQUIRE(view);
            Q_EMIT view->clicked(view->currentIndex());
            REQUIRE(phone->page() == PhoneShell::Page::Mix);
            CHECK(phone->titleLabel()->accessibleName() == QStringLiteral("Rough mix with strings"));
            CHECK(phone->backButton()->text().contains(QStringLiteral("My Music")));
            CHECK(mix->transport()->meter()->isVisible());
            CHECK(mix->transport()->recordButton()->isVisible());
        }
        QSignalSpy waves(mix, &MixView::waveformsReady);
        QTest::qWait(300);
        checkScreen(&window, size.phone(), QStringLiteral("phone-mix-") + size.tag());

        // Recording into the sketch: the meter listens before the take, the take's length
        // counts up while it records.
        tree->select(sketchId);
        TRY_REQUIRE_FOR(mix->mixId() == sketchId, 5000);
        CHECK(mix->trackCount() == sketchTakes); // not the rough mix's three cards
        if (size.phone())
            phone->showPage(PhoneShell::Page::Mix);
        if (size.phone()) // on a desktop only an empty mix listens
            TRY_REQUIRE_FOR(mix->isMonitoringInput(), 5000);
        QAction* recordAction = window.findChild<QAction*>(QStringLiteral("actionRecord"));
        REQUIRE(recordAction);
        QSignalSpy recorded(mix, &MixView::recordingFinished);
        auto* emptyLine = mix->findChild<QLabel*>(QStringLiteral("mixEmpty"));
        REQUIRE(emptyLine);
        if (sketchTakes == 0 && size.phone())
            CHECK(emptyLine->text().contains(QStringLiteral("Tap the red button to record the first one")));
        QPushButton* recordButton = mix->transport()->recordButton();
        const QString idleRecord = recordButton->text();
        recordAction->trigger();
        // The device opens on the recorder's thread: the button turns to Stop only once it
        // records.
        CHECK(recordButton->text() == idleRecord);
        TRY_REQUIRE_FOR(mix->isRecording(), 15000);
        CHECK(recordButton->text() != idleRecord);
        CHECK_FALSE(mix->isMonitoringInput());
        if (sketchTakes == 0) { // the first take: the empty mix says it is being recorded
            CHECK(emptyLine->isVisible());
            CHECK(emptyLine->text() == QStringLiteral("Recording the first take…"));
        } else {
            CHECK_FALSE(emptyLine->isVisible());
        }
        QLabel* elapsed = mix->transport()->recordTimeLabel();
        TRY_REQUIRE_FOR(elapsed->text() >= QStringLiteral("● 0:00.5"), 10000);
        const QString early = elapsed->text();
        TRY_REQUIRE_FOR(elapsed->text() > early, 10000);
        CHECK(mix->transport()->meter()->isVisible());
        CHECK(mix->transport()->recordButton()->isVisible());
        checkScreen(&window, size.phone(), QStringLiteral("phone-recording-") + size.tag());
        recordAction->trigger();
        // Stop returns before the take is finalized and joins the mix: until it has, the
        // empty mix says so instead of asking for a first take again.
        CHECK(recorded.isEmpty());
        if (sketchTakes == 0)
            CHECK(emptyLine->text() == QStringLiteral("Saving the take…"));
        REQUIRE(recorded.wait(20000));
        CHECK(recorded.front().at(1).toString().isEmpty());
        ++sketchTakes;
        TRY_REQUIRE_FOR(mix->trackCount() == sketchTakes, 5000);

        // The dialogs, full-screen on a phone.
        {
            VaultSettingsDialog settings(vaults, record.id, &window);
            checkDialog(&settings, size, QStringLiteral("phone-settings"));
        }
        {
            AddVaultDialog add(music, &window);
            checkDialog(&add, size, QStringLiteral("phone-add-vault"));
        }
        {
            DropboxConnectDialog connect(QStringLiteral("/Apps/Muze/My Music"), &window);
            checkDialog(&connect, size, QStringLiteral("phone-connect-dropbox"));
        }
        {
            ConflictsDialog conflicts(record.id, record.path, record.name, QStringLiteral("This phone"), &window);
            checkDialog(&conflicts, size, QStringLiteral("phone-conflicts"));
        }
        {
            auto item = store.resolve(mixId, model::ItemKind::Mix);
            REQUIRE(item);
            HistoryPanel history(record, item->file, item->name, &window);
            checkDialog(&history, size, QStringLiteral("phone-history"));
        }
    }
}
