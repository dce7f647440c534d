#pragma once
// The folder remote's versions area (docs/FORMAT.md §7), shared by folderremote.cpp (which
// keeps a file before replacing or deleting it) and folderhistory.cpp (which lists, downloads,
// restores and prunes what was kept).
//
//   <remote>/.muze-versions/<vault-relative path>/<stamp>-<nonce>.<event>
//     stamp = UTC time the version stopped being current, yyyyMMddTHHmmsszzzZ
//     nonce = 8 lowercase hex digits (two devices replacing a file in the same millisecond)
//     event = "replaced" or "deleted"
// A version file holds exactly the bytes the path held (the ciphertext in an encrypted vault),
// with the mtime it had (when that version was written).

#include <muze/util/result.h>

#include <QDateTime>
#include <QString>

namespace muze::remote::versions {

inline const QString kVersionsDir = QStringLiteral(".muze-versions");

/// Keeps `abs` (the live file of vault-relative `rel` under `root`) as a version: a hard link
/// (a copy where the file system has none) when it is about to be replaced, a rename when it
/// is deleted. Returns the folder written (for the caller's batched fsync). Files under `.muze/`
/// (key ring, devices, search index) are replaced or unlinked without a version ("" returned).
Result<QString> keep(const QString& root, const QString& rel, const QString& abs, bool deleted);

struct Name {
    QDateTime replaced;
    bool deleted = false;
};
/// Parses a version file name; invalid `replaced` when it is not one.
Name parseName(const QString& fileName);

} // namespace muze::remote::versions
