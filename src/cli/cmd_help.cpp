// help [COMMAND]: every command's usage (the same text as --help), or one command's; with
// --json, the table itself (names, section, usage) for scripts and completion.
#include "cli.h"

namespace muze::cli {

namespace {

Json describe(const Command& command)
{
    Json names = Json::array();
    for (const QString& n : command.names)
        names.push_back(toStd(n));
    Json usage = Json::array();
    for (const QString& line : command.usage.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        usage.push_back(toStd(line));
    return Json{{"names", names}, {"section", toStd(command.section)}, {"usage", usage}};
}

int runHelp(Context& ctx, const QStringList& args)
{
    if (args.size() > 1)
        return ctx.usage(QStringLiteral("help [COMMAND]"));
    if (args.isEmpty()) {
        if (ctx.json) {
            Json all = Json::array();
            for (const Command* command : commands())
                all.push_back(describe(*command));
            ctx.printJson(Json{{"commands", all}});
        } else {
            ctx.out << usageText();
        }
        return ExitOk;
    }
    const Command* command = findCommand(args.front());
    if (!command)
        return ctx.usage(QStringLiteral("unknown command \"%1\" (see muze-cli help)").arg(args.front()));
    if (ctx.json)
        ctx.printJson(describe(*command));
    else
        ctx.out << command->usage;
    return ExitOk;
}

} // namespace

const Command& helpCommand()
{
    static const Command command{{QStringLiteral("help")}, QStringLiteral("Help"),
        QStringLiteral("help [COMMAND]   (this text, or one command's; COMMAND --help too)\n"),
        [](Context& ctx, const QString&, QStringList args) { return runHelp(ctx, args); }};
    return command;
}

} // namespace muze::cli
