#pragma once
// A full local disk during sync (issue 16): detected where a download lands, reported with the
// vault's folder, what needed the space and how much is free, so the user knows what to free.
// Code "local_disk_full": the pass stops (every further download would fail the same way) and
// the next sync resumes once there is room. Private to muze_sync.

#include <muze/util/result.h>

#include <QString>

namespace muze::sync {

/// True when the disk holding `vaultRoot` has less than `needBytes` (at least 1) available.
bool localDiskFull(const QString& vaultRoot, qint64 needBytes);

/// "The disk holding the vault <root> is full: <path> needs <n> MB, <m> MB free. Free up space
/// on that disk (or make takes cloud-only), then sync again."
Error diskFullError(const QString& vaultRoot, const QString& path, qint64 needBytes);

} // namespace muze::sync
