// Reconnecting from the GUI when Dropbox stops accepting this device's sign-in (revoked at
// dropbox.com): the vault shows "Signed out of Dropbox" with Sign in again, which brings sync
// back; and the Account tab of the vault's settings (name, email, space, Disconnect, Switch
// account). Real widgets under Xvfb, the real sync worker, the emulator; screenshots in
// <build>/screenshots/.
#include "catch.h"
#include "emulator.h"
#include "testsupport.h"

#include "dropboxaccountpanel.h"
#include "dropboxconnectdialog.h"
#include "mainwindow.h"
#include "signedoutbanner.h"
#include "syncpresenter.h"
#include "vaultsettingsdialog.h"

#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/vault/vaultmanager.h>

#include <QApplication>
#include <QDir>
#include <QLabel>
#include <QMessageBox>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

using namespace muze;
using muze::test::Emulator;

namespace {

void snap(QWidget& w, const QString& name)
{
    QApplication::processEvents();
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    REQUIRE(w.grab().save(test::binaryPath(QStringLiteral("screenshots/") + name)));
}

QString storedRefreshToken(const Emulator& emu)
{
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    return tokens && tokens->has_value() ? (*tokens)->refreshToken : QString();
}

// Dropbox forgets this device's sign-in, as when the user removes Muze at dropbox.com.
void revokeAtDropbox(const Emulator& emu)
{
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    QNetworkAccessManager nam;
    REQUIRE(auth::revokeToken(nam, emu.endpoints(), (*tokens)->accessToken).ok());
}

// When the Connect dialog comes up (modal), clicks its sign-in button; the auto-approving
// "browser" brings the code back to the loopback listener.
void approveNextSignIn(bool* seen, gui::DropboxConnectDialog::Mode* mode = nullptr)
{
    QTimer::singleShot(200, [seen, mode] {
        auto* dialog = qobject_cast<gui::DropboxConnectDialog*>(QApplication::activeModalWidget());
        REQUIRE(dialog);
        *seen = true;
        if (mode)
            *mode = dialog->windowTitle() == QStringLiteral("Switch Dropbox account")
                ? gui::DropboxConnectDialog::Mode::SwitchAccount
                : gui::DropboxConnectDialog::Mode::SignInAgain;
        snap(*dialog,
            dialog->windowTitle() == QStringLiteral("Switch Dropbox account")
                ? QStringLiteral("reconnect-dialog-switch.png")
                : QStringLiteral("reconnect-dialog-sign-in-again.png"));
        dialog->connectButton()->click();
    });
}

void answerNextQuestion(QMessageBox::StandardButton button, QString* text)
{
    QTimer::singleShot(200, [button, text] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        REQUIRE(box);
        *text = box->text();
        box->button(button)->click();
    });
}

// A signed-in device with the Dropbox vault "Band", and an auto-approving browser.
struct SignedInDevice {
    Emulator emu{autoApproving()};
    QNetworkAccessManager nam;
    test::TempDir dir;
    vault::VaultManager vaults{dir.filePath(QStringLiteral("config"))};
    Result<vault::VaultRecord> made = makeError(QStringLiteral("not made"));

    static test::EmulatorOptions autoApproving()
    {
        test::EmulatorOptions options;
        options.autoApprove = true;
        return options;
    }

    SignedInDevice()
    {
        emu.signIn();
        gui::DropboxConnectDialog::setUrlOpener([this](const QUrl& url) {
            test::browse(nam, url);
            return true;
        });
        REQUIRE(vaults.load().ok());
        made = vaults.create({QStringLiteral("Band"), vault::Provider::Dropbox, dir.filePath(QStringLiteral("Band")),
            {}, QStringLiteral("/Apps/Muze/Band"), {}, true});
        REQUIRE(made.ok());
    }
};

} // namespace

TEST_CASE("a vault signed out of Dropbox says so and Sign in again brings sync back")
{
    SignedInDevice device;
    Emulator& emu = device.emu;
    vault::VaultManager& vaults = device.vaults;
    auto& made = device.made;
    test::TempDir& dir = device.dir;
    REQUIRE(vaults.setCurrent(made->id).ok());
    gui::MainWindow window(vaults, dir.path());
    window.resize(1100, 700);
    window.show();
    auto* banner = window.findChild<gui::SignedOutBanner*>();
    REQUIRE(banner);
    gui::SyncPresenter* sync = window.syncPresenter();
    auto synced = [&] {
        return vaults.byId(made->id)->syncStatus == vault::SyncStatus::Synced
            && vaults.byId(made->id)->lastSynced.isValid();
    };
    REQUIRE(test::waitUntil(synced, 60000));
    CHECK(!banner->isVisible());

    revokeAtDropbox(emu);
    sync->syncNow(made->id);
    REQUIRE(test::waitUntil([&] { return sync->isSignedOut(made->id); }, 60000));
    REQUIRE(test::waitUntil([&] { return banner->isVisible(); }, 5000));
    CHECK(banner->textLabel()->text().contains(QStringLiteral("\"Band\" is not syncing")));
    CHECK(vaults.byId(made->id)->syncStatus == vault::SyncStatus::Error);
    snap(window, QStringLiteral("signed-out-vault.png"));

    // Sign in again: the dialog asks for a new sign-in (old tokens are stored, yet it does not
    // skip to the folder page), the worker restarts with the new tokens and syncs.
    const QString oldRefresh = storedRefreshToken(emu);
    bool sawDialog = false;
    gui::DropboxConnectDialog::Mode mode = gui::DropboxConnectDialog::Mode::PickFolder;
    approveNextSignIn(&sawDialog, &mode);
    banner->signInButton()->click();
    CHECK(sawDialog);
    CHECK(mode == gui::DropboxConnectDialog::Mode::SignInAgain);
    CHECK(storedRefreshToken(emu) != oldRefresh);
    CHECK(window.statusBar()->currentMessage().isEmpty()); // the refusal is no longer shown
    REQUIRE(test::waitUntil([&] { return !sync->isSignedOut(made->id); }, 60000));
    CHECK(!banner->isVisible());
    REQUIRE(test::waitUntil(synced, 60000));
    snap(window, QStringLiteral("signed-in-again-vault.png"));
}

TEST_CASE("vault settings show the Dropbox account with Disconnect and Switch account")
{
    SignedInDevice device;
    Emulator& emu = device.emu;
    vault::VaultManager& vaults = device.vaults;
    auto& made = device.made;

    gui::VaultSettingsDialog settings(vaults, made->id);
    int changes = 0;
    QObject::connect(&settings, &gui::VaultSettingsDialog::dropboxSignInChanged, [&] { ++changes; });
    settings.show();
    auto* panel = settings.findChild<gui::DropboxAccountPanel*>();
    REQUIRE(panel);
    auto* tabs = settings.findChild<QTabWidget*>();
    tabs->setCurrentWidget(panel);
    CHECK(tabs->tabText(tabs->currentIndex()) == QStringLiteral("Account"));
    REQUIRE(test::waitUntil([&] { return panel->isIdle(); }, 30000));
    CHECK(panel->nameLabel()->text() == QStringLiteral("Muze Tester"));
    CHECK(panel->emailLabel()->text() == QStringLiteral("tester@example.com"));
    CHECK(panel->spaceLabel()->text().contains(QStringLiteral(" used of ")));
    CHECK(panel->spaceLabel()->text().contains(QStringLiteral("of 2.00 GiB"))); // the emulator's allocation
    CHECK(panel->disconnectButton()->isVisible());
    CHECK(panel->switchButton()->isVisible());
    CHECK(!panel->signInButton()->isVisible());
    snap(settings, QStringLiteral("vault-settings-account.png"));

    // Disconnect: asks first; No changes nothing.
    QString question;
    answerNextQuestion(QMessageBox::No, &question);
    panel->disconnectButton()->click();
    CHECK(question.contains(QStringLiteral("stops syncing")));
    CHECK(!storedRefreshToken(emu).isEmpty());
    CHECK(changes == 0);
    // Yes: the token is revoked at Dropbox and forgotten here.
    const QString oldRefresh = storedRefreshToken(emu);
    answerNextQuestion(QMessageBox::Yes, &question);
    panel->disconnectButton()->click();
    REQUIRE(test::waitUntil([&] { return panel->isIdle() && changes == 1; }, 30000));
    CHECK(storedRefreshToken(emu).isEmpty());
    CHECK(panel->nameLabel()->text() == QStringLiteral("Not signed in"));
    CHECK(panel->signInButton()->isVisible());
    CHECK(!panel->disconnectButton()->isVisible());
    snap(settings, QStringLiteral("vault-settings-disconnected.png"));
    {
        auth::Tokens old;
        old.refreshToken = oldRefresh;
        old.appKey = emu.appKey();
        auto refused = auth::httpRefresher(emu.endpoints())(old);
        CHECK(!refused.ok()); // revoked at Dropbox, not only forgotten here
    }

    // Sign in (as with Switch account, Dropbox is asked to let the user pick the account).
    bool sawDialog = false;
    gui::DropboxConnectDialog::Mode mode = gui::DropboxConnectDialog::Mode::PickFolder;
    approveNextSignIn(&sawDialog, &mode);
    panel->signInButton()->click();
    CHECK(sawDialog);
    CHECK(mode == gui::DropboxConnectDialog::Mode::SwitchAccount);
    REQUIRE(test::waitUntil([&] { return panel->isIdle() && changes == 2; }, 30000));
    CHECK(!storedRefreshToken(emu).isEmpty());
    CHECK(panel->nameLabel()->text() == QStringLiteral("Muze Tester"));

    // Switch account: a new sign-in replaces the tokens.
    const QString before = storedRefreshToken(emu);
    sawDialog = false;
    approveNextSignIn(&sawDialog, &mode);
    panel->switchButton()->click();
    CHECK(sawDialog);
    REQUIRE(test::waitUntil([&] { return panel->isIdle() && changes == 3; }, 30000));
    CHECK(storedRefreshToken(emu) != before);
    // The replaced sign-in is revoked at Dropbox, not only forgotten here.
    auth::Tokens replaced;
    replaced.refreshToken = before;
    replaced.appKey = emu.appKey();
    CHECK(test::waitUntil([&] { return !auth::httpRefresher(emu.endpoints())(replaced).ok(); }, 30000));
    auto current = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(current.ok());
    REQUIRE(current->has_value());
    CHECK(auth::httpRefresher(emu.endpoints())(**current).ok()); // the new sign-in still works
    CHECK(panel->emailLabel()->text() == QStringLiteral("tester@example.com"));
}
