#pragma once
// Dropbox's file history behind RemoteHistory (include/muze/remote/remotehistory.h).

#include <muze/remote/remotehistory.h>

#include <memory>

namespace muze::remote {

class DropboxRemote;

/// files/list_revisions, files/restore, `rev:` downloads and list_folder(include_deleted) on
/// the remote's own client. Borrows `remote`.
std::unique_ptr<RemoteHistory> makeDropboxHistory(DropboxRemote& remote);

} // namespace muze::remote
