#pragma once
// The user's view of a vault's conflicts, as "mine" and "theirs" from this device, and the
// choices that settle them (issue 11). Built on ConflictStore (conflicts.h), whose records say
// "local"/"remote" as seen by the device that detected the conflict.
//
//   ConflictResolver r(vaultRoot, deviceName);
//   r.detect();                                  // when a vault opens: records stray copies
//   for (const ConflictView& c : r.list()) ...   // field: base / mine / theirs; file: two takes
//   r.resolve(id, Choice::Theirs);               // or resolveAll(Choice::Mine)
//
// Every choice writes vault files (the JSON through a stamped rewrite, the takes through
// VaultStore), so the next sync carries the result to every device; the record's deletion
// syncs too. Blocking file I/O (detect() hashes takes): call it off the GUI thread.
// Not thread-safe: one resolver per thread.

#include <muze/sync/conflicts.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace muze::sync {

struct ConflictView {
    QString id;
    QString kind;        // "field" | "file"
    QString path;        // vault-relative file at stake
    QString item;        // what the user knows it as: "Opening song", "Guitar"
    QString itemKind;    // "vault" | "collection" | "project" | "mix" | "track" | "" (unknown)
    QString field;       // field conflicts: "/tracks/id:t1/gain_db"
    QString fieldName;   // "gain_db"
    std::optional<Json> base; // field conflicts: the value both devices started from
    Json mine;           // field conflicts: this device's value (null: deleted)
    Json theirs;
    QString mineDevice;  // device names ("" when unknown)
    QString theirsDevice;
    QString mineTime;    // ISO times of each side's write ("" when unknown)
    QString theirsTime;
    QString minePath;    // file conflicts: vault-relative path of each take
    QString theirsPath;
    bool mineAtPath = true; // which value / take is at `path` now
    bool trackOfMix = false; // file conflicts: the take belongs to a mix track ("keep both" adds a track)
    QString createdAt;
};

enum class Choice { Mine, Theirs, Both };

class ConflictResolver {
public:
    ConflictResolver(QString vaultRoot, QString deviceName);

    /// Records conflicted copies ("name (conflicted copy …).ext") that no record names, e.g.
    /// a record lost or a copy made by another sync tool. Returns how many were added.
    Result<int> detect() const;
    /// Oldest first. Unreadable records are skipped and named in `problems`.
    std::vector<ConflictView> list(QStringList* problems = nullptr) const;

    /// Settles one conflict:
    ///   field: Mine/Theirs sets that value; Both merges two texts or two lists (else refused).
    ///   file:  Mine/Theirs keeps that take at the path (the other goes to the local trash);
    ///          Both keeps the two takes as two tracks of the mix (the copy becomes a new track
    ///          named "<name> (<device>)"), or as two files when the take is not a track's.
    Status resolve(const QString& id, Choice choice) const;
    /// Mine or Theirs for every conflict; failures are listed ("id: message"), the rest settled.
    Result<int> resolveAll(Choice choice, QStringList* failures = nullptr) const;

private:
    ConflictView viewOf(const ConflictRecord& rec) const;
    bool mineIsLocal(const ConflictRecord& rec) const;
    Status keepBothAsTracks(const ConflictRecord& rec, const ConflictView& view) const;

    QString m_root;
    QString m_device;
    ConflictStore m_store;
};

/// Choice from "mine" | "theirs" | "both"; nullopt for anything else.
std::optional<Choice> choiceFromName(const QString& name);

} // namespace muze::sync
