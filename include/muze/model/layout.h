#pragma once
// Where things live inside a vault folder (DESIGN.md §2). IDs, never titles, name files.
//
//   vault.json
//   collections/<cid>/collection.json
//   collections/<cid>/projects/<pid>/project.json
//   collections/<cid>/projects/<pid>/mixes/<mid>.json        (tracks live inside the mix)
//   collections/<cid>/projects/<pid>/audio/<track-id>.wav
//   .muze/          synced vault metadata (key ring, devices, search index)
//   .muze-state/    local-only state: journal, merge bases, temp downloads — never synced

#include <QString>

namespace muze::model {

constexpr int kFormatVersion = 1;

inline const QString kVaultFile = QStringLiteral("vault.json");
inline const QString kSyncedMetaDir = QStringLiteral(".muze");
inline const QString kLocalStateDir = QStringLiteral(".muze-state");

inline QString collectionDir(const QString& cid) { return QStringLiteral("collections/") + cid; }
inline QString collectionFile(const QString& cid) { return collectionDir(cid) + QStringLiteral("/collection.json"); }
inline QString projectDir(const QString& cid, const QString& pid)
{
    return collectionDir(cid) + QStringLiteral("/projects/") + pid;
}
inline QString projectFile(const QString& cid, const QString& pid)
{
    return projectDir(cid, pid) + QStringLiteral("/project.json");
}
inline QString mixFile(const QString& cid, const QString& pid, const QString& mid)
{
    return projectDir(cid, pid) + QStringLiteral("/mixes/") + mid + QStringLiteral(".json");
}
inline QString trackAudioFile(const QString& cid, const QString& pid, const QString& tid)
{
    return projectDir(cid, pid) + QStringLiteral("/audio/") + tid + QStringLiteral(".wav");
}

/// True for vault-relative paths that sync never touches (local-only state).
inline bool isLocalOnly(const QString& relPath)
{
    return relPath == kLocalStateDir || relPath.startsWith(kLocalStateDir + QLatin1Char('/'));
}

} // namespace muze::model
