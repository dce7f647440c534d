#pragma once
// VaultStore reads and writes the model files of one vault folder. Every write is atomic,
// stamps `modified_at`, and keeps unknown fields. Not thread-safe: one store per thread.

#include <muze/model/layout.h>
#include <muze/model/tree.h>
#include <muze/util/result.h>

#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>
#include <vector>

namespace muze::model {

class VaultStore {
public:
    explicit VaultStore(QString root);

    const QString& root() const { return m_root; }
    QString absolute(const QString& relPath) const;

    /// Writes vault.json for a new vault (no-op when one exists with the same id).
    Status initialize(const QString& vaultId, const QString& name) const;

    /// Loads the whole tree. Unreadable files become LoadIssues (naming the file); the
    /// call itself fails only when the folder is missing.
    Result<VaultTree> load() const;

    Result<QString> addCollection(const QString& name) const;
    Result<QString> addProject(const QString& collectionRef, const QString& name) const;
    Result<QString> addMix(const QString& projectRef, const QString& name) const;
    /// Validates the WAV and copies it into the project's audio folder under a new track id.
    Result<QString> importTrack(const QString& mixRef, const QString& wavPath, const QString& name = {}) const;

    /// Finds an item by id, or by a name that matches exactly one item (case-insensitive).
    Result<ItemRef> resolve(const QString& ref, std::optional<ItemKind> kind = std::nullopt) const;

    /// Sets user-editable fields from "key=value" text (typed and range-checked per field).
    Status edit(const QString& ref, const QList<QPair<QString, QString>>& assignments) const;
    /// Sets one field to a JSON value (same validation as edit).
    Status setField(const ItemRef& item, const QString& key, const Json& value) const;

    using FieldValues = std::vector<std::pair<QString, Json>>;
    /// The vault-relative JSON file of a collection, project or mix, from the id index (folder
    /// and file names only, no JSON read; rebuilt when an id is not found). Thread-safe.
    Result<QString> fileOf(const QString& id) const;
    /// Sets fields of one track (same validation as setField) with one read and one write of
    /// its mix file: what a slider drag saves, without loading the vault.
    Status setTrackFields(const QString& mixId, const QString& trackId, const FieldValues& fields) const;

    /// Removes an item and everything under it (its JSON files and audio).
    Status remove(const QString& ref) const;

    /// The fields `edit` accepts for a kind, e.g. {"name","notes","tags","gain_db",...}.
    static QStringList editableFields(ItemKind kind);

private:
    Status applyFields(const ItemRef& item, const FieldValues& values) const;
    Result<Json> readItemFile(const QString& relPath) const;
    Status writeItemFile(const QString& relPath, Json data) const;

    QString m_root;
};

} // namespace muze::model
