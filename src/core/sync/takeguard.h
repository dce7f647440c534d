#pragma once
// "A delete against a change: the change wins" for takes. A take file (a project's
// audio/<track-id>.wav) deleted on one side while the other side changed a mix that uses its
// track must not be deleted: when a pass merges or downloads a project's mixes, a take delete in
// that project waits until they are applied, and if a local mix still lists the track the take
// stays — a remote delete becomes an upload of the local copy, a local delete a download.
// (A take deleted while no mix of its project changes is deleted as asked.)
// The same for the items above: a collection.json or project.json deleted on one side stays
// (uploaded again, or downloaded) when, after the rest of the pass, files are left under its
// folder — an item changed or added there on the other side, which the edit brings back.

#include <muze/sync/reconciler.h>
#include <muze/sync/syncpaths.h>

#include <QHash>
#include <QSet>
#include <QString>

#include <vector>

namespace muze::sync {

/// collection.json or project.json at its place in the tree.
bool isParentItemPath(const QString& relPath);

class TakeGuard {
public:
    explicit TakeGuard(QString vaultRoot) : m_root(std::move(vaultRoot)) {}

    /// The pass's work: notes the projects whose mixes it merges or downloads.
    void watch(const std::vector<Action>& work);

    /// True when `a` deletes a take in a project whose mixes this pass changes: guard() must
    /// then see those mixes in place (downloads waiting for their batch flushed first).
    bool applies(const Action& a) const;

    /// True when files other than its own collection.json / project.json are under `dir`.
    bool holdsItems(const QString& dir) const;

    /// The action to run instead of `a` when `a` would delete a take a local mix still uses
    /// (DeleteLocal → Upload, DeleteRemote → Download); otherwise `a` itself. Read the mixes
    /// only after this pass's JSON downloads and merges have been applied.
    Action guard(const Action& a);

private:
    const QSet<QString>& tracksOfProject(const QString& projectDir);

    QString m_root;
    QSet<QString> m_changing;               // project dirs whose mixes this pass merges or downloads
    QHash<QString, QSet<QString>> m_tracks; // project dir → track ids listed by its mixes
};

} // namespace muze::sync
