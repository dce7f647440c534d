// muze-cli [--config-dir DIR] [--vault NAME|ID] [--json] COMMAND ...
#include "cli.h"

#include <muze/model/writer.h>

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

using namespace muze;
using namespace muze::cli;

namespace {

const char* kUsage = R"(usage: muze-cli [--config-dir DIR] [--vault NAME|ID] [--json] COMMAND ...

Vaults:
  vault create NAME --provider local|dropbox|icloud --path DIR [--remote DIR]
               [--dropbox-folder PATH] [--container-id ID] [--default]
               [--encrypt --password-file F]
  vault list | vault use NAME|ID | vault rename NAME|ID NEW
  vault remove NAME|ID [--delete-files]
Items (by id or unambiguous name):
  collection add NAME | project add COLLECTION NAME | mix add PROJECT NAME
  track import MIX FILE.wav [--name NAME]
  edit ITEM key=value ...   rm ITEM   ls
  search WORDS...   (names, notes, tags; an encrypted vault answers from its blind index)
Encryption:
  keys init|unlock --password-file F | keys change-password --password-file OLD
  --new-password-file NEW | keys rotate | keys reencrypt | keys status | keys lock
Sync:
  sync [--once|--watch] [--force] | status | conflicts | conflicts resolve ID --keep mine|theirs|both
  | conflicts resolve --all mine|theirs
  hash FILE
Devices:
  devices | devices rename NAME
  devices unlink ID|NAME --password-file F --new-password-file NEW   (encrypted vaults)
History:
  history ITEM | history show ITEM VERSION | history restore ITEM VERSION [--as-copy]
  history retention [30d|6m|1y|forever] | deleted | deleted restore ID
Dropbox:
  dropbox connect [--no-browser] [--no-redirect] [--port N] | dropbox account | dropbox disconnect
Audio:
  record MIX --seconds N [--device NAME] | mixdown MIX OUT.wav | devices-audio

Exit status: 0 success, 1 error (one line on stderr), 2 bad usage.
)";

[[maybe_unused]] int notBuilt(Context& ctx, const QString& what)
{
    return ctx.fail(QStringLiteral("%1 support is not built into this muze-cli").arg(what));
}

int runCli(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Muze"));
    QCoreApplication::setApplicationName(QStringLiteral("muze"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MUZE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);

    QStringList args = app.arguments().mid(1);
    QString configDir;
    QString vaultRef;
    bool json = false;
    // Global options come before the command.
    while (!args.isEmpty() && args.front().startsWith(QLatin1String("--"))) {
        const QString opt = args.takeFirst();
        if (opt == QLatin1String("--json")) {
            json = true;
        } else if (opt == QLatin1String("--help")) {
            out << kUsage;
            return ExitOk;
        } else if (opt == QLatin1String("--version")) {
            out << "muze-cli " << MUZE_VERSION << Qt::endl;
            return ExitOk;
        } else if ((opt == QLatin1String("--config-dir") || opt == QLatin1String("--vault")) && !args.isEmpty()) {
            (opt == QLatin1String("--vault") ? vaultRef : configDir) = args.takeFirst();
        } else {
            err << "muze-cli: usage: unknown or incomplete option " << opt << "\n" << kUsage;
            return ExitUsage;
        }
    }
    if (args.isEmpty()) {
        err << kUsage;
        return ExitUsage;
    }

    vault::VaultManager vaults(configDir);
    Context ctx{vaults, vaultRef, json, out, err};
    if (Status s = vaults.load(); !s)
        return ctx.fail(s.error());
    model::setWriterDevice(vaults.device().id); // "modified_by" in what this process writes

    const QString command = args.takeFirst();
    if (command == QLatin1String("vault"))
        return runVault(ctx, args);
    if (command == QLatin1String("collection") || command == QLatin1String("project") || command == QLatin1String("mix")
        || command == QLatin1String("track") || command == QLatin1String("edit") || command == QLatin1String("rm")
        || command == QLatin1String("ls"))
        return runItems(ctx, command, args);
    if (command == QLatin1String("keys")) {
#ifdef MUZE_CLI_KEYS
        return runKeys(ctx, args);
#else
        return notBuilt(ctx, QStringLiteral("Encryption"));
#endif
    }
    if (command == QLatin1String("search")) {
#ifdef MUZE_CLI_SEARCH
        return runSearch(ctx, args);
#else
        return notBuilt(ctx, QStringLiteral("Search"));
#endif
    }
    if (command == QLatin1String("sync") || command == QLatin1String("status") || command == QLatin1String("conflicts")
        || command == QLatin1String("hash")) {
#ifdef MUZE_CLI_SYNC
        return command == QLatin1String("hash") ? runHash(ctx, args) : runSync(ctx, command, args);
#else
        return notBuilt(ctx, QStringLiteral("Sync"));
#endif
    }
    if (command == QLatin1String("devices")) {
#ifdef MUZE_CLI_DEVICES
        return runDevices(ctx, args);
#else
        return notBuilt(ctx, QStringLiteral("Sync"));
#endif
    }
    if (command == QLatin1String("history") || command == QLatin1String("deleted")) {
#ifdef MUZE_CLI_HISTORY
        return command == QLatin1String("history") ? runHistory(ctx, args) : runDeleted(ctx, args);
#else
        return notBuilt(ctx, QStringLiteral("History"));
#endif
    }
    if (command == QLatin1String("dropbox")) {
#ifdef MUZE_CLI_DROPBOX
        return runDropbox(ctx, args);
#else
        return notBuilt(ctx, QStringLiteral("Dropbox"));
#endif
    }
    if (command == QLatin1String("record") || command == QLatin1String("mixdown") || command == QLatin1String("devices-audio")) {
#ifdef MUZE_CLI_AUDIO
        return runAudio(ctx, command, args);
#else
        return notBuilt(ctx, QStringLiteral("Audio"));
#endif
    }
    return ctx.usage(QStringLiteral("unknown command \"%1\" (see muze-cli --help)").arg(command));
}

} // namespace

int main(int argc, char** argv)
{
    // The command, the Qt application and everything the command owned are gone when runCli()
    // returns (the keychain thread is joined by the application's post routine). What is left
    // is the C++/C exit handlers — OpenSSL's cleanup, Qt's globals — which would run while
    // threads that libraries start and never join (Qt's host lookups, D-Bus workers) may still
    // touch the memory they free: muze-cli over TLS aborted on exit now and then ("corrupted
    // size vs. prev_size"). Every write is already durable, so leave without them.
    const int code = runCli(argc, argv);
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}
