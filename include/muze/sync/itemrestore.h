#pragma once
// Restoring what the history keeps (issue 12; docs/FORMAT.md §7.4), shared by `muze-cli
// history restore` / `deleted restore` and the GUI's History panel and Recently deleted list.
// Nothing here writes to the remote: a restore writes plaintext into the vault folder as a new
// edit (or new files), which the next sync uploads and merges like any edit.
// Blocking I/O (sync::HistoryAccess): call it off the GUI thread.

#include <muze/model/tree.h>
#include <muze/sync/itemhistory.h>

#include <vector>

namespace muze::sync {

/// The version of `versions` named by `which`: its number ("2") or its rev; null when none.
const ItemVersion* pickVersion(const std::vector<ItemVersion>& versions, const QString& which);
/// One readable version of an item's file ("not_found" / "corrupt" with a message to act on).
Result<ItemVersion> loadVersion(const HistoryAccess& access, const model::ItemRef& item, const QString& which);

struct RestoredVersion {
    QString id; // the item restored, or the new mix of a copy
    QString path; // its vault-relative JSON file
    QString name;
    int version = 0;
    bool asCopy = false;
};

/// Writes version `v` of `item` back as a new edit (`modified_at` = now), fetching the takes it
/// names that are missing locally; `asCopy` (mixes only) writes a new mix
/// "<name> (restored YYYY-MM-DD)" whose tracks get new ids and their own copies of the takes.
Result<RestoredVersion> restoreVersion(
    const HistoryAccess& access, const model::ItemRef& item, const ItemVersion& v, bool asCopy);

/// A deleted collection, project, mix or take, as `muze-cli deleted` lists it.
struct DeletedItem {
    QString kind; // collection, project, mix, take
    QString id;
    QString name;
    QString path; // its file
    QString folder; // collection/project: its folder (everything under it comes back with it)
    QDateTime deletedAt;
    remote::RemoteVersion last;
    QStringList takes; // deleted takes that come back with it
    QString mixFile; // take: the mix that held it
    Json track; // take: its track object (from the mix's history)
};

/// Everything deleted that can come back, one entry per item a user would restore (a mix's
/// takes and a project's mixes come back with it and are not listed on their own).
Result<std::vector<DeletedItem>> listDeletedItems(const HistoryAccess& access);
/// Writes a deleted item back into the vault: parents first when they are gone too, a mix with
/// its takes, a collection or project with everything deleted under it, a take with its track
/// entry put back into its mix.
Status restoreDeletedItem(const HistoryAccess& access, const DeletedItem& item);

} // namespace muze::sync
