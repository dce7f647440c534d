#pragma once
// Files sync removes or replaces on this device are moved, not unlinked, into the vault's
// local-only trash (.muze-state/trash/<yyyy-mm-dd>/<path>) and purged after the number of
// days the sync settings say. A rename within the vault: instant and atomic.

#include <muze/util/result.h>

#include <QString>

namespace muze::sync {

/// Moves <vaultRoot>/<relPath> into the trash (never overwriting an earlier trashed copy).
Status moveToTrash(const QString& vaultRoot, const QString& relPath);
/// Removes trash folders older than `days` days (0 = everything).
void purgeTrash(const QString& vaultRoot, int days);

} // namespace muze::sync
