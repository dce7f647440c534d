#include "filestatebatcher.h"

#include <QFileInfo>

namespace muze::sync {

FileStateBatcher::FileStateBatcher(QString vaultRoot, BatchSink batches, ProgressSink progress, int intervalMs)
    : m_root(std::move(vaultRoot))
    , m_batches(std::move(batches))
    , m_progress(std::move(progress))
    , m_intervalMs(intervalMs)
{
    m_sinceBatch.start();
    m_sinceProgress.start();
}

void FileStateBatcher::put(const FileSyncState& s)
{
    const auto it = m_index.constFind(s.path);
    if (it != m_index.cend()) {
        m_batch[*it] = s;
        return;
    }
    m_index.insert(s.path, m_batch.size());
    m_batch.append(s);
}

void FileStateBatcher::maybeFlush()
{
    if (!m_batch.isEmpty() && m_sinceBatch.elapsed() >= m_intervalMs)
        flush();
}

void FileStateBatcher::flush()
{
    m_sinceBatch.restart();
    if (m_batch.isEmpty())
        return;
    FileSyncStates out;
    out.swap(m_batch);
    m_index.clear();
    m_batches(out);
}

void FileStateBatcher::fileStateChanged(const QString& path, FileState state)
{
    FileSyncState s;
    s.path = path;
    s.state = state;
    if (state == FileState::Syncing) {
        m_current = path;
        m_currentBase = m_lastBytesDone;
        const QFileInfo local(m_root + QLatin1Char('/') + path);
        m_currentSize = local.exists() ? local.size() : -1; // an upload's size; a download's is unknown here
        s.bytesDone = 0;
        s.bytesTotal = m_currentSize;
    } else if (path == m_current) {
        m_current.clear();
    }
    put(s);
    maybeFlush();
}

void FileStateBatcher::progress(qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
{
    m_lastBytesDone = bytesDone;
    if (!m_current.isEmpty()) {
        FileSyncState s;
        s.path = m_current;
        s.state = FileState::Syncing;
        s.bytesDone = std::max<qint64>(0, bytesDone - m_currentBase);
        s.bytesTotal = m_currentSize;
        put(s);
        maybeFlush();
    }
    if (filesDone < filesTotal && m_sinceProgress.elapsed() < 100)
        return;
    m_sinceProgress.restart();
    m_progress(bytesDone, bytesTotal, filesDone, filesTotal);
}

} // namespace muze::sync
