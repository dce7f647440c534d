#pragma once
// Committing many small files at once, where a remote can (Dropbox: upload_session/start_batch,
// one append_v2 with close=true per file, then upload_session/finish_batch_v2). Dropbox counts
// every commit against a namespace's write limit (too_many_write_operations); a batch is one
// commit for up to 1,000 files.
//
// Threading: as RemoteStore (the sync worker's thread).

#include <muze/remote/remotestore.h>

#include <QByteArray>

#include <vector>

namespace muze::remote {

struct BatchItem {
    QString path;   // vault-relative, as for RemoteStore::upload
    QByteArray data; // the bytes to store (small: see batchFileLimit)
    WriteSpec spec;
};

class BatchUploads {
public:
    virtual ~BatchUploads() = default;

    /// Files up to this many bytes are worth batching; bigger ones go through upload().
    virtual qint64 batchFileLimit() const = 0;
    /// Most files in one commit (Dropbox: 1,000); uploadBatch splits longer lists.
    virtual int batchEntryLimit() const = 0;
    /// Stores every item; one result per item, in order. An item's entry is returned only
    /// once its own commit was confirmed by the remote, and an item's failure is its own: the
    /// others still land. Transient failures of single items (Dropbox's per-entry
    /// too_many_write_operations) are retried alone. When the remote stops answering
    /// (offline, auth, cancelled) every item not yet confirmed carries that error.
    virtual std::vector<Result<RemoteEntry>> uploadBatch(const std::vector<BatchItem>& items) = 0;
};

} // namespace muze::remote
