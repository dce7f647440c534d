// muze-cli dropbox connect|account|disconnect: signing this device in to Dropbox (OAuth2 with
// PKCE, redirect to the fixed loopback listener, or a code pasted on stdin with --no-redirect or
// when that port is taken), showing the account, and signing out.
#include "cli.h"

#include <muze/auth/oauthpkce.h>
#include <muze/auth/signout.h>
#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/remote/dropboxclient.h>

#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSysInfo>

namespace muze::cli {
namespace {

QString humanBytes(qint64 bytes)
{
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        ++u;
    }
    return u == 0 ? QStringLiteral("%1 B").arg(bytes) : QStringLiteral("%1 %2").arg(v, 0, 'f', 1).arg(QLatin1String(units[u]));
}

bool openBrowser(const QUrl& url)
{
    // The system's "open this URL" command (the CLI has no QDesktopServices: no Qt GUI).
    const QString link = url.toString(QUrl::FullyEncoded);
    const QString kernel = QSysInfo::kernelType();
    if (kernel == QLatin1String("darwin"))
        return QProcess::startDetached(QStringLiteral("open"), {link});
    if (kernel == QLatin1String("winnt"))
        return QProcess::startDetached(QStringLiteral("rundll32"), {QStringLiteral("url.dll,FileProtocolHandler"), link});
    return QProcess::startDetached(QStringLiteral("xdg-open"), {link});
}

Result<QString> requireAppKey()
{
    const QString key = auth::dropboxAppKey();
    if (key.isEmpty())
        return makeError(QStringLiteral("no Dropbox app key: set MUZE_DROPBOX_APP_KEY or the dropbox/app_key setting"));
    return key;
}

struct Account {
    Json current;
    Json space;
};

Result<Account> fetchAccount(const QString& appKey, bool withSpace)
{
    const auth::DropboxEndpoints endpoints = auth::DropboxEndpoints::fromEnvironment();
    remote::DropboxClient client(endpoints, auth::keychainTokenManager(appKey, endpoints));
    auto current = client.rpc(QStringLiteral("users/get_current_account"));
    if (!current)
        return current.error();
    Account a{*current, Json::object()};
    if (withSpace) {
        auto space = client.rpc(QStringLiteral("users/get_space_usage"));
        if (!space)
            return space.error();
        a.space = *space;
    }
    return a;
}

QString displayName(const Json& account)
{
    return jsonString(account.value("name", Json::object()), "display_name");
}

int connect(Context& ctx, Args& a)
{
    const bool noBrowser = a.takeFlag(QStringLiteral("--no-browser"));
    const bool noRedirect = a.takeFlag(QStringLiteral("--no-redirect"));
    const QString portText = a.take(QStringLiteral("--port"), QString::number(auth::kDefaultRedirectPort));
    const QString timeoutText = a.take(QStringLiteral("--timeout"), QStringLiteral("300"));
    bool portOk = false;
    bool timeoutOk = false;
    const uint port = portText.toUInt(&portOk);
    const int timeout = timeoutText.toInt(&timeoutOk);
    if (a.missingValue() || !a.rest().isEmpty() || !portOk || port > 65535 || !timeoutOk || timeout <= 0)
        return ctx.usage(QStringLiteral("dropbox connect [--no-browser] [--no-redirect] [--port N] [--timeout SECONDS]"));
    auto appKey = requireAppKey();
    if (!appKey)
        return ctx.fail(appKey.error());

    auth::OAuthPkce::Options options{auth::DropboxEndpoints::fromEnvironment(), *appKey, quint16(port)};
    if (noRedirect)
        options.redirect = auth::OAuthPkce::Redirect::Paste;
    auth::OAuthPkce flow(options);
    if (Status s = flow.start(); !s)
        return ctx.fail(s.error());
    const QString url = flow.authorizeUrl().toString(QUrl::FullyEncoded);
    const bool paste = flow.mode() == auth::OAuthPkce::Redirect::Paste;
    // With --json stdout carries only the final document, so the instructions go to stderr.
    QTextStream& say = ctx.json ? ctx.err : ctx.out;
    if (!flow.fallbackReason().isEmpty())
        say << "Note: " << flow.fallbackReason() << "; Dropbox will show a code to paste here instead.\n";
    if (noBrowser || !openBrowser(flow.authorizeUrl()))
        say << "Open this address in a browser and allow Muze to use your Dropbox:\n  " << url << "\n";
    else
        say << "Your browser is asking you to allow Muze to use your Dropbox. If it did not open, visit:\n  " << url
            << "\n";
    if (paste) {
        // Maestral's way: Dropbox shows an access code, the user pastes it here.
        say << "Then paste the access code Dropbox shows and press Enter:" << Qt::endl;
        QFile in;
        if (!in.open(stdin, QIODevice::ReadOnly | QIODevice::Text))
            return ctx.fail(QStringLiteral("cannot read the access code from standard input"));
        const QString code = QString::fromUtf8(in.readLine(4096)).trimmed();
        if (code.isEmpty())
            return ctx.fail(QStringLiteral("no access code was given: not connected"));
        flow.submitCode(code);
        say << "Finishing the sign-in..." << Qt::endl;
    } else {
        say << "Waiting for Dropbox (up to " << timeout << " s)..." << Qt::endl;
    }

    auto tokens = flow.waitForTokens(timeout * 1000);
    if (!tokens)
        return ctx.fail(tokens.error());
    if (Status s = auth::KeychainTokenStore(*appKey).save(*tokens); !s)
        return ctx.fail(QStringLiteral("signed in, but the tokens could not be stored: %1").arg(s.errorString()));

    auto account = fetchAccount(*appKey, false);
    if (ctx.json) {
        Json doc = {{"connected", true}, {"account_id", toStd(tokens->accountId)}};
        if (account) {
            doc["name"] = toStd(displayName(account->current));
            doc["email"] = toStd(jsonString(account->current, "email"));
        }
        ctx.printJson(doc);
    } else if (account) {
        ctx.out << "Connected to Dropbox as " << displayName(account->current) << " <"
                << jsonString(account->current, "email") << ">" << Qt::endl;
    } else {
        ctx.out << "Connected to Dropbox (account " << tokens->accountId << ")" << Qt::endl;
    }
    return ExitOk;
}

int account(Context& ctx, Args& a)
{
    if (!a.rest().isEmpty())
        return ctx.usage(QStringLiteral("dropbox account"));
    auto appKey = requireAppKey();
    if (!appKey)
        return ctx.fail(appKey.error());
    auto account = fetchAccount(*appKey, true);
    if (!account)
        return ctx.fail(account.error());
    const qint64 used = jsonInteger(account->space, "used", 0, 0, qint64(1) << 62);
    const qint64 allocated = jsonInteger(account->space.value("allocation", Json::object()), "allocated", -1, -1, qint64(1) << 62);
    if (ctx.json) {
        ctx.printJson(Json{{"account_id", toStd(jsonString(account->current, "account_id"))},
                           {"name", toStd(displayName(account->current))},
                           {"email", toStd(jsonString(account->current, "email"))},
                           {"used", used},
                           {"allocated", allocated}});
        return ExitOk;
    }
    ctx.out << "Account: " << displayName(account->current) << " <" << jsonString(account->current, "email") << ">\n";
    ctx.out << "Account id: " << jsonString(account->current, "account_id") << "\n";
    if (allocated > 0)
        ctx.out << "Space: " << humanBytes(used) << " used of " << humanBytes(allocated) << " ("
                << QString::number(100.0 * double(used) / double(allocated), 'f', 1) << " %)" << Qt::endl;
    else
        ctx.out << "Space: " << humanBytes(used) << " used" << Qt::endl;
    return ExitOk;
}

int disconnect(Context& ctx, Args& a)
{
    if (!a.rest().isEmpty())
        return ctx.usage(QStringLiteral("dropbox disconnect"));
    auto appKey = requireAppKey();
    if (!appKey)
        return ctx.fail(appKey.error());
    auto out = auth::signOut(*appKey, auth::DropboxEndpoints::fromEnvironment());
    if (!out)
        return ctx.fail(out.error());
    if (!out->revokeProblem.isEmpty())
        ctx.err << "muze-cli: warning: could not revoke the token at Dropbox (" << out->revokeProblem
                << "); forgetting it on this device" << Qt::endl;
    if (ctx.json)
        ctx.printJson(Json{{"disconnected", true}, {"was_connected", out->wasSignedIn}, {"revoked", out->revoked}});
    else
        ctx.out << (out->wasSignedIn ? "Disconnected from Dropbox" : "Not connected to Dropbox") << Qt::endl;
    return ExitOk;
}

} // namespace

static int runDropbox(Context& ctx, QStringList args)
{
    const QString usage = QStringLiteral(
        "dropbox connect [--no-browser] [--no-redirect] [--port N] | dropbox account | dropbox disconnect");
    if (args.isEmpty())
        return ctx.usage(usage);
    const QString sub = args.takeFirst();
    Args a(args);
    if (!a.firstUnknownOption().isEmpty() && sub != QLatin1String("connect"))
        return ctx.usage(QStringLiteral("unknown option %1").arg(a.firstUnknownOption()));
    if (sub == QLatin1String("connect"))
        return connect(ctx, a);
    if (sub == QLatin1String("account"))
        return account(ctx, a);
    if (sub == QLatin1String("disconnect"))
        return disconnect(ctx, a);
    return ctx.usage(usage);
}

const Command& dropboxCommand()
{
    static const Command command{{QStringLiteral("dropbox")}, QStringLiteral("Dropbox"),
        QStringLiteral(
            "dropbox connect [--no-browser] [--no-redirect] [--port N] | dropbox account | dropbox disconnect\n"),
        [](Context& ctx, const QString&, QStringList args) { return runDropbox(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
