#pragma once
// Private to syncengine.cpp: the steps of one pass that touch the world. SyncEngine::run lists,
// scans, reconciles (reconciler.h), plans (syncplan.h, pure) and executes:
//   listRemote  → the remote's changes into the journal's mirror, with the cursor
//   scanPass    → journal rows, the mirror and the local scan, side by side
//   executePlan → the plan's work through the propagator, flushing commits as it goes

#include "propagator.h"

#include <muze/remote/remotestore.h>
#include <muze/sync/journal.h>
#include <muze/sync/scanner.h>
#include <muze/sync/syncengine.h>

#include <QHash>
#include <QSet>
#include <QString>

#include <atomic>
#include <vector>

namespace muze::sync {

/// Both sides against the journal, as one pass sees them.
struct PassView {
    QHash<QString, JournalRow> rows;
    QHash<QString, RemoteRow> mirror;
    ScanResult scan;
};

/// What changed remotely goes into the journal's mirror with the new cursor, in one
/// transaction. Hostile names are left out, each reported once per run (`rejected`).
Status listRemote(remote::RemoteStore& remote, Journal& journal, QSet<QString>& rejected, SyncReport& report);

/// The journal's rows and mirror and a scan of the vault folder; hashing counts and the
/// scan's problems go into `report`.
Result<PassView> scanPass(const QString& root, Journal& journal, const ScanOptions& options, SyncReport& report);

/// Runs `work` in order through `propagator` (ctx: the remote, journal, observer, report and
/// cancel flag of the run). Per-file failures go into the report and `failed`; the error
/// returned ends the run: "cancelled", a Stop outcome (offline), or a journal flush failure.
Status executePlan(const std::vector<Action>& work, const PassView& view, PassContext& ctx, Propagator& propagator,
    QSet<QString>& failed);

} // namespace muze::sync
