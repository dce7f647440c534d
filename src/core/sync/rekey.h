#pragma once
// Re-encryption after a key rotation (private to muze_sync; the engine calls it at the end of
// a run). DESIGN.md §4: "key rotation adds a key id and re-encrypts gradually".

#include "propagator.h"

#include <muze/sync/scanner.h>

#include <QHash>

namespace muze::sync {

struct RekeyResult {
    int done = 0;
    int left = 0; // synced files still under an older key, or whose key is not known yet
};

// Every synced file (journal rev == listed rev) whose remote copy is stored under a key other
// than the codec's active one is rewritten under it, until `budget` bytes were spent (-1: no
// limit). Rows with an unknown key id (0) are resolved by reading the blob's header. Keys this
// device does not hold are left alone (they may be newer than ours). Per-file failures go to
// the report's errors; offline/cancelled end it with that error.
Result<RekeyResult> rekeyStale(
    PassContext& ctx, Propagator& propagator, const QHash<QString, LocalFile>& localFiles, qint64 budget);

} // namespace muze::sync
