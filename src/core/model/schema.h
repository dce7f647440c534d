#pragma once
// The fields of each item kind: their JSON types, ranges and which a user may edit.
// Both loading (validation) and editing use this one table.

#include <muze/model/tree.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QStringList>

namespace muze::model {

/// Checks an item object read from `file`: id present and valid (and equal to `expectedId`
/// when given), format not newer than this version, and every known field of the right type
/// and range. The error names the file and the field.
Status validateItem(const Json& obj, ItemKind kind, const QString& file, const QString& expectedId = {});

/// Parses user text for `key` on `kind` into a typed JSON value ("0.5" → 0.5, "yes" → true,
/// "a, b" → ["a","b"]). Rejects unknown or read-only fields and out-of-range values.
Result<Json> parseFieldValue(ItemKind kind, const QString& key, const QString& text);

/// Validates a typed value for `key` on `kind`.
Status checkFieldValue(ItemKind kind, const QString& key, const Json& value);

QStringList editableFieldsFor(ItemKind kind);

/// A new item object with format, id, name and timestamps in a stable key order.
Json newItemObject(ItemKind kind, const QString& id, const QString& name);

} // namespace muze::model
