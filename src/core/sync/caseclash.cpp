#include "caseclash.h"

#include <muze/remote/fsops.h>
#include <muze/sync/syncpaths.h>

#include <algorithm>

namespace muze::sync {

namespace fs = remote::fs;

namespace {
QString uniqueClashName(const QString& path, const QSet<QString>& usedKeys)
{
    for (int n = 1;; ++n) {
        const QString candidate = caseClashPath(path, n);
        if (!usedKeys.contains(pathKey(candidate)))
            return candidate;
    }
}
} // namespace

// Names that differ only in case cannot coexist on Dropbox or macOS. Local: the name the
// journal knows (or the first) stays, others are renamed "<name> (case clash).<ext>". Remote:
// a spelling the journal does not know is fetched under a clash name and removed remotely.
// Returns true when remote files were handled (the caller lists again), or the error that
// must stop the run.
Result<bool> resolveCaseClashes(const QString& root, ScanResult& scan, const QHash<QString, RemoteRow>& mirror,
                                const QHash<QString, JournalRow>& rows, Propagator& propagator,
                                remote::RemoteStore& remote, Journal& journal, QSet<QString>& failedThisRun,
                                SyncReport& report)
{
    bool remoteClashHandled = false;
    QHash<QString, QStringList> localByKey, remoteByKey;
    for (auto it = scan.files.cbegin(); it != scan.files.cend(); ++it)
        localByKey[pathKey(it.key())] << it.key();
    for (auto it = mirror.cbegin(); it != mirror.cend(); ++it)
        remoteByKey[pathKey(it.key())] << it.key();
    // Every name in use, for picking clash names: built only when there is a clash.
    QSet<QString> usedKeys;
    bool usedKnown = false;
    auto used = [&]() -> QSet<QString>& {
        if (!usedKnown) {
            usedKnown = true;
            for (auto it = localByKey.cbegin(); it != localByKey.cend(); ++it)
                usedKeys.insert(it.key());
            for (auto it = remoteByKey.cbegin(); it != remoteByKey.cend(); ++it)
                usedKeys.insert(it.key());
            for (auto it = rows.cbegin(); it != rows.cend(); ++it)
                usedKeys.insert(pathKey(it.key()));
        }
        return usedKeys;
    };
    QStringList localLosers;
    for (auto it = localByKey.begin(); it != localByKey.end(); ++it) {
        QStringList& paths = it.value();
        std::sort(paths.begin(), paths.end());
        if (paths.size() > 1) {
            QString keeper = paths.first();
            for (const QString& p : paths) {
                if (rows.contains(p)) {
                    keeper = p;
                    break;
                }
            }
            for (const QString& p : paths) {
                if (p != keeper)
                    localLosers << p;
            }
        } else if (!rows.contains(paths.first())) {
            // A new local name against a new remote name spelled differently.
            for (const QString& r : remoteByKey.value(it.key())) {
                if (r != paths.first() && !rows.contains(r)) {
                    localLosers << paths.first();
                    break;
                }
            }
        }
    }
    for (const QString& p : localLosers) {
        LocalFile f = scan.files.take(p);
        const QString newPath = uniqueClashName(p, used());
        used().insert(pathKey(newPath));
        const QString dir = f.diskPath.contains(QLatin1Char('/')) ? f.diskPath.left(f.diskPath.lastIndexOf(QLatin1Char('/')) + 1) : QString();
        const QString newDisk = dir + newPath.mid(newPath.lastIndexOf(QLatin1Char('/')) + 1);
        if (Status s = fs::renameDurably(root + QLatin1Char('/') + f.diskPath, root + QLatin1Char('/') + newDisk); !s) {
            report.errors << QStringLiteral("%1: %2").arg(p, s.errorString());
            continue;
        }
        report.notes << QStringLiteral("%1: renamed to %2 (another file's name differs only in case)").arg(p, newPath);
        f.path = newPath;
        f.diskPath = newDisk;
        scan.files.insert(newPath, f);
    }
    for (auto it = remoteByKey.cbegin(); it != remoteByKey.cend(); ++it) {
        if (it->size() < 2)
            continue;
        QStringList paths = *it;
        std::sort(paths.begin(), paths.end());
        QString keeper = paths.first();
        for (const QString& p : paths) {
            if (rows.contains(p)) {
                keeper = p;
                break;
            }
        }
        for (const QString& loser : paths) {
            if (loser == keeper || rows.contains(loser) || failedThisRun.contains(loser))
                continue;
            const QString id = mirror.value(loser).id;
            if (!id.isEmpty() && id == mirror.value(keeper).id) {
                // Two spellings of one remote file (a stale row): removing the "loser" would
                // delete the keeper itself, perhaps the only copy. Forget the stale spelling.
                if (Status s = journal.removeRemote(loser); !s)
                    return s.error();
                remoteClashHandled = true;
                continue;
            }
            // Fetch it under a clash name; once safe here, take it off the remote. The
            // new local file goes up under its new name next pass.
            const QString newPath = uniqueClashName(loser, used());
            used().insert(pathKey(newPath));
            RemoteRow source = mirror.value(loser);
            StepResult got = propagator.fetchInto(loser, source, newPath);
            if (got.outcome == Outcome::Done) {
                Status removed = remote.remove(loser, source.rev);
                if (removed || removed.error().is(errc::not_found))
                    (void)journal.removeRemote(loser);
                report.notes << QStringLiteral("%1: fetched as %2 (another remote file's name differs only in case)")
                                    .arg(loser, newPath);
            } else if (got.outcome == Outcome::Stop) {
                return got.error;
            } else {
                failedThisRun.insert(loser);
                report.errors << QStringLiteral("%1: %2").arg(loser, got.error.message);
            }
            remoteClashHandled = true;
        }
    }
    return remoteClashHandled;
}

} // namespace muze::sync
