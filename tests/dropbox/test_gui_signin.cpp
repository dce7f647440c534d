// Signing in from the Connect Dropbox dialog without a redirect: when the fixed loopback port
// is taken (or the user asks for it), Dropbox shows a code (Chromium approves and reads it off
// the page) that the user pastes into the dialog. And "Sign in again" after Dropbox stopped
// accepting the old tokens: the dialog asks for a new sign-in instead of skipping to the folders.
#include "catch.h"
#include "emulator.h"
#include "testsupport.h"

#include "dropboxconnectdialog.h"

#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QTcpServer>
#include <QTreeWidget>
#include <QUrlQuery>

using namespace muze;
using muze::test::Emulator;

namespace {

QString screenshotPath(const QString& name)
{
    QDir().mkpath(test::binaryPath(QStringLiteral("screenshots")));
    return test::binaryPath(QStringLiteral("screenshots/") + name);
}

void snap(QWidget& w, const QString& name)
{
    QApplication::processEvents();
    REQUIRE(w.grab().save(screenshotPath(name)));
}

// Headless Chromium approves `url` and reads the access code the page shows.
QString approveAndReadCode(const Emulator& emu, const QUrl& url, const QString& screenshot)
{
    auto clicked = test::run(QStringLiteral("python3"),
        {test::sourcePath(QStringLiteral("tests/dropbox/approve_in_browser.py")), url.toString(QUrl::FullyEncoded),
            QStringLiteral("--screenshot"), screenshotPath(screenshot), QStringLiteral("--server-cert"),
            emu.serverCert(), QStringLiteral("--read-code")},
        {}, 120000);
    INFO(clicked.err.toStdString());
    REQUIRE(clicked.exitCode == 0);
    auto page = parseJson(clicked.out, QStringLiteral("browser"));
    REQUIRE(page.ok());
    return jsonString(*page, "code");
}

} // namespace

TEST_CASE("Connect Dropbox asks for a pasted code when the redirect port is taken")
{
    Emulator emu;
    QTcpServer squatter;
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    gui::DropboxConnectDialog::setRedirectPort(squatter.serverPort());
    QUrl opened;
    gui::DropboxConnectDialog::setUrlOpener([&](const QUrl& url) {
        opened = url;
        return true;
    });

    gui::DropboxConnectDialog dialog(QStringLiteral("/Apps/Muze/Band"));
    dialog.show();
    CHECK(!dialog.codeEdit()->isVisible());
    dialog.connectButton()->click();
    REQUIRE(opened.isValid());
    CHECK(!QUrlQuery(opened).hasQueryItem(QStringLiteral("redirect_uri")));
    CHECK(dialog.codeEdit()->isVisible());
    CHECK(dialog.finishButton()->isVisible());
    snap(dialog, QStringLiteral("connect-dropbox-paste-code.png"));

    // Finishing with an empty field explains what to do and signs nobody in.
    dialog.finishButton()->click();
    CHECK(!dialog.isConnected());

    const QString code = approveAndReadCode(emu, opened, QStringLiteral("connect-dropbox-paste-approve.png"));
    REQUIRE(!code.isEmpty());
    dialog.codeEdit()->setText(code + QLatin1Char(' '));
    dialog.finishButton()->click();
    REQUIRE(test::waitUntil([&] { return dialog.isConnected(); }, 30000));
    auto* tree = dialog.findChild<QTreeWidget*>();
    REQUIRE(test::waitUntil([&] { return tree->topLevelItemCount() == 1 && tree->topLevelItem(0)->isExpanded(); }, 30000));
    snap(dialog, QStringLiteral("connect-dropbox-after-paste.png"));
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    gui::DropboxConnectDialog::setRedirectPort(auth::kDefaultRedirectPort);
}

TEST_CASE("Sign in again asks for a new sign-in although old tokens are stored")
{
    Emulator emu;
    const Json old = emu.signIn();
    // Dropbox revokes the sign-in (the user removed the app at dropbox.com).
    {
        QNetworkAccessManager nam;
        REQUIRE(auth::revokeToken(nam, emu.endpoints(), QString::fromStdString(old["access_token"].get<std::string>()))
                    .ok());
    }
    QUrl opened;
    gui::DropboxConnectDialog::setUrlOpener([&](const QUrl& url) {
        opened = url;
        return true;
    });

    gui::DropboxConnectDialog dialog(QString(), nullptr, gui::DropboxConnectDialog::Mode::SignInAgain);
    dialog.show();
    CHECK(!dialog.isConnected());
    CHECK(dialog.connectButton()->isVisible()); // not the folder page
    CHECK(!dialog.findChild<QTreeWidget*>()->isVisible());
    snap(dialog, QStringLiteral("sign-in-again-dialog.png"));

    dialog.connectButton()->click();
    REQUIRE(opened.isValid());
    CHECK(dialog.useCodeButton()->isVisible()); // the loopback listener waits; a code is the way out
    const QUrl loopbackPage = opened;
    dialog.useCodeButton()->click(); // opens Dropbox's page again, this time for a code
    CHECK(opened != loopbackPage);
    CHECK(!QUrlQuery(opened).hasQueryItem(QStringLiteral("redirect_uri")));
    CHECK(dialog.codeEdit()->isVisible());
    dialog.codeEdit()->setText(approveAndReadCode(emu, opened, QStringLiteral("sign-in-again-approve.png")));

    int result = -1;
    QObject::connect(&dialog, &QDialog::finished, &dialog, [&](int r) { result = r; });
    dialog.finishButton()->click();
    REQUIRE(test::waitUntil([&] { return result >= 0; }, 30000));
    CHECK(result == QDialog::Accepted);
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    CHECK((*tokens)->refreshToken != QString::fromStdString(old["refresh_token"].get<std::string>()));
}
