#pragma once
// Case-insensitive name clashes (private to muze_sync; the engine calls it each pass).

#include "propagator.h"

#include <muze/remote/remotestore.h>
#include <muze/sync/journal.h>
#include <muze/sync/scanner.h>
#include <muze/sync/syncengine.h>

#include <QHash>
#include <QSet>

namespace muze::sync {

// Names that differ only in case cannot coexist on Dropbox or macOS. Local: the name the
// journal knows (or the first) stays, others are renamed "<name> (case clash).<ext>". Remote:
// a spelling the journal does not know is fetched under a clash name and removed remotely.
// Returns true when remote files were handled (the caller lists again), or the error that
// must stop the run.
Result<bool> resolveCaseClashes(const QString& root, ScanResult& scan, const QHash<QString, RemoteRow>& mirror,
                                const QHash<QString, JournalRow>& rows, Propagator& propagator,
                                remote::RemoteStore& remote, Journal& journal, QSet<QString>& failedThisRun,
                                SyncReport& report);

} // namespace muze::sync
