#pragma once
// Three-way merge of two versions of a JSON model file against their common base (DESIGN.md §3).
//
// - A field changed on one side only takes that side; changed to the same value on both: no
//   conflict. A field deleted on one side and changed on the other keeps the change.
// - Arrays of objects with an "id" (a mix's tracks) merge element by element by id: additions
//   from both sides are kept, deletions apply unless the other side changed that element.
// - Arrays of strings (tags) merge as sets.
// - A field changed to different values on both sides: the side whose nearest enclosing object
//   has the later `modified_at` wins; the other value is returned as a FieldConflict.
//   `modified_at` itself takes the later time, `created_at` the earlier, `format` the higher.
// Without a base (both sides new) every differing field is a both-sides change.
//
// Field paths look like JSON pointers with "id:<id>" selecting an array element by id:
// "/tracks/id:t1/gain_db". resolveFieldPath()/setFieldPath() follow them.

#include <muze/util/json.h>

#include <QString>

#include <optional>
#include <vector>

namespace muze::sync {

struct FieldConflict {
    QString field;        // "/tracks/id:t1/gain_db"
    Json localValue;      // null when the side deleted the field
    Json remoteValue;
    std::optional<Json> baseValue; // the common ancestor's value (none: no base, or absent there)
    bool localWon = false;
    QString localModifiedAt;
    QString remoteModifiedAt;
};

struct MergeResult {
    Json merged;
    std::vector<FieldConflict> conflicts;
};

/// `base` may be null (no common ancestor).
MergeResult mergeJson(const Json* base, const Json& local, const Json& remote);

/// The value at `field`, or nullptr.
const Json* resolveFieldPath(const Json& doc, const QString& field);
/// Sets (or, with a null `value` and `erase`, removes) the value at `field`; stamps
/// `modified_at` of the enclosing object with `stamp` when given. False when the path is gone.
bool setFieldPath(Json& doc, const QString& field, const Json& value, const QString& stamp = {}, bool erase = false);

} // namespace muze::sync
