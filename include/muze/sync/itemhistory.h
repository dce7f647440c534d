#pragma once
// An item's history as the user sees it (issue 12; docs/FORMAT.md §7): the vault's remote, its
// history and its codec, fetching any version as plaintext, and the versions of a JSON item
// each summarised against the one before. Used by `muze-cli history|deleted` and the GUI's
// History panel. Blocking I/O: call it off the GUI thread; one instance per thread.

#include <muze/model/changesummary.h>
#include <muze/remote/remotehistory.h>
#include <muze/sync/codec.h>
#include <muze/vault/vaultrecord.h>

#include <memory>
#include <vector>

namespace muze::sync {

struct ItemVersion {
    remote::RemoteVersion meta;
    int number = 0; // 1 = oldest
    Json doc; // null when unreadable
    QString problem;
    std::vector<model::FieldChange> changes;
    QString device; // the writer's device id ("modified_by", docs/FORMAT.md §7.5); "" when unknown
    QString deviceName; // its name in the vault's device list; "" when the vault lists no such device
};

struct HistoryAccess {
    vault::VaultRecord vault;
    std::unique_ptr<remote::RemoteStore> store;
    std::unique_ptr<remote::RemoteHistory> history;
    std::unique_ptr<sync::ContentCodec> codec;

    /// The vault's remote, history and codec ("locked" when an encrypted vault's keys are not
    /// on this device).
    static Result<HistoryAccess> open(const vault::VaultRecord& vault);

    /// The plaintext of one version, in memory (JSON files).
    Result<QByteArray> fetch(const QString& path, const QString& rev) const;
    /// One version's plaintext written to <vault>/<path> (atomically, through the local state
    /// folder), e.g. a take.
    Status fetchTo(const QString& path, const QString& rev, const QString& targetRelPath) const;
    /// The newest version of `path` the remote has (live or kept), written to the vault.
    Status fetchNewest(const QString& path, const QString& targetRelPath) const;
    /// A version's JSON object.
    Result<Json> fetchJson(const QString& path, const QString& rev) const;
    /// Every version of a JSON item's file, oldest first, with what changed in each.
    Result<std::vector<ItemVersion>> versions(const QString& path) const;
};

/// "2026-12-05 07:44" in local time.
QString shortTime(const QDateTime& t);
/// A mix JSON's tracks' audio paths (vault-relative), given the mix file's path.
QStringList takePaths(const QString& mixFile, const Json& mix);

} // namespace muze::sync
