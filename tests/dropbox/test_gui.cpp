// The Connect Dropbox dialog against the emulator: sign-in (the "browser" follows the
// auto-approved redirect), the folder list, and the chosen folder made on accept.
#include "catch.h"
#include "emulator.h"
#include "testsupport.h"

#include "addvaultdialog.h"
#include "dropboxconnectdialog.h"

#include <muze/auth/http.h>
#include <muze/auth/tokenstore.h>

#include <QApplication>
#include <QComboBox>
#include <QEventLoop>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>

using namespace muze;
using muze::test::Emulator;

namespace {

bool waitFor(const std::function<bool()>& done, int timeoutMs)
{
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start(20);
    loop.exec();
    return done();
}

} // namespace

TEST_CASE("the Connect Dropbox dialog signs in and makes the folder the user picked")
{
    test::EmulatorOptions options;
    options.autoApprove = true;
    Emulator emu(options);
    {
        emu.signIn(); // an existing folder to show in the list, then sign out again
        REQUIRE(emu.remote(QStringLiteral("/Apps/Muze/Existing"))->makeFolder(QString()).ok());
        emu.signOut();
    }
    QNetworkAccessManager nam;
    QUrl opened;
    gui::DropboxConnectDialog::setUrlOpener([&](const QUrl& url) {
        opened = url;
        test::browse(nam, url);
        return true;
    });

    gui::DropboxConnectDialog dialog(QStringLiteral("/Apps/Muze/Band"));
    dialog.show();
    CHECK(!dialog.isConnected());
    QPushButton* connectButton = nullptr;
    for (QPushButton* b : dialog.findChildren<QPushButton*>()) {
        if (b->text().startsWith(QStringLiteral("Connect to Dropbox")))
            connectButton = b;
    }
    REQUIRE(connectButton);
    connectButton->click();
    REQUIRE(waitFor([&] { return dialog.isConnected(); }, 30000));
    CHECK(opened.toString().contains(QStringLiteral("code_challenge_method=S256")));

    auto* tree = dialog.findChild<QTreeWidget*>();
    REQUIRE(tree);
    REQUIRE(waitFor([&] { return tree->topLevelItemCount() == 1 && tree->topLevelItem(0)->childCount() > 0; }, 30000));
    CHECK(tree->topLevelItem(0)->child(0)->text(0) == QStringLiteral("Apps"));
    dialog.grab().save(test::binaryPath(QStringLiteral("tests/dropbox/connect-dropbox-dialog.png")));

    int result = -1;
    QObject::connect(&dialog, &QDialog::finished, &dialog, [&](int r) { result = r; });
    dialog.accept();
    REQUIRE(waitFor([&] { return result >= 0; }, 30000));
    CHECK(result == QDialog::Accepted);
    CHECK(dialog.selectedFolder() == QStringLiteral("/Apps/Muze/Band"));

    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    auto band = emu.remote(QStringLiteral("/Apps/Muze/Band"))->stat(QString());
    REQUIRE(band.ok());
    CHECK(band->isFolder);
}

TEST_CASE("Add vault with Dropbox signs in and confirms the folder before the vault is made")
{
    test::EmulatorOptions options;
    options.autoApprove = true;
    Emulator emu(options);
    QNetworkAccessManager nam;
    gui::DropboxConnectDialog::setUrlOpener([&](const QUrl& url) {
        test::browse(nam, url);
        return true;
    });
    test::TempDir dir;
    gui::AddVaultDialog add(dir.path());
    add.show();
    add.nameEdit()->setText(QStringLiteral("Gig"));
    add.syncBox()->setCurrentIndex(add.syncBox()->findData(gui::AddVaultDialog::Dropbox));
    CHECK(add.remoteEdit()->text() == QStringLiteral("/Apps/Muze/Gig"));
    CHECK(add.remoteChooseButton()->isVisible());
    REQUIRE(add.okButton()->isEnabled());
    QApplication::processEvents(); // let the form lay the new row out before the picture
    add.grab().save(test::binaryPath(QStringLiteral("tests/dropbox/add-vault-dropbox.png")));

    // Create vault: the Connect Dropbox dialog comes up first (this device is signed out).
    bool sawConnect = false;
    QTimer::singleShot(100, [&] {
        auto* connect = qobject_cast<gui::DropboxConnectDialog*>(QApplication::activeModalWidget());
        REQUIRE(connect);
        sawConnect = true;
        CHECK(!connect->isConnected());
        for (QPushButton* b : connect->findChildren<QPushButton*>()) {
            if (b->text().startsWith(QStringLiteral("Connect to Dropbox")))
                b->click();
        }
        REQUIRE(waitFor([&] { return connect->isConnected(); }, 30000));
        auto* tree = connect->findChild<QTreeWidget*>();
        REQUIRE(waitFor([&] { return tree->topLevelItemCount() == 1; }, 30000));
        connect->accept(); // makes /Apps/Muze/Gig, then closes
    });
    int result = -1;
    QObject::connect(&add, &QDialog::finished, &add, [&](int r) { result = r; });
    add.okButton()->click();
    REQUIRE(waitFor([&] { return result >= 0; }, 60000));
    CHECK(sawConnect);
    CHECK(result == QDialog::Accepted);
    CHECK(add.spec().dropboxFolderPath == QStringLiteral("/Apps/Muze/Gig"));
    auto gig = emu.remote(QStringLiteral("/Apps/Muze/Gig"))->stat(QString());
    REQUIRE(gig.ok());
    CHECK(gig->isFolder);
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    CHECK(tokens->has_value());
}

TEST_CASE("Add vault with Dropbox stays open when signing in is cancelled")
{
    test::EmulatorOptions options;
    Emulator emu(options);
    gui::DropboxConnectDialog::setUrlOpener([](const QUrl&) { return true; }); // the user never approves
    test::TempDir dir;
    gui::AddVaultDialog add(dir.path());
    add.show();
    add.nameEdit()->setText(QStringLiteral("Gig"));
    add.syncBox()->setCurrentIndex(add.syncBox()->findData(gui::AddVaultDialog::Dropbox));
    bool sawConnect = false;
    QTimer::singleShot(100, [&] {
        auto* connect = qobject_cast<gui::DropboxConnectDialog*>(QApplication::activeModalWidget());
        REQUIRE(connect);
        sawConnect = true;
        connect->reject();
    });
    int result = -1;
    QObject::connect(&add, &QDialog::finished, &add, [&](int r) { result = r; });
    add.okButton()->click();
    CHECK(sawConnect);
    CHECK(result == -1); // still open: no vault without a Dropbox to sync with
    CHECK(add.isVisible());
}
