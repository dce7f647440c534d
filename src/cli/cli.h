#pragma once
// The muze-cli command context shared by every command file (cmd_*.cpp).
// Contract (README "muze-cli"): exit 0 on success; 1 with a one-line error on stderr for a
// user error; 2 for bad usage. With --json, stdout carries exactly one JSON document.

#include <muze/util/json.h>
#include <muze/util/result.h>
#include <muze/vault/vaultmanager.h>

#include <QStringList>
#include <QTextStream>

#include <vector>

namespace muze::cli {

enum Exit { ExitOk = 0, ExitUserError = 1, ExitUsage = 2 };

struct Context {
    vault::VaultManager& vaults; // registry loaded from --config-dir
    QString vaultRef;            // --vault NAME|ID ("" = the current vault)
    bool json = false;           // --json
    QTextStream& out;
    QTextStream& err;

    /// The vault the command acts on: --vault, else the current one. Error when none.
    Result<vault::VaultRecord> targetVault() const;
    /// Prints `message` as "muze-cli: error: message" and returns ExitUserError.
    int fail(const QString& message) const;
    int fail(const Error& error) const { return fail(error.message); }
    /// Prints "muze-cli: usage: message" and returns ExitUsage.
    int usage(const QString& message) const;
    /// Prints one JSON document on stdout.
    void printJson(const Json& doc) const;
};

/// Small option parser for "--name value" / "--flag" / positionals.
class Args {
public:
    explicit Args(QStringList args) : m_args(std::move(args)) {}
    /// Removes and returns the value of --name (or `fallback`). Sets `missingValue` when the
    /// option is present without a value.
    QString take(const QString& name, const QString& fallback = {});
    bool takeFlag(const QString& name);
    bool missingValue() const { return m_missingValue; }
    /// What is left: positionals in order. An unknown "--option" left here is a usage error.
    const QStringList& rest() const { return m_args; }
    QString firstUnknownOption() const;

private:
    QStringList m_args;
    bool m_missingValue = false;
};

/// A password file: the whole file minus one trailing newline (as `vault create --encrypt`
/// reads it); "empty_password" when nothing is left.
Result<QByteArray> readPasswordFile(const QString& path);

/// One command group of muze-cli, after KeePassXC's Command: the words that select it, its
/// usage (`muze-cli help`), and what runs it. Each cmd_*.cpp defines its own; commands.cpp
/// lists them in one table.
struct Command {
    QStringList names; // the first word of the command line: {"vault"}, {"sync", "status", ...}
    QString section;   // its heading in `muze-cli help`
    QString usage;     // one line per form, without "muze-cli "; continuation lines start with spaces
    int (*run)(Context& ctx, const QString& name, QStringList args); // `args` without the name
};

/// Every command, in the order `muze-cli help` lists them (commands.cpp).
const std::vector<const Command*>& commands();
/// The command `name` selects, or nullptr.
const Command* findCommand(const QString& name);
/// `muze-cli help`: the global options, every command's usage by section, the exit statuses.
QString usageText();

/// `keys reencrypt`: a sync that then moves every file still under an older key to the active
/// one (cmd_sync.cpp).
int runReencrypt(Context& ctx, const vault::VaultRecord& v);

} // namespace muze::cli
