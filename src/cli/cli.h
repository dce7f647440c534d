#pragma once
// The muze-cli command context shared by every command file (cmd_*.cpp).
// Contract (README "muze-cli"): exit 0 on success; 1 with a one-line error on stderr for a
// user error; 2 for bad usage. With --json, stdout carries exactly one JSON document.

#include <muze/util/json.h>
#include <muze/util/result.h>
#include <muze/vault/vaultmanager.h>

#include <QStringList>
#include <QTextStream>

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

// Command groups, one per file. `args` excludes the group word itself.
int runVault(Context& ctx, QStringList args);     // cmd_vault.cpp
int runItems(Context& ctx, const QString& command, QStringList args); // cmd_items.cpp (collection/project/mix/track/edit/rm/ls)
int runKeys(Context& ctx, QStringList args);      // cmd_keys.cpp   (crypto)
int runSearch(Context& ctx, QStringList args);    // cmd_search.cpp (crypto: blind search tokens)
int runSync(Context& ctx, const QString& command, QStringList args); // cmd_sync.cpp (sync/status/conflicts)
int runHash(Context& ctx, QStringList args);      // cmd_sync.cpp
/// `keys reencrypt`: a sync that then moves every file still under an older key to the active
/// one (cmd_sync.cpp).
int runReencrypt(Context& ctx, const vault::VaultRecord& v);
int runDevices(Context& ctx, QStringList args); // cmd_devices.cpp (the vault's device list, unlink)
int runDropbox(Context& ctx, QStringList args);   // cmd_dropbox.cpp
int runAudio(Context& ctx, const QString& command, QStringList args); // cmd_audio.cpp (record/mixdown/devices-audio)
int runHistory(Context& ctx, QStringList args);   // cmd_history.cpp (history list/show/restore/retention)
int runDeleted(Context& ctx, QStringList args);   // cmd_deleted.cpp (recently deleted, restore)

} // namespace muze::cli
