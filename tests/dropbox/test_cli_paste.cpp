// muze-cli dropbox connect without a redirect (Maestral's way): with --no-redirect, or when
// the fixed loopback port is taken, Dropbox shows an access code in the browser (clicked
// through in headless Chromium, which reads the code off the page) and the user pastes it.
#include "catch.h"
#include "emulator.h"
#include "testsupport.h"

#include <muze/auth/tokenstore.h>

#include <QProcess>
#include <QProcessEnvironment>
#include <QTcpServer>
#include <QUrlQuery>

using namespace muze;
using muze::test::Emulator;

namespace {

// Starts `muze-cli dropbox connect --no-browser OPTIONS` and reads what it prints up to the URL.
struct PasteConnect {
    QProcess cli;
    QString url;
    QByteArray out;

    PasteConnect(const Emulator& emu, const QString& configDir, const QStringList& options)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& kv : emu.env())
            env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        cli.setProcessEnvironment(env);
        cli.start(test::builtBinary(QStringLiteral("muze-cli")),
            QStringList{QStringLiteral("--config-dir"), configDir, QStringLiteral("dropbox"), QStringLiteral("connect"),
                QStringLiteral("--no-browser")}
                + options);
        REQUIRE(cli.waitForStarted(10000));
        while (!out.contains("paste the access code")) {
            REQUIRE(cli.waitForReadyRead(30000));
            out += cli.readAllStandardOutput();
        }
        for (const QByteArray& line : out.split('\n'))
            if (line.startsWith("  http"))
                url = QString::fromUtf8(line.trimmed());
        REQUIRE(!url.isEmpty());
    }

    /// Types `code` and Enter; returns the exit code and everything printed after the URL.
    int paste(const QByteArray& code, QByteArray* rest)
    {
        cli.write(code + '\n');
        cli.closeWriteChannel();
        REQUIRE(cli.waitForFinished(60000));
        *rest = cli.readAllStandardOutput() + cli.readAllStandardError();
        return cli.exitCode();
    }
};

// Approves `url` in Chromium and returns the code the page shows.
QString approveAndReadCode(const Emulator& emu, const QString& url, const QString& screenshot)
{
    auto clicked = test::run(QStringLiteral("python3"),
        {test::sourcePath(QStringLiteral("tests/dropbox/approve_in_browser.py")), url, QStringLiteral("--screenshot"),
            screenshot, QStringLiteral("--server-cert"), emu.serverCert(), QStringLiteral("--read-code")},
        {}, 120000);
    INFO(clicked.err.toStdString());
    REQUIRE(clicked.exitCode == 0);
    auto page = parseJson(clicked.out, QStringLiteral("browser"));
    REQUIRE(page.ok());
    CHECK(jsonString(*page, "text").contains(QStringLiteral("Enter this code into the app")));
    return jsonString(*page, "code");
}

void checkSignedIn(const Emulator& emu)
{
    auto stored = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK(!(*stored)->refreshToken.isEmpty());
}

} // namespace

TEST_CASE("dropbox connect --no-redirect signs in with the code the user pastes")
{
    Emulator emu;
    test::TempDir config;
    PasteConnect connect(emu, config.path(), {QStringLiteral("--no-redirect")});
    const QUrlQuery query{QUrl(connect.url)};
    CHECK(!query.hasQueryItem(QStringLiteral("redirect_uri"))); // Dropbox then shows the code
    CHECK(query.queryItemValue(QStringLiteral("code_challenge_method")) == QStringLiteral("S256"));
    CHECK(!connect.out.contains("Note:"));

    const QString code
        = approveAndReadCode(emu, connect.url, test::binaryPath(QStringLiteral("screenshots/oauth-paste.png")));
    REQUIRE(code.size() >= 20);
    QByteArray rest;
    const int exit = connect.paste("  " + code.toUtf8() + "  ", &rest); // as pasted, blanks and all
    INFO(rest.toStdString());
    CHECK(exit == 0);
    CHECK(rest.contains("Connected to Dropbox as Muze Tester <tester@example.com>"));
    checkSignedIn(emu);
}

TEST_CASE("dropbox connect falls back to a pasted code when the redirect port is taken")
{
    Emulator emu;
    test::TempDir config;
    QTcpServer squatter; // another program holds the registered port
    REQUIRE(squatter.listen(QHostAddress::LocalHost, 0));
    const QString port = QString::number(squatter.serverPort());
    PasteConnect connect(emu, config.path(), {QStringLiteral("--port"), port});
    CHECK(connect.out.contains("Note: cannot listen on 127.0.0.1:" + port.toUtf8()));
    CHECK(!QUrlQuery(QUrl(connect.url)).hasQueryItem(QStringLiteral("redirect_uri")));

    const QString code
        = approveAndReadCode(emu, connect.url, test::binaryPath(QStringLiteral("screenshots/oauth-busy-port.png")));
    QByteArray rest;
    const int exit = connect.paste(code.toUtf8(), &rest);
    INFO(rest.toStdString());
    CHECK(exit == 0);
    CHECK(rest.contains("Connected to Dropbox as Muze Tester"));
    checkSignedIn(emu);
}

TEST_CASE("a wrong or empty pasted code leaves the device signed out with a clear error")
{
    Emulator emu;
    test::TempDir config;
    {
        PasteConnect connect(emu, config.path(), {QStringLiteral("--no-redirect")});
        QByteArray rest;
        CHECK(connect.paste("not-a-real-code", &rest) == 1);
        CHECK(rest.contains("Dropbox refused the sign-in"));
    }
    {
        PasteConnect connect(emu, config.path(), {QStringLiteral("--no-redirect")});
        QByteArray rest;
        CHECK(connect.paste("", &rest) == 1);
        CHECK(rest.contains("no access code"));
    }
    auto stored = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(stored.ok());
    CHECK(!stored->has_value());
}
