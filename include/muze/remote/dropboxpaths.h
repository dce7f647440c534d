#pragma once
// Paths and headers on the Dropbox wire.
//
// A vault lives in one Dropbox folder (e.g. "/Apps/Muze/Band"). The remote maps vault-relative
// paths to server paths and back. Dropbox paths are case-insensitive and case-preserving and
// compared by `path_lower`; names are NFC. Whatever the server sends is untrusted: an entry
// whose path is outside the vault folder, has "." / ".." / empty segments, a NUL, a
// backslash, or disagrees with its path_lower is rejected ("hostile_path").

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QString>

namespace muze::remote {

/// JSON for the Dropbox-API-Arg header: compact, every non-ASCII character and DEL escaped as
/// \uXXXX (UTF-16, surrogate pairs above the BMP), so the header is pure ASCII.
QByteArray dropboxApiArg(const Json& arg);

/// Dropbox's lower-casing for path comparison (NFC, then Unicode lower case).
QString dropboxLower(const QString& path);

class DropboxPathMapper {
public:
    /// `folder` is the vault's Dropbox folder ("/Apps/Muze/Band"); "" or "/" is the whole Dropbox.
    explicit DropboxPathMapper(const QString& folder);

    QString folder() const { return m_root; }          // "" or "/Apps/Muze/Band" (NFC, no trailing '/')
    QString folderLower() const { return m_rootLower; }

    /// The server path of a vault-relative path ("" = the folder itself). "hostile_path" for
    /// anything isSafeRelativePath refuses or a "." segment.
    Result<QString> toServer(const QString& relative) const;

    /// The vault-relative path of a server entry; `pathDisplay` may be empty (path_lower is
    /// used then). An empty result means the folder itself. "hostile_path" when the entry is
    /// not strictly inside the folder or its path is malformed.
    Result<QString> toRelative(const QString& pathLower, const QString& pathDisplay) const;

private:
    QString m_root;
    QString m_rootLower;
};

} // namespace muze::remote
