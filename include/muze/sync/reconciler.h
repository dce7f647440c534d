#pragma once
// The reconciler: a pure function from (local scan, remote mirror, journal) to actions,
// DESIGN.md §3's table made code. No I/O, no clock; tested row by row.
//
//   local vs journal × remote vs journal  → action
//   unchanged  unchanged  → none (record, when only the stat moved)
//   changed    unchanged  → upload (update, journal rev)
//   unchanged  changed    → download
//   changed    changed    → record when the content is equal; else resolve (JSON: three-way
//                           merge; other files: conflicted copy)
//   deleted    unchanged  → delete remote (journal rev)
//   unchanged  deleted    → delete local
//   deleted    changed    → download (the change wins)
//   changed    deleted    → upload (add: the change wins)
//   deleted    deleted    → forget the row
//   new        new        → like changed/changed
//   new        absent     → upload (add);   absent  new → download, or cloud-only for audio
//                                              the vault fetches on demand
// A local file being recorded or written (scan skip) is skipped whatever the remote did.
// With audio sync off (DataTypes::JsonOnly) an audio file is never uploaded, downloaded or
// resolved: those become skips ("audio sync is off"); deletes and journal-only steps still apply.

#include <muze/remote/remotestore.h>
#include <muze/sync/journal.h>
#include <muze/sync/scanner.h>
#include <muze/sync/syncsettings.h>

#include <QHash>
#include <QSet>
#include <QString>

#include <vector>

namespace muze::sync {

enum class Side { Unchanged, Changed, Deleted, New, Absent };
QString sideName(Side s);

enum class ActionKind {
    None,
    Record,       // both sides hold what the journal should say: write the row, move nothing
    Upload,
    Download,
    DeleteRemote,
    DeleteLocal,
    Forget,       // gone on both sides: drop the row
    Resolve,      // both changed: merge (JSON) or conflicted copy (other files)
    CloudOnly,    // remote file not fetched (audio on demand / audio off): row without a local file
    Skip,         // not this round (recording, settling, audio sync off)
};
QString actionName(ActionKind k);

struct Action {
    ActionKind kind = ActionKind::None;
    QString path;
    Side local = Side::Absent;
    Side remote = Side::Absent;
    remote::WriteMode mode = remote::WriteMode::Add; // Upload
    QString rev;                                     // Upload(update) / DeleteRemote
    QString why;                                     // Skip reason, or a note for logs
};

struct ReconcileOptions {
    bool encrypted = false; // remote hashes are of ciphertext: equality needs a download
    DataTypes dataTypes = DataTypes::All;
    AudioDownload audioDownload = AudioDownload::All;
    QSet<QString> wanted; // audio asked for explicitly
};

Action reconcileOne(const QString& path, const LocalFile* local, const RemoteRow* remote, const JournalRow* row,
                    const ReconcileOptions& options);

/// Every path of the three inputs, in a stable order (paths sorted).
std::vector<Action> reconcile(const QHash<QString, LocalFile>& local, const QHash<QString, RemoteRow>& remote,
                              const QHash<QString, JournalRow>& journal, const ReconcileOptions& options);

/// Rule 5: more than half of one side's files (and at least kMassDeleteMinimum) deleted by one pass.
constexpr int kMassDeleteMinimum = 3;
struct MassDelete {
    int localDeletes = 0;
    int localFiles = 0;
    int remoteDeletes = 0;
    int remoteFiles = 0;
    bool tripped = false;
    QString message;
};
MassDelete checkMassDelete(const std::vector<Action>& actions, int localFiles, int remoteFiles);

} // namespace muze::sync
