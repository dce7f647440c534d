#pragma once
// The history a remote keeps of every file (docs/FORMAT.md §7): the versions a path had, a
// download of any of them, a restore, the files deleted recently, and pruning by retention.
//
// - Folder remote (and the simulated iCloud container built on it): the remote moves every
//   replaced or deleted file into its versions area `.muze-versions/` (FORMAT.md §7), which is
//   never listed or synced; prune() removes versions that stopped being current before a cutoff.
// - Dropbox: files/list_revisions, files/restore and `rev:` downloads; the retention is
//   Dropbox's own (prune() does nothing).
//
// Versions hold the bytes as stored remotely: in an encrypted vault the ciphertext (a blob of
// FORMAT.md §3 for the same vault-relative path), which the vault's codec decodes with the key
// ring's keys (kept forever, so an old version opens after `keys rotate` and
// `keys change-password`).
//
// Threading: like the RemoteStore it wraps, used on that store's thread.

#include <muze/remote/remotestore.h>

#include <memory>
#include <optional>
#include <vector>

namespace muze::remote {

struct RemoteVersion {
    QString path; // vault-relative
    QString rev; // names this version for downloadVersion / restoreVersion
    qint64 size = 0; // stored bytes
    QDateTime modified; // when this version was written (server or file time)
    QDateTime replaced; // when it stopped being current; invalid for the current version
    QString contentHash; // Dropbox content hash of the stored bytes (may be empty: unknown)
    bool current = false; // the file's live version
    bool deleted = false; // the file was deleted after this version (its last version)
};

struct DeletedFile {
    QString path; // vault-relative
    QDateTime deletedAt;
    RemoteVersion last; // the version it had when it was deleted
};

/// How long the vault keeps versions it replaced or deleted (docs/FORMAT.md §7).
enum class Retention { Days30, Months6, Year1, Forever };
/// "30d", "6m", "1y", "forever".
QString retentionName(Retention r);
/// Parses retentionName() and a few spellings ("30 days", "6 months", "1 year"); nullopt on failure.
std::optional<Retention> parseRetention(const QString& text);
/// The cutoff before which versions are pruned at `now` (invalid for Forever).
QDateTime retentionCutoff(Retention r, const QDateTime& now);
constexpr Retention kDefaultRetention = Retention::Months6;
/// The retention a vault folder sets: vault.json's "history_retention" (a retentionName()),
/// kDefaultRetention when absent or unreadable. It is synced like any field of vault.json, so
/// every device prunes by the same setting.
Retention vaultRetention(const QString& vaultRoot);

class RemoteHistory {
public:
    virtual ~RemoteHistory() = default;

    /// Every version of `path` the remote keeps, oldest first (the current one last, if the
    /// file exists). "not_found" when the remote never held it (or pruned all of it).
    virtual Result<std::vector<RemoteVersion>> listVersions(const QString& path) = 0;
    /// Streams the stored bytes of one version into `sink`.
    virtual Status downloadVersion(const QString& path, const QString& rev, QIODevice& sink) = 0;
    /// Makes that version the current one (a new write: the remote keeps the replaced one).
    virtual Result<RemoteEntry> restoreVersion(const QString& path, const QString& rev) = 0;
    /// Files under `folder` ("" = everywhere) that were deleted and not written again.
    virtual Result<std::vector<DeletedFile>> listDeleted(const QString& folder = {}) = 0;
    /// Removes versions that stopped being current before `cutoff`; returns how many.
    virtual Result<int> prune(const QDateTime& cutoff) = 0;
    /// True when the provider applies its own retention (Dropbox: 30–180 days by plan).
    virtual bool providerRetention() const = 0;
};

/// The history of `store` ("unavailable" for a remote that keeps none). The result borrows
/// `store`, which must outlive it.
Result<std::unique_ptr<RemoteHistory>> openHistory(RemoteStore& store);

} // namespace muze::remote
