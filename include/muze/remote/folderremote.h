#pragma once
// A folder as the remote (DESIGN.md §5): a backup drive, a NAS share, a folder another tool syncs,
// or (with kind "icloud") a stand-in for iCloud's ubiquity container.
//
// Layout: files sit at their vault-relative paths under the root. Beside them the remote keeps
// `.muze-remote` (a marker written on first use: a later listing without it means the folder
// is not mounted, and is reported "offline" instead of "everything was deleted") and
// `.muze-tmp/` (upload temp files and the lock that serialises check-and-rename between
// devices). Neither is ever listed.
//
// Revs are derived from (inode, mtime, size): an upload renames a new file into place, so every
// write changes the rev. Content hashes are computed on listing and cached by stat in the
// cursor snapshot (`<cacheDir>/folder-snapshot.json`, local-only), so a no-op listing only
// stats. The cursor names that snapshot; a cursor that does not match it gives a complete
// listing. Names are reported in NFC whatever the disk holds. Symlinks are never followed.
//
// Threading: like every RemoteStore, used on one thread; cancel() from any thread.

#include <muze/remote/remotehistory.h>
#include <muze/remote/remotestore.h>

#include <QElapsedTimer>
#include <QHash>
#include <QSet>
#include <QString>

namespace muze::remote {

class FolderRemote final : public RemoteStore {
public:
    /// `root`: the remote folder. `cacheDir`: local-only folder for the listing snapshot
    /// (empty: kept in memory only, so every new instance starts with a complete listing).
    explicit FolderRemote(QString root, QString cacheDir = {}, QString kind = QStringLiteral("folder"));
    ~FolderRemote() override;

    QString kind() const override { return m_kind; }
    const QString& root() const { return m_root; }
    /// How often waitForChanges() looks at the folder (default 5 s).
    void setPollIntervalMs(int ms) { m_pollMs = ms; }
    /// Replaced and deleted files go to the versions area (docs/FORMAT.md §7); listings prune
    /// the ones older than this, at most hourly (folderhistory.cpp). Default: forever.
    void setVersionRetention(Retention r) { m_retention = r; }
    Retention versionRetention() const { return m_retention; }

    Result<ChangeSet> listChanges(const QString& cursor) override;
    Result<RemoteEntry> stat(const QString& path) override;
    Status download(const QString& path, QIODevice& sink, qint64 offset = 0, qint64 length = -1,
                    const ProgressFn& progress = {}) override;
    Result<RemoteEntry> upload(const QString& path, QIODevice& source, qint64 size, const WriteSpec& spec,
                               const ProgressFn& progress = {}) override;
    Status remove(const QString& path, const QString& rev = {}) override;
    Status makeFolder(const QString& path) override;
    Result<bool> waitForChanges(const QString& cursor, int timeoutSeconds) override;
    Result<SpaceUsage> spaceUsage() override;
    /// fsyncs the folders touched by uploads and deletes since the last flush. Uploads fsync
    /// their data before the rename, so the remote never holds a torn file; flush() makes
    /// the renames themselves durable, once per folder instead of once per file.
    Status flush() override;

    struct Known {
        qint64 size = 0;
        qint64 mtimeNs = 0;
        quint64 inode = 0;
        QString hash;
    };

private:
    Status checkReachable(bool createIfMissing, bool cached = false) const;
    Status checkPath(const QString& path) const;
    QString actualPath(const QString& nfcPath) const; // absolute, existing spelling where one exists
    Result<QHash<QString, Known>> walk(bool withHashes);
    Result<RemoteEntry> entryFor(const QString& path, const QString& abs);
    void loadSnapshot();
    Status saveSnapshot();
    void pruneVersionsIfDue();

    QString m_root;
    QString m_cacheDir;
    QString m_kind;
    int m_pollMs = 5000;
    bool m_snapshotLoaded = false;
    QString m_snapshotId;
    QHash<QString, Known> m_snapshot; // what the current cursor has reported
    QHash<QString, Known> m_hashCache; // stat → hash for files this instance wrote or hashed
    QSet<QString> m_dirtyDirs;         // folders whose renames/unlinks are not fsynced yet
    QSet<QString> m_knownDirs;         // real folders (not symlinks) seen since the last delete
    mutable QElapsedTimer m_reachableChecked;
    Retention m_retention = Retention::Forever;
    QElapsedTimer m_pruned;
};

} // namespace muze::remote
