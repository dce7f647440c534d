// muze-cli [--config-dir DIR] [--vault NAME|ID] [--json] COMMAND ...
// The global options, then the command from the table in commands.cpp (one file per command
// group, each with its usage; `muze-cli help` lists them).
#include "cli.h"

#include <muze/model/writer.h>

#include <QCoreApplication>

#include <cstdio>
#include <cstdlib>

using namespace muze;
using namespace muze::cli;

namespace {

// The global options, wherever they are on the command line: before the command or after it
// (`muze-cli vault list --json`). What is not one of them stays, in order, for the command.
struct Invocation {
    QString configDir;
    QString vaultRef;
    bool json = false;
    bool help = false;    // --help: before the command, everything; after it, that command
    bool version = false; // --version (before the command)
    QStringList words;    // the command and its own arguments
    QString badOption;    // an unknown or incomplete option before the command
};

Invocation parseArguments(QStringList args)
{
    Invocation inv;
    while (!args.isEmpty()) {
        const QString arg = args.takeFirst();
        const bool beforeCommand = inv.words.isEmpty();
        if (arg == QLatin1String("--json")) {
            inv.json = true;
        } else if (arg == QLatin1String("--config-dir") || arg == QLatin1String("--vault")) {
            if (args.isEmpty()) {
                inv.badOption = arg;
                break;
            }
            (arg == QLatin1String("--vault") ? inv.vaultRef : inv.configDir) = args.takeFirst();
        } else if (arg == QLatin1String("--help")) {
            inv.help = true;
        } else if (beforeCommand && arg == QLatin1String("--version")) {
            inv.version = true;
        } else if (beforeCommand && arg.startsWith(QLatin1String("--"))) {
            inv.badOption = arg;
            break;
        } else {
            inv.words.append(arg);
        }
    }
    return inv;
}

int runCli(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Muze"));
    QCoreApplication::setApplicationName(QStringLiteral("muze"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MUZE_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);

    Invocation inv = parseArguments(app.arguments().mid(1));
    if (!inv.badOption.isEmpty()) {
        err << "muze-cli: usage: unknown or incomplete option " << inv.badOption << "\n" << usageText();
        return ExitUsage;
    }
    if (inv.version) {
        out << "muze-cli " << MUZE_VERSION << Qt::endl;
        return ExitOk;
    }
    if (inv.help && inv.words.isEmpty()) {
        out << usageText();
        return ExitOk;
    }
    if (inv.words.isEmpty()) {
        err << usageText();
        return ExitUsage;
    }

    vault::VaultManager vaults(inv.configDir);
    Context ctx{vaults, inv.vaultRef, inv.json, out, err};
    const QString name = inv.words.takeFirst();
    const Command* command = findCommand(name);
    if (!command)
        return ctx.usage(QStringLiteral("unknown command \"%1\" (see muze-cli help)").arg(name));
    if (inv.help) { // `muze-cli vault --help`
        out << command->usage;
        return ExitOk;
    }
    if (command->names.front() != QLatin1String("help")) { // help works with any registry
        if (Status s = vaults.load(); !s)
            return ctx.fail(s.error());
        model::setWriterDevice(vaults.device().id); // "modified_by" in what this process writes
    }
    return command->run(ctx, name, inv.words);
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
