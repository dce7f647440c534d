#pragma once
// What Dropbox answers, read without a network: metadata and list_folder pages, error bodies,
// Retry-After, the Dropbox-API-Result header and Content-Range. Everything here is untrusted
// input; each function either returns a value or an error, never throws. DropboxClient and
// DropboxRemote call these; tests/fuzz/fuzz_dropbox feeds them arbitrary bytes.

#include <muze/remote/dropboxclient.h>
#include <muze/remote/dropboxpaths.h>
#include <muze/remote/remotestore.h>

#include <QStringList>

namespace muze::remote {

/// One metadata object (file, folder, deleted; or a FileMetadata struct without ".tag") as an
/// entry of the vault `paths` maps. "hostile_path" for an entry outside the folder,
/// "corrupt" for anything malformed.
Result<RemoteEntry> dropboxEntryFromMetadata(const Json& md, const DropboxPathMapper& paths);

/// Adds a list_folder(/continue) page's entries to `out` and takes its cursor. Hostile entries
/// are skipped and their path_lower appended to `rejected`; a malformed page is "corrupt".
Status dropboxAddPage(const Json& page, const DropboxPathMapper& paths, ChangeSet& out, QStringList& rejected);

/// The RemoteStore error code for an error_summary ("not_found/..." → "not_found").
QString dropboxErrorCode(const QString& summary);

/// The error a failed call ends with: status, body (JSON with error_summary/error, or text) and
/// the wait Dropbox asked for (429). `details` receives what the body said.
Error dropboxErrorFromResponse(const QString& route, int status, const QByteArray& body, int retryAfterSeconds,
                               DropboxApiError* details);

/// Seconds to wait from a Retry-After header value, else from the body's retry_after (top level
/// or inside "error"); 0 when neither says.
int dropboxRetryAfter(const QByteArray& header, const Json* body);

/// The metadata object in a Dropbox-API-Result header; "corrupt" when missing or malformed.
Result<Json> parseDropboxApiResult(const QByteArray& header, const QString& route);

/// Finds "correct_offset" anywhere in an upload session error (append_v2 and finish nest it
/// differently); -1 when absent.
qint64 dropboxCorrectOffset(const Json& error);

/// "bytes START-END/TOTAL" → START; -1 when unreadable.
qint64 dropboxContentRangeStart(const QByteArray& value);

} // namespace muze::remote
