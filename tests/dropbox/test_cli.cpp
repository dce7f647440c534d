// muze-cli dropbox connect/account/disconnect against the emulator, with the approval page
// clicked in a real headless Chromium and the tokens checked in the Secret Service.
#include "catch.h"
#include "emulator.h"

#include <muze/auth/tokenstore.h>

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QUrlQuery>

using namespace muze;
using muze::test::Emulator;

namespace {

QProcessEnvironment envWith(const QStringList& extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& kv : extra)
        env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
    return env;
}

struct Connect {
    QProcess cli;
    QString url;

    // Starts `muze-cli dropbox connect --no-browser` and reads the authorize URL it prints;
    // the redirect URI on a free port is registered for the app, as in the App Console.
    Connect(Emulator& emu, const QString& configDir)
    {
        cli.setProcessEnvironment(envWith(emu.env()));
        cli.start(test::builtBinary(QStringLiteral("muze-cli")),
                  {QStringLiteral("--config-dir"), configDir, QStringLiteral("dropbox"), QStringLiteral("connect"),
                   QStringLiteral("--no-browser"), QStringLiteral("--port"), QStringLiteral("0"),
                   QStringLiteral("--timeout"), QStringLiteral("120")});
        REQUIRE(cli.waitForStarted(10000));
        QByteArray out;
        while (url.isEmpty()) {
            REQUIRE(cli.waitForReadyRead(30000));
            out += cli.readAllStandardOutput();
            for (const QByteArray& line : out.split('\n')) {
                if (line.startsWith("  http") && out.contains(line + '\n'))
                    url = QString::fromUtf8(line.trimmed());
            }
        }
        emu.allowRedirectUri(QUrlQuery(QUrl(url)).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    }
};

test::ProcessResult browser(const Emulator& emu, const QString& url, const QString& screenshot, bool deny = false)
{
    QStringList args = {test::sourcePath(QStringLiteral("tests/dropbox/approve_in_browser.py")), url,
                        QStringLiteral("--screenshot"), screenshot, QStringLiteral("--server-cert"), emu.serverCert()};
    if (deny)
        args << QStringLiteral("--deny");
    return test::run(QStringLiteral("python3"), args, {}, 120000);
}

test::ProcessResult cli(const Emulator& emu, const QString& configDir, const QStringList& args)
{
    return test::run(test::builtBinary(QStringLiteral("muze-cli")),
                     QStringList{QStringLiteral("--config-dir"), configDir} + args, {}, 60000, emu.env());
}

} // namespace

TEST_CASE("dropbox connect signs in through the browser and account and disconnect follow")
{
    Emulator emu; // the approval page waits for a click
    test::TempDir config;
    Connect connect(emu, config.path());
    CHECK(connect.url.startsWith(emu.baseUrl() + QStringLiteral("/oauth2/authorize?")));
    CHECK(connect.url.contains(QStringLiteral("code_challenge_method=S256")));
    CHECK(connect.url.contains(QStringLiteral("token_access_type=offline")));

    const QString screenshot = test::binaryPath(QStringLiteral("tests/dropbox/oauth-approval.png"));
    QFile::remove(screenshot);
    auto clicked = browser(emu, connect.url, screenshot);
    INFO(clicked.err.toStdString());
    REQUIRE(clicked.exitCode == 0);
    auto page = parseJson(clicked.out, QStringLiteral("browser"));
    REQUIRE(page.ok());
    CHECK(jsonString(*page, "text").contains(QStringLiteral("Muze is connected to Dropbox")));
    CHECK(QFileInfo(screenshot).size() > 1000);

    REQUIRE(connect.cli.waitForFinished(60000));
    const QByteArray out = connect.cli.readAllStandardOutput();
    INFO(out.toStdString() << connect.cli.readAllStandardError().toStdString());
    CHECK(connect.cli.exitCode() == 0);
    CHECK(out.contains("Connected to Dropbox as Muze Tester <tester@example.com>"));

    // The tokens are in the Secret Service, and nowhere in the config dir.
    auto stored = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK(!(*stored)->refreshToken.isEmpty());
    CHECK((*stored)->expiresAt.isValid());
    auto secret = test::run(QStringLiteral("secret-tool"),
                            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("user"),
                             QStringLiteral("dropbox/") + emu.appKey()});
    CHECK(secret.exitCode == 0);
    CHECK((secret.out + secret.err).contains("server = Muze"));
    auto grep = test::run(QStringLiteral("grep"), {QStringLiteral("-r"), QStringLiteral("-l"), (*stored)->refreshToken,
                                                  config.path()});
    CHECK(grep.exitCode == 1); // no file holds the refresh token

    auto account = cli(emu, config.path(), {QStringLiteral("--json"), QStringLiteral("dropbox"), QStringLiteral("account")});
    INFO(account.err.toStdString());
    REQUIRE(account.exitCode == 0);
    auto doc = parseJson(account.out, QStringLiteral("account"));
    REQUIRE(doc.ok());
    CHECK(jsonString(*doc, "name") == QStringLiteral("Muze Tester"));
    CHECK(jsonString(*doc, "email") == QStringLiteral("tester@example.com"));
    CHECK(jsonNumber(*doc, "allocated") > 0);

    // An expired access token is refreshed on the 401 and the command still works.
    emu.expireTokens();
    auto human = cli(emu, config.path(), {QStringLiteral("dropbox"), QStringLiteral("account")});
    INFO(human.err.toStdString());
    REQUIRE(human.exitCode == 0);
    CHECK(human.out.contains("Account: Muze Tester <tester@example.com>"));
    CHECK(human.out.contains("Space: "));

    auto bye = cli(emu, config.path(), {QStringLiteral("--json"), QStringLiteral("dropbox"), QStringLiteral("disconnect")});
    REQUIRE(bye.exitCode == 0);
    auto byeDoc = parseJson(bye.out, QStringLiteral("disconnect"));
    REQUIRE(byeDoc.ok());
    CHECK(jsonBool(*byeDoc, "revoked"));
    auto gone = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(gone.ok());
    CHECK(!gone->has_value());
    auto after = cli(emu, config.path(), {QStringLiteral("dropbox"), QStringLiteral("account")});
    CHECK(after.exitCode == 1);
    CHECK(after.err.contains("not connected"));
}

TEST_CASE("declining in the browser leaves the device signed out")
{
    Emulator emu;
    test::TempDir config;
    Connect connect(emu, config.path());
    auto clicked = browser(emu, connect.url, config.filePath(QStringLiteral("deny.png")), true);
    INFO(clicked.err.toStdString());
    REQUIRE(clicked.exitCode == 0);
    REQUIRE(connect.cli.waitForFinished(60000));
    CHECK(connect.cli.exitCode() == 1);
    CHECK(connect.cli.readAllStandardError().contains("not approved"));
    auto stored = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(stored.ok());
    CHECK(!stored->has_value());
}

TEST_CASE("dropbox commands report bad usage and a missing app key")
{
    test::TempDir config;
    const QString bin = test::builtBinary(QStringLiteral("muze-cli"));
    const QStringList base = {QStringLiteral("--config-dir"), config.path(), QStringLiteral("dropbox")};
    CHECK(test::run(bin, base + QStringList{QStringLiteral("connect"), QStringLiteral("--port"), QStringLiteral("x")}).exitCode
          == 2);
    CHECK(test::run(bin, base + QStringList{QStringLiteral("frobnicate")}).exitCode == 2);
    CHECK(test::run(bin, base + QStringList{QStringLiteral("account"), QStringLiteral("--bogus")}).exitCode == 2);
    auto noKey = test::run(bin, base + QStringList{QStringLiteral("account")}, {}, 30000,
                           {QStringLiteral("MUZE_DROPBOX_APP_KEY="), QStringLiteral("XDG_CONFIG_HOME=") + config.path()});
    CHECK(noKey.exitCode == 1);
    CHECK(noKey.err.contains("app key"));
}
