// SyncEngine::status(): every file's state without syncing (muze-cli status, the app's badges).
#include <muze/sync/syncengine.h>

#include "enginestate.h"

#include <muze/sync/conflicts.h>
#include <muze/sync/journal.h>
#include <muze/sync/reconciler.h>
#include <muze/sync/scanner.h>

namespace muze::sync {

Result<std::vector<FileStatus>> SyncEngine::status()
{
    const QString& root = m_config.vaultRoot;
    if (Status s = m_d->openJournal(root); !s)
        return s.error();
    Journal& journal = *m_d->journal;
    Result<QHash<QString, JournalRow>> rows = journal.rows();
    Result<QHash<QString, RemoteRow>> mirror = journal.remoteRows();
    if (!rows || !mirror)
        return rows ? mirror.error() : rows.error();
    Result<ScanResult> scan = scanLocal(root, *rows, {m_config.settleMs, &m_d->cancelled});
    if (!scan)
        return scan.error();
    ReconcileOptions opts;
    opts.encrypted = m_d->codec && m_d->codec->encrypted();
    opts.dataTypes = m_config.settings.dataTypes;
    opts.audioDownload = m_config.settings.audioDownload;
    if (Result<QStringList> wanted = journal.wanted())
        opts.wanted = QSet<QString>(wanted->cbegin(), wanted->cend());
    QHash<QString, PendingRow> pending;
    if (Result<std::vector<PendingRow>> p = journal.pending()) {
        for (const PendingRow& r : *p)
            pending.insert(r.path, r);
    }
    QHash<QString, QString> conflicted;
    for (const ConflictRecord& c : ConflictStore(root).list()) {
        conflicted.insert(c.path, c.id);
        if (!c.copy.isEmpty())
            conflicted.insert(c.copy, c.id);
    }
    std::vector<FileStatus> out;
    for (const Action& a : reconcile(scan->files, *mirror, *rows, opts)) {
        FileStatus s;
        s.path = a.path;
        const auto j = rows->constFind(a.path);
        const bool cloud = j != rows->cend() && !j->localPresent;
        if (a.kind == ActionKind::None && !scan->files.contains(a.path) && !cloud && !mirror->contains(a.path))
            continue; // nothing anywhere
        if (a.kind == ActionKind::None || a.kind == ActionKind::Record)
            s.state = cloud ? FileState::CloudOnly : FileState::Synced;
        else if (a.kind == ActionKind::CloudOnly)
            s.state = FileState::CloudOnly;
        else {
            s.state = FileState::Pending;
            s.detail = a.kind == ActionKind::Skip ? a.why : actionName(a.kind);
        }
        const auto p = pending.constFind(a.path);
        if (s.state == FileState::Pending && p != pending.cend() && !p->lastError.isEmpty() && p->action != QLatin1String("skip")) {
            s.state = FileState::Error;
            s.detail = p->lastError;
        }
        if (conflicted.contains(a.path) && s.state == FileState::Synced) {
            s.state = FileState::Conflict;
            s.detail = conflicted.value(a.path);
        }
        out.push_back(s);
    }
    return out;
}

} // namespace muze::sync
