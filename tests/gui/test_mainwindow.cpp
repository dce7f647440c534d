#include "catch.h"
#include "testsupport.h"

#include "addvaultdialog.h"
#include "mainwindow.h"
#include "projecttree.h"
#include "vaultsettingsdialog.h"
#include "vaultsidebar.h"

#include <muze/model/vaultstore.h>

#include <QAction>
#include <QComboBox>
#include <QCheckBox>
#include <QLabel>
#include <QSpinBox>
#include <QTabWidget>
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QTreeView>

#include <memory>

using namespace muze;
using namespace muze::gui;

// QtTest's QTRY_* macros report to QtTest and `return` on failure: in a Catch test that ends
// the test early as a pass. These wait the same way (events processed) and fail in Catch.
#define TRY_REQUIRE_FOR(cond, ms) REQUIRE(test::waitUntil([&] { return bool(cond); }, ms))
#define TRY_REQUIRE(cond) TRY_REQUIRE_FOR(cond, 5000)

namespace {

void saveScreenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    const QString path = test::binaryPath(QStringLiteral("screenshots/") + name);
    QApplication::processEvents(); // pending layout requests first, or the picture shows the old layout
    REQUIRE(w.grab().save(path));
}

// Types a name into the inline editor a new item opens, as a user would, and waits until the
// tree shows the vault with the new name (saved and read back off the GUI thread).
void typeName(ProjectTree* projectTree, const QString& name)
{
    QTreeView* tree = projectTree->tree();
    QLineEdit* editor = nullptr;
    auto findEditor = [&] { // the item is made off the GUI thread: its editor opens soon after
        for (auto* e : tree->viewport()->findChildren<QLineEdit*>()) {
            if (e->isVisible())
                editor = e;
        }
        return editor != nullptr;
    };
    TRY_REQUIRE_FOR(findEditor(), 5000);
    QSignalSpy loaded(projectTree, &ProjectTree::loaded);
    editor->selectAll();
    QTest::keyClicks(editor, name);
    QTest::keyClick(editor, Qt::Key_Return);
    TRY_REQUIRE_FOR(loaded.count() > 0, 5000);
}

int rowOf(QListWidget* list, const QString& name)
{
    for (int i = 0; i < list->count(); ++i) {
        if (list->item(i)->text().startsWith(name))
            return i;
    }
    return -1;
}

} // namespace

TEST_CASE("gui: first launch, add a vault, switch, build a tree, narrow window")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    const QString music = dir.filePath(QStringLiteral("Music/Muze"));
    REQUIRE(MainWindow::ensureDefaultVault(vaults, music).ok());
    REQUIRE(vaults.vaults().size() == 1);
    CHECK(vaults.vaults().front().name == QStringLiteral("My Music"));
    CHECK(QFile::exists(music + QStringLiteral("/My Music/vault.json")));

    auto window = std::make_unique<MainWindow>(vaults, music);
    window->resize(1280, 800);
    window->show();
    REQUIRE(QTest::qWaitForWindowExposed(window.get()));
    QListWidget* list = window->sidebar()->list();
    REQUIRE(list->count() == 1);
    CHECK(list->item(0)->text().startsWith(QStringLiteral("My Music")));
    CHECK_FALSE(window->isCompact());

    // "Add vault…" → fill in the dialog → Create.
    const QString backupDir = dir.filePath(QStringLiteral("Backup"));
    bool dialogSeen = false;
    QTimer::singleShot(100, [&] {
        auto* dialog = qobject_cast<AddVaultDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialogSeen = true;
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Local Backup"));
        dialog->folderEdit()->setText(backupDir);
        Q_EMIT dialog->folderEdit()->textEdited(backupDir);
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    });
    QTest::mouseClick(window->sidebar()->addButton(), Qt::LeftButton);
    TRY_REQUIRE(dialogSeen);
    TRY_REQUIRE(list->count() == 2);
    const auto backup = vaults.resolve(QStringLiteral("Local Backup"));
    REQUIRE(backup.ok());
    CHECK(backup->path == backupDir);
    CHECK(vaults.currentId() == backup->id);

    // Switching is a click in the sidebar.
    const int myMusicRow = rowOf(list, QStringLiteral("My Music"));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(myMusicRow)).center());
    TRY_REQUIRE(vaults.current()->name == QStringLiteral("My Music"));
    CHECK(window->windowTitle().startsWith(QStringLiteral("My Music")));
    const int backupRow = rowOf(list, QStringLiteral("Local Backup"));
    QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualItemRect(list->item(backupRow)).center());
    TRY_REQUIRE(vaults.currentId() == backup->id);

    // Collection > project > mix, each named in place.
    ProjectTree* tree = window->projectTree();
    tree->newCollectionAction()->trigger();
    typeName(tree, QStringLiteral("Live sets"));
    tree->newProjectAction()->trigger();
    typeName(tree, QStringLiteral("Summer tour"));
    tree->newMixAction()->trigger();
    typeName(tree, QStringLiteral("Opening song"));

    auto vaultTree = model::VaultStore(backupDir).load();
    REQUIRE(vaultTree.ok());
    REQUIRE(vaultTree->collections.size() == 1);
    CHECK(vaultTree->collections[0].name() == QStringLiteral("Live sets"));
    REQUIRE(vaultTree->collections[0].projects.size() == 1);
    CHECK(vaultTree->collections[0].projects[0].name() == QStringLiteral("Summer tour"));
    REQUIRE(vaultTree->collections[0].projects[0].mixes.size() == 1);
    const QString mixId = vaultTree->collections[0].projects[0].mixes[0].id;
    CHECK(vaultTree->collections[0].projects[0].mixes[0].name() == QStringLiteral("Opening song"));
    // Nothing was written into the other vault.
    CHECK(model::VaultStore(music + QStringLiteral("/My Music")).load()->collections.empty());

    // Give the mix two tracks so the mix view has something to show.
    const QString wav = dir.filePath(QStringLiteral("take.wav"));
    test::writeAll(wav, test::makeWav(48000, 2, 16, 48000 * 2, 220));
    model::VaultStore store(backupDir);
    REQUIRE(store.importTrack(mixId, wav, QStringLiteral("Guitar")).ok());
    test::writeAll(wav, test::makeWav(48000, 1, 24, 48000 * 3, 110));
    REQUIRE(store.importTrack(mixId, wav, QStringLiteral("Bass")).ok());
    tree->reload();
    tree->select(mixId);
    QTest::qWait(300);
    saveScreenshot(*window, QStringLiteral("main-1280x800.png"));

    // Search: typing filters the tree to the items whose name, notes or tags hold the words
    // (a track's words find its mix), and clearing brings everything back.
    REQUIRE(store.addMix(QStringLiteral("Summer tour"), QStringLiteral("Ballad")).ok());
    REQUIRE(store.edit(QStringLiteral("Guitar"), {{QStringLiteral("notes"), QStringLiteral("Fuzz pedal, neck pickup")}}).ok());
    tree->reload();
    auto findRows = [&](const QString& name) {
        QAbstractItemModel* m = tree->tree()->model();
        return m->match(m->index(0, 0), Qt::DisplayRole, name, -1, Qt::MatchExactly | Qt::MatchRecursive);
    };
    TRY_REQUIRE_FOR(findRows(QStringLiteral("Ballad")).size() == 1, 5000); // read off the GUI thread
    struct Row {
        QTreeView* view;
        QModelIndex index;
        bool isHidden() const { return view->isRowHidden(index.row(), index.parent()); }
    };
    auto rowNamed = [&](const QString& name) {
        const QModelIndexList found = findRows(name);
        REQUIRE(found.size() == 1);
        return std::make_unique<Row>(Row{tree->tree(), found.first()});
    };
    QTest::keyClicks(tree->searchField(), QStringLiteral("FUZZ"));
    TRY_REQUIRE_FOR(tree->searchInfo()->text() == QStringLiteral("1 match"), 5000);
    CHECK_FALSE(rowNamed(QStringLiteral("Opening song"))->isHidden());
    CHECK_FALSE(rowNamed(QStringLiteral("Live sets"))->isHidden());
    CHECK(rowNamed(QStringLiteral("Ballad"))->isHidden());
    saveScreenshot(*window, QStringLiteral("main-search.png"));
    tree->searchField()->clear();
    TRY_REQUIRE_FOR(!rowNamed(QStringLiteral("Ballad"))->isHidden(), 5000);
    CHECK(tree->searchInfo()->isHidden());
    QTest::keyClicks(tree->searchField(), QStringLiteral("polka"));
    TRY_REQUIRE_FOR(tree->searchInfo()->text() == QStringLiteral("Nothing matches."), 5000);
    CHECK(rowNamed(QStringLiteral("Live sets"))->isHidden());
    tree->searchField()->clear();
    TRY_REQUIRE_FOR(!rowNamed(QStringLiteral("Live sets"))->isHidden(), 5000);

    // A phone-sized window: the sidebar collapses into a drawer.
    window->resize(390, 844);
    TRY_REQUIRE(window->isCompact());
    CHECK_FALSE(window->sidebar()->isVisible());
    QTest::qWait(200);
    saveScreenshot(*window, QStringLiteral("main-390x844.png"));
    window->toggleSidebarAction()->trigger();
    CHECK(window->sidebar()->isVisible());
    saveScreenshot(*window, QStringLiteral("main-390x844-vaults.png"));
    window->toggleSidebarAction()->trigger();
    CHECK_FALSE(window->sidebar()->isVisible());

    // Window state and last vault are remembered.
    window->resize(1100, 700);
    TRY_REQUIRE(!window->isCompact());
    window->close();
    window.reset();
    vault::VaultManager again(dir.filePath(QStringLiteral("config")));
    REQUIRE(again.load().ok());
    CHECK(again.currentId() == backup->id);
    MainWindow reopened(again, music);
    CHECK(reopened.size() == QSize(1100, 700));
    TRY_REQUIRE_FOR(reopened.projectTree()->tree()->model()->rowCount() == 1, 5000);
}

TEST_CASE("gui: an encrypted vault synced to a folder, and its settings")
{
    test::TempDir dir;
    vault::VaultManager vaults(dir.filePath(QStringLiteral("config")));
    REQUIRE(vaults.load().ok());
    const QString music = dir.filePath(QStringLiteral("Music/Muze"));
    REQUIRE(MainWindow::ensureDefaultVault(vaults, music).ok());
    MainWindow window(vaults, music);
    window.resize(1280, 800);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));

    const QString local = dir.filePath(QStringLiteral("Band"));
    const QString remote = dir.filePath(QStringLiteral("nas/Band"));
    QDir().mkpath(remote);
    bool dialogSeen = false;
    QTimer::singleShot(100, [&] {
        auto* dialog = qobject_cast<AddVaultDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialogSeen = true;
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("Band"));
        dialog->folderEdit()->setText(local);
        Q_EMIT dialog->folderEdit()->textEdited(local);
        dialog->syncBox()->setCurrentIndex(dialog->syncBox()->findData(AddVaultDialog::Folder));
        dialog->remoteEdit()->setText(remote);
        Q_EMIT dialog->remoteEdit()->textEdited(remote);
        dialog->encryptBox()->setChecked(true);
        QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("short"));
        CHECK_FALSE(dialog->okButton()->isEnabled()); // too short
        QTest::keyClicks(dialog->passwordEdit(), QStringLiteral("-but-now-long"));
        QTest::keyClicks(dialog->confirmEdit(), QStringLiteral("short-but-now-lonk"));
        CHECK_FALSE(dialog->okButton()->isEnabled()); // they differ
        dialog->confirmEdit()->setText(QStringLiteral("short-but-now-long"));
        CHECK(dialog->okButton()->isEnabled());
        saveScreenshot(*dialog, QStringLiteral("add-vault-dialog.png"));
        QTest::mouseClick(dialog->okButton(), Qt::LeftButton);
    });
    QTest::mouseClick(window.sidebar()->addButton(), Qt::LeftButton);
    TRY_REQUIRE(dialogSeen);
    // Keys are made off the GUI thread (Argon2id), then the vault is registered.
    TRY_REQUIRE_FOR(vaults.resolve(QStringLiteral("Band")).ok(), 30000);
    const auto band = *vaults.resolve(QStringLiteral("Band"));
    CHECK(band.encrypted);
    CHECK(band.remotePath == remote);
    CHECK(QFile::exists(local + QStringLiteral("/.muze/keyring.json")));
    CHECK(vaults.currentId() == band.id);

    // Settings: the sync frequency is saved for this vault; storage and encryption status are
    // read in the background while the dialog stays responsive.
    VaultSettingsDialog dialog(vaults, band.id, &window);
    dialog.show();
    REQUIRE(QTest::qWaitForWindowExposed(&dialog));
    dialog.frequencyBox()->setCurrentIndex(dialog.frequencyBox()->findData(60));
    dialog.bandwidthBox()->setValue(512);
    TRY_REQUIRE_FOR(dialog.storageLabel()->text().contains(QStringLiteral("file")), 10000);
    TRY_REQUIRE_FOR(!dialog.encryptionLabel()->text().startsWith(QStringLiteral("Checking")), 20000);
    INFO(dialog.encryptionLabel()->text().toStdString());
    CHECK(dialog.encryptionLabel()->text().contains(QStringLiteral("Unlocked on this device")));
    CHECK(dialog.encryptionLabel()->text().contains(QStringLiteral("of 1)")));

    // Security: "Make a new key" asks first, then the ring holds a second, active key.
    const QByteArray ringBefore = test::readAll(local + QStringLiteral("/.muze/keyring.json"));
    TRY_REQUIRE(dialog.rotateKeyButton()->isEnabled());
    bool asked = false;
    QTimer::singleShot(100, [&] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        REQUIRE(box);
        asked = true;
        saveScreenshot(*box, QStringLiteral("rotate-key-question.png"));
        QTest::mouseClick(box->button(QMessageBox::Yes), Qt::LeftButton);
    });
    QTest::mouseClick(dialog.rotateKeyButton(), Qt::LeftButton);
    CHECK(asked);
    TRY_REQUIRE_FOR(dialog.encryptionLabel()->text().contains(QStringLiteral("of 2)")), 20000);
    CHECK(test::readAll(local + QStringLiteral("/.muze/keyring.json")) != ringBefore);
    auto* tabs = dialog.findChild<QTabWidget*>();
    REQUIRE(tabs);
    tabs->setCurrentIndex(tabs->indexOf(dialog.rotateKeyButton()->parentWidget()));
    saveScreenshot(dialog, QStringLiteral("vault-settings-security.png"));
    tabs->setCurrentIndex(0);
    saveScreenshot(dialog, QStringLiteral("vault-settings.png"));
    REQUIRE(dialog.save());
    dialog.close();
    const Json settings = *parseJson(test::readAll(local + QStringLiteral("/.muze-state/sync-settings.json")), QStringLiteral("s"));
    CHECK(settings["interval_minutes"] == 60);
    CHECK(settings["bandwidth_kbps"] == 512);
}
