#pragma once
// Helpers shared by DropboxRemote's translation units (private to muze_remote).

#include <muze/remote/remotestore.h>
#include <muze/util/json.h>

namespace muze::remote::detail {

/// The CommitInfo of a write to `serverPath` (path, mode, client_modified, no autorename).
Json dropboxCommit(const QString& serverPath, const WriteSpec& spec);
/// `server`'s last component under `known`'s folders (Dropbox vouches for the last
/// component's casing only).
QString withFoldersOf(const QString& known, const QString& server);

} // namespace muze::remote::detail
