// The one table of muze-cli's commands, in the order `muze-cli help` lists them (after
// KeePassXC's command list). Each command group lives in its own cmd_*.cpp with its usage; a
// new one adds its file to CMakeLists.txt, one declaration and one table line here.
#include "cli.h"

namespace muze::cli {

const Command& vaultCommand(); // cmd_vault.cpp
const Command& itemsCommand(); // cmd_items.cpp
const Command& searchCommand(); // cmd_search.cpp
const Command& keysCommand(); // cmd_keys.cpp
const Command& syncCommand(); // cmd_sync.cpp
const Command& hashCommand(); // cmd_sync.cpp
const Command& devicesCommand(); // cmd_devices.cpp
const Command& historyCommand(); // cmd_history.cpp
const Command& deletedCommand(); // cmd_deleted.cpp
const Command& dropboxCommand(); // cmd_dropbox.cpp
const Command& audioCommand(); // cmd_audio.cpp
const Command& helpCommand(); // cmd_help.cpp

const std::vector<const Command*>& commands()
{
    static const std::vector<const Command*> table = {
        &vaultCommand(),
        &itemsCommand(),
        &searchCommand(),
        &keysCommand(),
        &syncCommand(),
        &hashCommand(),
        &devicesCommand(),
        &historyCommand(),
        &deletedCommand(),
        &dropboxCommand(),
        &audioCommand(),
        &helpCommand(),
    };
    return table;
}

const Command* findCommand(const QString& name)
{
    for (const Command* command : commands()) {
        if (command->names.contains(name))
            return command;
    }
    return nullptr;
}

QString usageText()
{
    QString text = QStringLiteral("usage: muze-cli [--config-dir DIR] [--vault NAME|ID] [--json] COMMAND ...\n"
                                  "Global options may also follow the command (muze-cli vault list --json).\n");
    QString section;
    for (const Command* command : commands()) {
        if (command->section != section) {
            section = command->section;
            text += QLatin1Char('\n') + section + QStringLiteral(":\n");
        }
        for (const QString& line : command->usage.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            text += QStringLiteral("  ") + line + QLatin1Char('\n');
    }
    text += QStringLiteral("\nExit status: 0 success, 1 error (one line on stderr), 2 bad usage.\n");
    return text;
}

} // namespace muze::cli
