#pragma once
// Sync state badges drawn in code: a small mark in the corner of an icon (tree rows, track
// rows) and the words for a tooltip. GUI thread only.

#include <muze/sync/syncstatus.h>

#include <QIcon>
#include <QPixmap>

namespace muze::gui {

/// The badge alone, `size` pixels square. `percent` (0..100, Syncing) draws a progress arc.
QPixmap syncBadge(sync::FileState state, int size, int percent = -1);
/// `base` with the badge to its right: a 2:1 icon (set the view's iconSize to e.g. 34x16).
QIcon badgedIcon(const QIcon& base, sync::FileState state, int percent = -1);
/// "Synced", "Syncing 40%", "Waiting to sync", "Conflict", "Sync error: …", "In the cloud only".
QString fileStateText(const sync::FileSyncState& state);

} // namespace muze::gui
