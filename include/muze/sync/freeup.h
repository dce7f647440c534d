#pragma once
// Free up space: remove this device's copies of takes that are safely in the cloud, so they
// become cloud-only (GUIDE §3, on-demand audio). A take is removed only when the journal says
// it is synced and the file is exactly what was synced (same size, mtime and inode, nothing
// queued for it); anything else is kept and named. The on-demand list forgets the take, so
// the next sync leaves it in the cloud until it is asked for again.
//
// Needs audio_download = on_demand (with "all", every take is fetched again by the next run):
// the error "not_on_demand" says so. Takes the vault's sync lock: "busy" while a sync runs.
// Any thread; opens its own journal connection.

#include <muze/util/result.h>

#include <QStringList>

namespace muze::sync {

struct FreeUpResult {
    QStringList freed; // vault-relative takes removed here (now cloud-only)
    QStringList kept; // "path: why" (not synced yet, changed since, not audio)
    qint64 bytes = 0; // bytes freed
};

class Journal;

Result<FreeUpResult> freeUpSpace(const QString& vaultRoot, const QStringList& paths);
/// The same through a journal connection the caller already has open on this thread (an
/// engine's: SyncEngine::freeUpSpace), so its later reads see the change.
Result<FreeUpResult> freeUpSpace(const QString& vaultRoot, Journal& journal, const QStringList& paths);

} // namespace muze::sync
