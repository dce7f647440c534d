#include <muze/sync/freeup.h>

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/sync/journal.h>
#include <muze/sync/syncpaths.h>
#include <muze/sync/syncsettings.h>
#include <muze/util/fileio.h>

#include <QDir>
#include <QFile>
#include <QSet>

namespace muze::sync {

namespace fs = remote::fs;

Result<FreeUpResult> freeUpSpace(const QString& vaultRoot, const QStringList& paths)
{
    Result<std::unique_ptr<Journal>> journal = Journal::open(QDir::cleanPath(vaultRoot));
    if (!journal)
        return journal.error();
    return freeUpSpace(vaultRoot, **journal, paths);
}

Result<FreeUpResult> freeUpSpace(const QString& vaultRoot, Journal& db, const QStringList& paths)
{
    const QString root = QDir::cleanPath(vaultRoot);
    Result<SyncSettings> settings = SyncSettings::load(root);
    if (!settings)
        return settings.error();
    if (settings->audioDownload != AudioDownload::OnDemand)
        return makeError(
            QStringLiteral("This vault downloads every take to this device; choose \"download takes on demand\" "
                           "in its sync settings to keep takes in the cloud only"),
            errc::not_on_demand);
    const QString stateDir = root + QLatin1Char('/') + model::kLocalStateDir;
    if (!QDir().mkpath(stateDir))
        return makeError(QStringLiteral("Cannot create %1").arg(stateDir), errc::io);
    fs::FileLock lock(stateDir + QStringLiteral("/sync.lock"), false);
    if (!lock.locked())
        return makeError(QStringLiteral("A sync of this vault is running; try again when it is done"), errc::busy);
    Journal* journal = &db;
    Result<std::vector<PendingRow>> pending = journal->pending();
    if (!pending)
        return pending.error();
    QSet<QString> queued;
    for (const PendingRow& p : *pending)
        queued.insert(p.path);

    FreeUpResult out;
    for (const QString& raw : paths) {
        const QString path = fs::nfc(raw);
        auto keep = [&](const QString& why) { out.kept << QStringLiteral("%1: %2").arg(path, why); };
        if (!isSafeRelativePath(path) || !isAudioPath(path)) {
            keep(QStringLiteral("not a take"));
            continue;
        }
        Result<std::optional<JournalRow>> row = journal->row(path);
        if (!row)
            return row.error();
        if (!*row || !(*row)->localPresent || (*row)->remoteRev.isEmpty()) {
            if (*row && !(*row)->localPresent)
                continue; // already cloud-only
            keep(QStringLiteral("not synced yet"));
            continue;
        }
        const JournalRow& r = **row;
        const fs::FileStat st = fs::lstatPath(root + QLatin1Char('/') + path);
        if (!st.exists || st.size != r.localSize || st.mtimeNs != r.localMtimeNs || st.inode != r.localInode
            || queued.contains(path)) {
            keep(QStringLiteral("changed since it was synced"));
            continue;
        }
        JournalRow cloud = r;
        cloud.localPresent = false;
        cloud.state = QStringLiteral("cloud_only");
        const Status s = journal->transaction([&]() -> Status {
            if (Status put = journal->putRow(cloud); !put)
                return put;
            return journal->removeWanted(path);
        });
        if (!s)
            return s.error();
        // The journal says cloud-only first: a crash between the two leaves a file the journal
        // does not know, which the next sync treats as new (compared, never lost).
        if (!QFile::remove(root + QLatin1Char('/') + path)) {
            (void)journal->putRow(r);
            keep(QStringLiteral("cannot remove it"));
            continue;
        }
        out.freed << path;
        out.bytes += st.size;
    }
    return out;
}

} // namespace muze::sync
