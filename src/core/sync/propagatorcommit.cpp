// The propagator's durability step (docs/DESIGN.md §3 rule 2): finished transfers wait in a
// queue; flushCommits() makes their data durable (one syncfs for a batch of small downloads,
// the remote's flush, the folders renamed into) and only then writes their journal rows.
#include "propagator.h"

#include "propagatorutil.h"

#include <muze/model/layout.h>
#include <muze/sync/syncpaths.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <fcntl.h>
#include <unistd.h>

namespace muze::sync {

namespace fs = remote::fs;

Status Propagator::flushCommits()
{
    if (Status sent = sendStaged(); !sent) { // the files it confirmed are still recorded
        (void)flushCommits();
        return sent;
    }
    if (!m_placements.empty()) {
        std::vector<Placement> batch;
        batch.swap(m_placements);
        if (Status s = makeDurable(batch); !s) {
            for (const Placement& p : batch)
                QFile::remove(p.temp);
            return s;
        }
        step("download:batch-durable", QString::number(batch.size()));
        for (const Placement& p : batch) {
            const StepResult r = place(p);
            if (r.outcome == Outcome::Failed) {
                m_ctx.report->errors << QStringLiteral("%1: %2").arg(p.path, r.error.message);
                (void)m_ctx.journal->notePendingError(p.path, QStringLiteral("download"), r.error.message, 0);
            }
        }
    }
    if (m_queue.empty() && m_dirtyDirs.isEmpty())
        return m_ctx.remote->flush();
    if (Status s = m_ctx.remote->flush(); !s)
        return s;
    for (const QString& dir : std::as_const(m_dirtyDirs)) {
        if (Status s = fs::fsyncPath(dir); !s && fs::lstatPath(dir).isDir)
            return s;
    }
    m_dirtyDirs.clear();
    step("journal:flush", QString::number(m_queue.size()));
    Status s = m_ctx.journal->transaction([&]() -> Status {
        for (const Queued& q : m_queue) {
            if (q.entry) {
                const remote::RemoteEntry& e = *q.entry;
                const qint64 client = e.clientModified.isValid() ? e.clientModified.toMSecsSinceEpoch() : 0;
                if (Status r = m_ctx.journal->putRemote(RemoteRow{e.path, e.rev, e.contentHash, e.size, client, e.pathLower, e.id}); !r)
                    return r;
            }
            if (Status r = m_ctx.journal->putRow(q.row); !r)
                return r;
            if (Status r = m_ctx.journal->removePending(q.row.path); !r)
                return r;
        }
        return {};
    });
    if (s)
        m_queue.clear();
    step("journal:flushed", {});
    return s;
}

StepResult Propagator::place(const Placement& p)
{
    // Rule 1: replace only the file the journal knows, exactly as scanned; never a newcomer.
    const fs::FileStat now = fs::lstatPath(p.target);
    if (p.local ? !sameStat(now, *p.local) : now.exists) {
        QFile::remove(p.temp);
        return retry(QStringLiteral("%1 changed on this device meanwhile").arg(p.path));
    }
    if (Status s = renameLocal(p.temp, p.target); !s) {
        QFile::remove(p.temp);
        return fail(s.error());
    }
    step("download:renamed", p.path);
    const JournalRow row = rowFor(p.path, fs::lstatPath(p.target), p.plainHash, p.remote.rev, p.remote.hash, p.remote.size,
                                  p.keyId);
    if (Status s = commit(row, nullptr, isJsonPath(p.path) ? &p.json : nullptr); !s)
        return fail(s.error());
    (void)m_ctx.journal->removeWanted(p.path);
    ++m_ctx.report->downloaded;
    return {};
}

Status Propagator::makeDurable(const std::vector<Placement>& batch) const
{
#ifdef __linux__
    // One syncfs writes every dirty page of the vault's file system: for thousands of small
    // files it costs about what a handful of fsyncs do.
    Q_UNUSED(batch);
    const int fd = ::open(QFile::encodeName(m_ctx.root).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return makeError(QStringLiteral("Cannot open %1").arg(m_ctx.root), errc::io);
    const int rc = ::syncfs(fd);
    ::close(fd);
    if (rc != 0)
        return makeError(QStringLiteral("Cannot flush %1 to disk").arg(m_ctx.root), errc::io);
    return {};
#else
    for (const Placement& p : batch) {
        if (Status s = fs::fsyncPath(p.temp); !s)
            return s;
    }
    return {};
#endif
}

} // namespace muze::sync
