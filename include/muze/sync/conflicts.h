#pragma once
// Conflicts the sync engine recorded, for the user to review and flip (DESIGN.md §3): one JSON
// file per conflict in the vault's synced metadata, `.muze/conflicts/<id>.json`, so every
// device lists the same conflicts and resolving one anywhere resolves it everywhere (the
// record's deletion syncs like any delete).
//
//   kind "field": a JSON field both devices changed. `local`/`remote` hold the two values as
//                 seen by the device that merged, `base` the value both started from (when
//                 known); `kept` says which one is at the path.
//   kind "file":  two versions of a file (a WAV take). `kept` is at the path, the other at
//                 `copy` ("<name> (conflicted copy <device> <date>).wav").
//
// Ids are derived from the conflict's content, so recording the same conflict twice (a merge
// redone after a crash) keeps one record. Not thread-safe: one store per thread.

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QString>

#include <optional>
#include <vector>

namespace muze::sync {

inline const QString kConflictsDir = QStringLiteral(".muze/conflicts");

struct ConflictSide {
    Json value;          // field conflicts: the value (null = field deleted)
    QString hash;        // file conflicts: content hash of that version
    QString modifiedAt;  // that version's modified_at / write time
    QString device;      // device name, when known
};

struct ConflictRecord {
    QString id;
    QString path;  // vault-relative file
    QString kind;  // "field" | "file"
    QString field; // field conflicts: "/tracks/id:t1/gain_db"
    QString copy;  // file conflicts: vault-relative path of the conflicted copy
    ConflictSide local;
    ConflictSide remote;
    std::optional<Json> base; // field conflicts: the common ancestor's value, when there was one
    QString kept;  // "local" | "remote": the version at the path
    QString detectedBy; // device name
    QString createdAt;

    Json toJson() const;
    static Result<ConflictRecord> fromJson(const Json& json);
    /// Stable id from the conflict's content.
    static QString makeId(const QString& path, const QString& what, const QByteArray& a, const QByteArray& b);
};

enum class Keep { Local, Remote, Both };

class ConflictStore {
public:
    explicit ConflictStore(QString vaultRoot);

    /// Oldest first. Unreadable records are skipped (and named in `problems` when given).
    std::vector<ConflictRecord> list(QStringList* problems = nullptr) const;
    Result<ConflictRecord> get(const QString& id) const;
    /// Writes the record unless one with its id exists.
    Status add(const ConflictRecord& record) const;
    Status remove(const QString& id) const;

    /// Applies the user's choice to the vault and drops the record:
    ///   field: local/remote sets that value at the path (stamping modified_at); both merges
    ///          text ("a / b") and lists (union), and is refused for other values.
    ///   file:  the chosen version ends at the path and the other goes to the local trash;
    ///          both keeps the two files.
    /// `trashDir` receives replaced files (vault-relative folder under .muze-state).
    Status resolve(const QString& id, Keep keep) const;

private:
    QString fileFor(const QString& id) const;
    QString m_root;
};

} // namespace muze::sync
