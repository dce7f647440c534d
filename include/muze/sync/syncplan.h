#pragma once
// The plan of one sync pass: a pure function from the reconciler's decisions (reconciler.h) and
// what the engine knows of the pass to what the pass does, and in which order. No I/O, no clock;
// tested row by row like the reconciler. SyncEngine::run lists, scans, reconciles, plans and
// executes the plan (src/core/sync/DESIGN.md, "Passes").
//
//   locked      an encrypted remote and no keys here: every action but the key ring's is
//               skipped ("vault is locked"), and the report says how to unlock
//   rule 5      a pass that would delete more than half of one side's files (and at least
//               kMassDeleteMinimum) is refused without --force: nothing runs, the queue is kept
//   queue       every action but None, skips with their reason: the journal's pending queue
//   work        every action but None and Skip, less the paths that failed earlier in the run
//   order       local then remote deletes; record / forget / cloud-only; resolves; downloads;
//               uploads; then take deletes (after the mix merges that decide whether a take
//               still has a user), project.json deletes, collection.json deletes. Within a
//               rank JSON goes first; otherwise the reconciler's (path) order holds.
//   ring first  when the engine can remake its keys, a key ring coming in (download or
//               resolve) runs alone: it may carry the key the other files need

#include <muze/sync/journal.h>
#include <muze/sync/reconciler.h>

#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace muze::sync {

struct PlanInput {
    std::vector<Action> actions; // the reconciler's decisions, in its order
    bool hasCodec = true; // this device has a codec for the vault (false: locked here)
    bool encrypting = false; // that codec encrypts
    bool remoteEncrypted = false; // the remote holds a key ring
    int localFiles = 0; // files the scan found (the rail's measure of this side)
    int remoteFiles = 0; // files the remote lists
    bool force = false; // pass the mass-delete rail
    QSet<QString> failed; // paths that failed earlier in this run: queued, not tried again
    bool canRemakeKeys = false; // the engine can make new keys from a ring that came in
};

struct SyncPlan {
    std::vector<Action> actions; // the reconciler's decisions after the locked filter
    bool locked = false; // encrypted and no keys here: only the key ring moves
    MassDelete massDelete; // the rail's count, tripped or not
    bool refused = false; // the rail tripped without force: run nothing
    QString message; // for SyncReport::message (locked, or refused); empty otherwise
    bool ringPending = false; // the key ring has something to move (sent, settling or failed)
    std::vector<PendingRow> queue; // the journal's pending queue for this pass
    QStringList skipped; // "path: why" of every skipped action (empty when refused)
    std::vector<Action> work; // what to execute, in order (empty when refused)
    bool ringOnly = false; // work is the key ring alone: remake the keys, then plan anew
    bool onlySettling = false; // no work, and every skip is a file still settling (rule 4)
};

/// One pass's plan (see the table above).
SyncPlan plan(PlanInput input);

} // namespace muze::sync
