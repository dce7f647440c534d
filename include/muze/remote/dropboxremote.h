#pragma once
// A vault's remote in a Dropbox folder (DESIGN.md §5), over DropboxClient.
//
// - listChanges: list_folder(recursive) then list_folder/continue; a cursor Dropbox resets
//   yields a complete relisting. The first listing (empty cursor) creates a missing folder. Entries outside the vault folder or with malformed paths are
//   dropped (and logged), never handed to the engine.
// - download: streams with Range, resumes after a dropped connection at the byte it reached
//   (pinned to the rev it started with), and checks the content_hash of a whole-file download.
// - upload: up to `sessionThreshold` bytes in one files/upload call, bigger files through an
//   upload session (start / append_v2 / finish) that resumes at Dropbox's correct_offset after
//   a drop; the server checks each request's content_hash and the remote checks the result's.
//   Update mode carries the journal's rev; a rev mismatch is "conflict" unless the remote
//   already holds exactly these bytes (equal content is never a conflict).
//
// Threading: construct, use and destroy on the sync worker's thread (RemoteStore rules).

#include <muze/remote/batchupload.h>
#include <muze/remote/dropboxclient.h>
#include <muze/remote/dropboxpaths.h>
#include <muze/remote/remotestore.h>

#include <QDateTime>

#include <memory>

namespace muze::remote {

constexpr qint64 kDropboxMaxRequestBytes = 150LL * 1024 * 1024; // Dropbox's per-request limit
constexpr int kDropboxBatchEntries = 1000; // entries of one finish_batch(_v2) / sessions of one start_batch

struct DropboxRemoteOptions {
    QString folder;                             // the vault's Dropbox folder, "/Apps/Muze/Band"
    qint64 sessionThreshold = 16 * 1024 * 1024; // bigger uploads go through a session (≤ 150 MiB)
    qint64 chunkSize = 32 * 1024 * 1024;        // bytes per session request: a multiple of 4 MiB (Dropbox's
                                                // hash block), ≤ 150 MiB; bench/dropbox/README.md
    int resumeAttempts = 8;                     // resumes of one transfer after dropped connections
    int longpollMinSeconds = 30;                // Dropbox accepts longpoll timeouts of 30..480 s
    int longpollJitterSeconds = 90;             // Dropbox may answer a longpoll this long after its timeout
    bool batch = true;                          // commit small files with finish_batch_v2 (dropboxbatch.cpp)
    qint64 batchFileLimit = 1024 * 1024;        // files up to this size are batched
    int batchParallel = 8;                      // append_v2 requests of a batch in flight at once
    int batchRetries = 4;                       // rounds for entries refused with too_many_write_operations
    DropboxClientOptions client;

    /// Defaults, with MUZE_DROPBOX_SESSION_THRESHOLD / MUZE_DROPBOX_CHUNK_SIZE (bytes),
    /// MUZE_DROPBOX_BACKOFF_MS and MUZE_DROPBOX_LONGPOLL_MIN (seconds) applied (tests and
    /// benches use small values); MUZE_DROPBOX_BATCH=0 sends every file on its own.
    static DropboxRemoteOptions fromEnvironment(const QString& folder);
};

class DropboxRemote : public RemoteStore, public BatchUploads {
public:
    DropboxRemote(auth::DropboxEndpoints endpoints, std::shared_ptr<auth::TokenManager> tokens,
                  DropboxRemoteOptions options);
    ~DropboxRemote() override;

    QString kind() const override { return QStringLiteral("dropbox"); }
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
    BatchUploads* batchUploads() override { return m_options.batch ? this : nullptr; }

    qint64 batchFileLimit() const override { return m_options.batchFileLimit; }
    int batchEntryLimit() const override { return kDropboxBatchEntries; }
    std::vector<Result<RemoteEntry>> uploadBatch(const std::vector<BatchItem>& items) override;

    DropboxClient& client() { return m_client; }
    const DropboxPathMapper& paths() const { return m_paths; }
    /// Server paths dropped from listings as hostile since construction.
    const QStringList& rejectedPaths() const { return m_rejected; }

private:
    Result<RemoteEntry> entryFromMetadata(const Json& md) const;
    Result<ChangeSet> listAll(bool firstListing);
    Status addPage(const Json& page, ChangeSet& out);
    template <typename T>
    Result<T> failed(const Error& e);
    // `commit`: the CommitInfo (path, mode, ...) of the write.
    Result<RemoteEntry> uploadSmall(const QString& serverPath, QIODevice& source, qint64 size, const Json& commit,
                                    const ProgressFn& progress);
    Result<RemoteEntry> uploadSession(const QString& serverPath, QIODevice& source, qint64 size, const Json& commit,
                                      const ProgressFn& progress);
    struct BatchRound;
    Status commitBatchRound(BatchRound& round);
    Result<RemoteEntry> checkUploaded(const QString& serverPath, const Result<Json>& answer, const QString& expectedHash,
                                      const Json& commit);

    DropboxRemoteOptions m_options;
    DropboxPathMapper m_paths;
    DropboxClient m_client;
    QDateTime m_longpollBackoffUntil;
    QStringList m_rejected;
};

/// The Dropbox remote on `folderPath` (a vault's folder): endpoints from the environment, the app key from
/// MUZE_DROPBOX_APP_KEY or settings, tokens from the keychain. Error "auth" when this device
/// is not connected to Dropbox, "config" when no folder or no app key is given.
/// Call it on the thread that will use the remote.
Result<std::unique_ptr<RemoteStore>> createDropboxRemote(const QString& folderPath);

/// Creates the vault's folder in Dropbox (an existing folder is fine): what
/// `vault create --provider dropbox --dropbox-folder PATH` does before registering the vault.
Status ensureDropboxFolder(const QString& folderPath);

} // namespace muze::remote
