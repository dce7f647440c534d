#pragma once
// The in-memory view of one vault: Collections > Projects > Mixes > Tracks.
// Each node keeps its whole JSON object, so fields this version does not know survive a
// rewrite; typed accessors read the known ones without throwing.

#include <muze/util/json.h>

#include <QString>

#include <vector>

namespace muze::model {

enum class ItemKind { Vault, Collection, Project, Mix, Track };
QString kindName(ItemKind kind);

struct TrackNode {
    Json data;           // the track object inside the mix's "tracks" array
    QString audioFile;   // vault-relative path of the WAV
    QString id() const { return jsonString(data, "id"); }
    QString name() const { return jsonString(data, "name"); }
};

struct MixNode {
    QString id;
    QString file; // vault-relative path of the mix JSON
    Json data;
    std::vector<TrackNode> tracks;
    QString name() const { return jsonString(data, "name"); }
};

struct ProjectNode {
    QString id;
    QString file;
    Json data;
    std::vector<MixNode> mixes;
    QString name() const { return jsonString(data, "name"); }
};

struct CollectionNode {
    QString id;
    QString file;
    Json data;
    std::vector<ProjectNode> projects;
    QString name() const { return jsonString(data, "name"); }
};

/// A file that could not be read; the rest of the vault still opens.
struct LoadIssue {
    QString file; // vault-relative
    QString message;
};

struct VaultTree {
    Json vault;
    std::vector<CollectionNode> collections;
    std::vector<LoadIssue> issues;
};

/// A located item: enough to read or rewrite it.
struct ItemRef {
    ItemKind kind = ItemKind::Collection;
    QString id;
    QString name;
    QString collectionId;
    QString projectId;
    QString mixId; // for tracks: the mix holding them
    QString file;  // vault-relative JSON file holding the item
};

} // namespace muze::model
