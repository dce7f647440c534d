// The way back from the browser through the app's own URL scheme: com.krondor.muze is
// registered for Apple builds (Info.plist) and on Linux (.desktop x-scheme-handler), and a
// launch with a com.krondor.muze://oauth?code=…&state=… link hands it to the running Muze
// (InstanceRouter), which finishes the sign-in waiting there.
#include "catch.h"
#include "emulator.h"
#include "testsupport.h"

#include "dropboxconnectdialog.h"
#include "instancerouter.h"

#include <muze/auth/http.h>
#include <muze/auth/tokenstore.h>

#include <QApplication>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QThread>
#include <QUrlQuery>

using namespace muze;
using muze::test::Emulator;

TEST_CASE("the Linux desktop file is valid and handles com.krondor.muze links")
{
    const QString file = test::sourcePath(QStringLiteral("resources/com.krondor.muze.desktop"));
    auto checked = test::run(QStringLiteral("desktop-file-validate"), {file});
    INFO((checked.out + checked.err).toStdString());
    CHECK(checked.exitCode == 0);
    CHECK((checked.out + checked.err).trimmed().isEmpty()); // no warnings either
    const QByteArray text = test::readAll(file);
    CHECK(text.contains("\nMimeType=x-scheme-handler/com.krondor.muze;\n"));
    CHECK(text.contains("\nExec=muze %u\n")); // the link reaches muze as an argument
}

TEST_CASE("the Apple Info.plist registers the com.krondor.muze URL scheme")
{
    // plistlib reads it as macOS does; the ${...} placeholders are plain strings to it.
    auto parsed = test::run(QStringLiteral("python3"),
        {QStringLiteral("-c"),
            QStringLiteral("import json, plistlib, sys; "
                           "print(json.dumps(plistlib.load(open(sys.argv[1], 'rb'))['CFBundleURLTypes']))"),
            test::sourcePath(QStringLiteral("platform/apple/Info.plist.in"))});
    INFO(parsed.err.toStdString());
    REQUIRE(parsed.exitCode == 0);
    auto types = parseJson(parsed.out, QStringLiteral("CFBundleURLTypes"));
    REQUIRE(types.ok());
    REQUIRE(types->is_array());
    QStringList schemes;
    for (const Json& type : *types)
        for (const Json& scheme : type.value("CFBundleURLSchemes", Json::array()))
            schemes << QString::fromStdString(scheme.get<std::string>());
    CHECK(schemes.contains(auth::kAppScheme));
    CHECK(!test::readAll(test::sourcePath(QStringLiteral("platform/apple/Info.plist.in")))
               .contains("no custom URL scheme"));
}

TEST_CASE("a second launch hands its arguments to the running instance")
{
    const QString key = gui::InstanceRouter::keyFor(test::TempDir().path());
    gui::InstanceRouter running(key);
    REQUIRE(running.listen().ok());
    gui::InstanceRouter twin(key);
    CHECK(!twin.listen().ok()); // one instance per user and config dir

    QStringList received;
    QList<QUrl> urls;
    QObject::connect(&running, &gui::InstanceRouter::argumentsReceived, [&](const QStringList& a) { received = a; });
    QObject::connect(&running, &gui::InstanceRouter::urlReceived, [&](const QUrl& u) { urls << u; });
    const QStringList args = {QStringLiteral("--flag"), QStringLiteral("com.krondor.muze://oauth?code=abc&state=xyz"),
        QStringLiteral("https://example.com/not-ours"), QStringLiteral("ünïcode")};
    bool forwarded = false;
    // The later launch blocks while it waits for the answer: it runs on its own thread, as it
    // would in its own process, while this one keeps its event loop turning.
    QThread* launch = QThread::create([&] { forwarded = gui::InstanceRouter(key).forwardToRunning(args); });
    launch->start();
    REQUIRE(test::waitUntil([&] { return launch->isFinished(); }, 10000));
    delete launch;
    CHECK(forwarded);
    REQUIRE(test::waitUntil([&] { return !received.isEmpty(); }, 5000));
    CHECK(received == args);
    REQUIRE(urls.size() == 1);
    CHECK(urls.first() == QUrl(QStringLiteral("com.krondor.muze://oauth?code=abc&state=xyz")));

    // Nobody listens under another key: the launch goes on by itself.
    CHECK(!gui::InstanceRouter(gui::InstanceRouter::keyFor(test::TempDir().path())).forwardToRunning({}, 500));
}

TEST_CASE("launching muze with the sign-in link finishes the sign-in of the running app")
{
    test::EmulatorOptions options;
    options.autoApprove = true; // Dropbox redirects at once to com.krondor.muze://oauth?code=…
    Emulator emu(options);
    QSettings().setValue(QStringLiteral("dropbox/redirect"), QStringLiteral("scheme"));

    // This process plays the running Muze, wired as main.cpp wires it.
    test::TempDir config;
    gui::InstanceRouter running(gui::InstanceRouter::keyFor(config.path()));
    REQUIRE(running.listen().ok());
    QObject::connect(&running, &gui::InstanceRouter::urlReceived,
        [](const QUrl& url) { gui::DropboxConnectDialog::deliverRedirect(url); });

    // The "browser": follows Dropbox's answer up to the app-scheme link and stops there,
    // because the OS hands that link to `muze`.
    QNetworkAccessManager nam;
    QUrl link;
    gui::DropboxConnectDialog::setUrlOpener([&](const QUrl& url) {
        CHECK(QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)
            == QStringLiteral("com.krondor.muze://oauth"));
        QNetworkRequest req(url);
        req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        auth::applyExtraCaCertificates(req);
        QNetworkReply* reply = nam.get(req);
        QObject::connect(reply, &QNetworkReply::finished, reply, [&link, reply] {
            link = reply->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
            reply->deleteLater();
        });
        return true;
    });

    gui::DropboxConnectDialog dialog(QString(), nullptr, gui::DropboxConnectDialog::Mode::SignInAgain);
    int result = -1;
    QObject::connect(&dialog, &QDialog::finished, &dialog, [&](int r) { result = r; });
    dialog.show();
    dialog.connectButton()->click();
    REQUIRE(test::waitUntil([&] { return link.isValid(); }, 30000));
    CHECK(link.scheme() == QStringLiteral("com.krondor.muze"));
    CHECK(!dialog.isConnected());

    // A wrong link first: it reaches the app, which leaves the sign-in waiting.
    QProcess stray;
    stray.start(test::builtBinary(QStringLiteral("muze")),
        {QStringLiteral("--config-dir"), config.path(), QStringLiteral("com.krondor.muze://elsewhere?code=x")});
    REQUIRE(test::waitUntil([&] { return stray.state() == QProcess::NotRunning; }, 30000));
    CHECK(stray.exitCode() == 0);
    CHECK(!dialog.isConnected());

    // The real link, as xdg-open would start it: a second muze that exits at once.
    QProcess second;
    second.start(test::builtBinary(QStringLiteral("muze")),
        {QStringLiteral("--config-dir"), config.path(), link.toString(QUrl::FullyEncoded)});
    REQUIRE(test::waitUntil([&] { return second.state() == QProcess::NotRunning; }, 30000));
    INFO(second.readAllStandardError().toStdString());
    CHECK(second.exitStatus() == QProcess::NormalExit);
    CHECK(second.exitCode() == 0);
    REQUIRE(test::waitUntil([&] { return result >= 0; }, 30000));
    CHECK(result == QDialog::Accepted);
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    REQUIRE(tokens->has_value());
    CHECK(!(*tokens)->refreshToken.isEmpty());
    QSettings().remove(QStringLiteral("dropbox/redirect"));
}
