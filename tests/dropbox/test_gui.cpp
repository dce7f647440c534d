// The Connect Dropbox dialog against the emulator: sign-in (the "browser" follows the
// auto-approved redirect), the folder list, and the chosen folder made on accept.
#include "catch.h"
#include "emulator.h"

#include "dropboxconnectdialog.h"

#include <muze/auth/http.h>
#include <muze/auth/tokenstore.h>

#include <QApplication>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>

using namespace muze;
using muze::test::Emulator;

namespace {

// Plays the browser: GETs `url` and follows redirects by hand (https → http loopback included).
void browse(QNetworkAccessManager& nam, const QUrl& url, int hops = 5)
{
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    auth::applyExtraCaCertificates(req);
    QNetworkReply* reply = nam.get(req);
    QObject::connect(reply, &QNetworkReply::finished, &nam, [&nam, reply, url, hops] {
        reply->deleteLater();
        const QUrl next = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        if (next.isValid() && hops > 0)
            browse(nam, url.resolved(next), hops - 1);
    });
}

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
        browse(nam, url);
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
