#pragma once
// Shared by `muze-cli history` and `muze-cli deleted` (cmd_history.cpp, cmd_deleted.cpp): the
// vault's remote, its history and its codec, and fetching a version as plaintext.

#include "cli.h"

#include <muze/remote/remotehistory.h>
#include <muze/sync/codec.h>

#include <memory>

namespace muze::cli {

struct HistoryAccess {
    vault::VaultRecord vault;
    std::unique_ptr<remote::RemoteStore> store;
    std::unique_ptr<remote::RemoteHistory> history;
    std::unique_ptr<sync::ContentCodec> codec;

    /// The target vault's remote, history and codec ("locked" when an encrypted vault's keys
    /// are not on this device).
    static Result<HistoryAccess> open(Context& ctx);

    /// The plaintext of one version, in memory (JSON files).
    Result<QByteArray> fetch(const QString& path, const QString& rev) const;
    /// One version's plaintext written to <vault>/<path> (atomically, through the local state
    /// folder), e.g. a take.
    Status fetchTo(const QString& path, const QString& rev, const QString& targetRelPath) const;
    /// The newest version of `path` the remote has (live or kept), written to the vault.
    Status fetchNewest(const QString& path, const QString& targetRelPath) const;
    /// A version's JSON object.
    Result<Json> fetchJson(const QString& path, const QString& rev) const;
};

/// "2026-12-05 07:44" in local time.
QString shortTime(const QDateTime& t);
/// A mix JSON's tracks' audio paths (vault-relative), given the mix file's path.
QStringList takePaths(const QString& mixFile, const Json& mix);

} // namespace muze::cli
