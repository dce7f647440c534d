#pragma once
// iCloud Drive as a vault's remote (DESIGN.md §5): a FolderRemote on the vault's folder inside
// the ubiquity container, plus what iCloud adds to a plain folder. The Apple-only parts are
// behind UbiquityContainer; this class is the shared logic, tested with the simulated container.
//
// - Availability: while no iCloud account is signed in, every call fails with "offline" (the
//   sync queues and retries; nothing is reported deleted).
// - Placeholders: before listing, files iCloud has not downloaded are asked for and waited on
//   (setDownloadTimeoutMs); a listing never reports a file as deleted because it became a
//   placeholder (the OS evicting it), and never reports the placeholder itself.
// - Reads and writes run inside the container's file coordination.
// - Conflicts: an unresolved conflict version iCloud keeps of a file becomes a conflicted copy
//   beside it (named by `CopyNamer`, so it is the same "name (conflicted copy …)" file the
//   sync engine and the Conflicts dialog already know) and only then is marked resolved.
// - History: openHistory() gives the folder history plus the container's file versions
//   (NSFileVersion), see icloudhistory.cpp.
//
// Threading: like every RemoteStore, one thread (the sync worker's); cancel() from any thread.

#include <muze/remote/folderremote.h>
#include <muze/remote/ubiquitycontainer.h>

#include <memory>

namespace muze::remote {

class ICloudRemote final : public RemoteStore {
public:
    /// The vault-relative path of the conflicted copy for a conflict version of `relPath`
    /// saved by `deviceName` at `modified`.
    using CopyNamer = std::function<QString(const QString& relPath, const QString& deviceName, const QDateTime& modified)>;

    /// `folder`: the vault's folder inside container->documentsRoot(). `cacheDir`: local-only
    /// folder for the listing snapshot and temp files.
    ICloudRemote(std::shared_ptr<UbiquityContainer> container, QString folder, QString cacheDir, CopyNamer namer);
    ~ICloudRemote() override;

    QString kind() const override { return QStringLiteral("icloud"); }
    FolderRemote& folder() { return m_folder; }
    UbiquityContainer& container() { return *m_container; }
    /// How long a listing waits for placeholders to download before answering "offline"
    /// (default 120 s; the sync retries later).
    void setDownloadTimeoutMs(int ms) { m_downloadTimeoutMs = ms; }

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
    Status flush() override;

private:
    Status checkAvailable() const;
    QString absolute(const QString& rel) const;
    /// Conflict versions → conflicted copies; placeholders → downloads, waited for.
    Status prepare();
    Status keepConflictsAsCopies(const QString& absPath);
    Status waitForDownloads(QStringList pending);
    ProgressFn cancellable(const ProgressFn& progress) const;

    std::shared_ptr<UbiquityContainer> m_container;
    FolderRemote m_folder;
    QString m_cacheDir;
    CopyNamer m_namer;
    int m_downloadTimeoutMs = 120000;
};

} // namespace muze::remote
