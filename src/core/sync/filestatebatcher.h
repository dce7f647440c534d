#pragma once
// FileStateBatcher: the SyncWorker's observer of its engine. It coalesces per-file states into
// batches (the newest state of each path, at most one batch per interval, ~20 a second) so a
// 10,000-file first pass sends a few hundred signals, not tens of thousands, and follows the
// bytes of the file being transferred so its state carries progress. Engine thread only.

#include <muze/sync/syncengine.h>
#include <muze/sync/syncstatus.h>

#include <QElapsedTimer>
#include <QHash>

#include <functional>

namespace muze::sync {

class FileStateBatcher : public SyncObserver {
public:
    using BatchSink = std::function<void(const FileSyncStates&)>;
    using ProgressSink = std::function<void(qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)>;
    FileStateBatcher(QString vaultRoot, BatchSink batches, ProgressSink progress, int intervalMs = 50);

    void fileStateChanged(const QString& path, FileState state) override;
    void progress(qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal) override;
    /// Sends what is waiting now (end of a run).
    void flush();

private:
    void put(const FileSyncState& s);
    void maybeFlush();

    QString m_root;
    BatchSink m_batches;
    ProgressSink m_progress;
    int m_intervalMs;
    FileSyncStates m_batch;
    QHash<QString, qsizetype> m_index; // path → position in m_batch
    QElapsedTimer m_sinceBatch;
    QElapsedTimer m_sinceProgress;
    QString m_current; // the file being transferred
    qint64 m_currentBase = 0; // the run's bytesDone when it started
    qint64 m_currentSize = -1;
    qint64 m_lastBytesDone = 0;
};

} // namespace muze::sync
