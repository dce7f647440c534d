#pragma once
// FileStateModel: the GUI thread's copy of every synced file's state, per vault, fed by
// SyncController::fileStatesChanged batches. It tells views at most every 50 ms that states
// changed (changed(vaultId)), so a 10,000-file first pass repaints a few times a second, and
// answers the state of a file, of a mix (its JSON and its takes) and of a folder (collection,
// project: the worst state of what it holds). GUI thread only.

#include <muze/sync/syncstatus.h>

#include <QHash>
#include <QObject>
#include <QSet>

class QTimer;

namespace muze::gui {

class FileStateModel : public QObject {
    Q_OBJECT
public:
    explicit FileStateModel(QObject* parent = nullptr);

    bool hasStates(const QString& vaultId) const { return m_files.contains(vaultId); }
    /// The file's state; a file sync has not reported is Synced unless `known` is given.
    sync::FileSyncState state(const QString& vaultId, const QString& path, bool* known = nullptr) const;
    /// The worst state of the files under `dir` (vault-relative folder), or of `paths`.
    sync::FileState folderState(const QString& vaultId, const QString& dir) const;
    sync::FileState worstOf(const QString& vaultId, const QStringList& paths) const;
    /// Paths under `dir` (or all with "") in `state`.
    QStringList pathsIn(const QString& vaultId, const QString& dir, sync::FileState state) const;

public Q_SLOTS:
    void apply(const QString& vaultId, const muze::sync::FileSyncStates& states, bool snapshot);
    void forget(const QString& vaultId);

Q_SIGNALS:
    void changed(const QString& vaultId);

private:
    void rebuildFolders(const QString& vaultId) const;

    QHash<QString, QHash<QString, sync::FileSyncState>> m_files; // vault → path → state
    // vault → folder ("collections/c", "collections/c/projects/p") → worst state; rebuilt lazily
    mutable QHash<QString, QHash<QString, sync::FileState>> m_folders;
    mutable QSet<QString> m_stale;
    QSet<QString> m_dirty;
    QTimer* m_notify = nullptr;
};

} // namespace muze::gui
