#include <muze/sync/reconciler.h>

#include <muze/sync/syncpaths.h>

#include <algorithm>

namespace muze::sync {

QString sideName(Side s)
{
    switch (s) {
    case Side::Unchanged: return QStringLiteral("unchanged");
    case Side::Changed: return QStringLiteral("changed");
    case Side::Deleted: return QStringLiteral("deleted");
    case Side::New: return QStringLiteral("new");
    case Side::Absent: return QStringLiteral("absent");
    }
    return {};
}

QString actionName(ActionKind k)
{
    switch (k) {
    case ActionKind::None: return QStringLiteral("none");
    case ActionKind::Record: return QStringLiteral("record");
    case ActionKind::Upload: return QStringLiteral("upload");
    case ActionKind::Download: return QStringLiteral("download");
    case ActionKind::DeleteRemote: return QStringLiteral("delete_remote");
    case ActionKind::DeleteLocal: return QStringLiteral("delete_local");
    case ActionKind::Forget: return QStringLiteral("forget");
    case ActionKind::Resolve: return QStringLiteral("resolve");
    case ActionKind::CloudOnly: return QStringLiteral("cloud_only");
    case ActionKind::Skip: return QStringLiteral("skip");
    }
    return {};
}

namespace {

// DESIGN.md §3's table, for a file that may move. The rules around it are in reconcileOne().
Action decide(const QString& path, const LocalFile* local, const RemoteRow* remote, const JournalRow* row,
              const ReconcileOptions& options, bool fetch)
{
    Action a;
    a.path = path;

    const bool rowHasLocal = row && row->localPresent;
    const bool rowHasRemote = row && !row->remoteRev.isEmpty();
    if (rowHasLocal)
        a.local = !local ? Side::Deleted : (!local->skip.isEmpty() || local->hash != row->localHash) ? Side::Changed : Side::Unchanged;
    else
        a.local = local ? Side::New : Side::Absent;
    if (rowHasRemote) {
        const bool same = remote && (remote->rev == row->remoteRev || (!remote->hash.isEmpty() && remote->hash == row->remoteHash));
        a.remote = !remote ? Side::Deleted : same ? Side::Unchanged : Side::Changed;
    } else {
        a.remote = remote ? Side::New : Side::Absent;
    }

    auto make = [&](ActionKind k, QString why = {}) {
        a.kind = k;
        a.why = std::move(why);
        return a;
    };
    // Equal content decides without a transfer when both hashes are of plaintext.
    const bool knownEqual = local && remote && !options.encrypted && !local->hash.isEmpty() && local->hash == remote->hash;

    switch (a.local) {
    case Side::Unchanged:
        switch (a.remote) {
        case Side::Unchanged:
            return local->statMatchesJournal ? make(ActionKind::None) : make(ActionKind::Record, QStringLiteral("stat moved"));
        case Side::Changed:
            return make(ActionKind::Download);
        case Side::Deleted:
            return make(ActionKind::DeleteLocal);
        default:
            break;
        }
        break;
    case Side::Changed:
        switch (a.remote) {
        case Side::Unchanged:
            a.mode = remote::WriteMode::Update;
            // The listed rev: "unchanged" may mean the same bytes under a new rev (a device
            // rewrote it as it was); the journal's older rev would be refused for ever.
            a.rev = remote->rev;
            return make(ActionKind::Upload);
        case Side::Changed:
            if (knownEqual)
                return make(ActionKind::Record, QStringLiteral("equal content"));
            return make(ActionKind::Resolve);
        case Side::Deleted:
            a.mode = remote::WriteMode::Add;
            return make(ActionKind::Upload, QStringLiteral("the change wins over the delete"));
        default:
            break;
        }
        break;
    case Side::Deleted:
        switch (a.remote) {
        case Side::Unchanged:
            a.rev = remote->rev; // the listed rev, as for an upload
            return make(ActionKind::DeleteRemote);
        case Side::Changed:
            return make(ActionKind::Download, QStringLiteral("the change wins over the delete"));
        case Side::Deleted:
            return make(ActionKind::Forget);
        default:
            break;
        }
        break;
    case Side::New:
        // No row, or a cloud-only row whose file now appeared locally: the journal never saw
        // this local content, so it is treated like new/new against whatever the remote has.
        switch (a.remote) {
        case Side::New:
        case Side::Unchanged:
        case Side::Changed:
            if (knownEqual)
                return make(ActionKind::Record, QStringLiteral("equal content"));
            return make(ActionKind::Resolve);
        case Side::Absent:
        case Side::Deleted:
            a.mode = remote::WriteMode::Add;
            return make(ActionKind::Upload);
        }
        break;
    case Side::Absent:
        switch (a.remote) {
        case Side::New:
            return fetch ? make(ActionKind::Download) : make(ActionKind::CloudOnly);
        case Side::Unchanged: // a cloud-only row
            return fetch ? make(ActionKind::Download) : make(ActionKind::None);
        case Side::Changed:
            return fetch ? make(ActionKind::Download) : make(ActionKind::CloudOnly);
        case Side::Deleted:
            return make(ActionKind::Forget);
        case Side::Absent:
            return row ? make(ActionKind::Forget) : make(ActionKind::None);
        }
        break;
    }
    return make(ActionKind::None);
}

bool transfers(ActionKind k) { return k == ActionKind::Upload || k == ActionKind::Download || k == ActionKind::Resolve; }

// The table's sides stay (for logs); what the table chose does not happen this round.
Action skipped(Action a, QString why)
{
    a.kind = ActionKind::Skip;
    a.why = std::move(why);
    a.mode = remote::WriteMode::Add;
    a.rev.clear();
    return a;
}

} // namespace

Action reconcileOne(const QString& path, const LocalFile* local, const RemoteRow* remote, const JournalRow* row,
                    const ReconcileOptions& options)
{
    const bool audio = isAudioPath(path);
    const bool audioOff = audio && options.dataTypes == DataTypes::JsonOnly;
    // Audio comes down when the vault fetches all of it or it was asked for; never with audio sync off.
    const bool fetch = !audio || (!audioOff && (options.audioDownload == AudioDownload::All || options.wanted.contains(path)));
    Action a = decide(path, local, remote, row, options, fetch);
    // Rule 4: a file being recorded or written is left alone this round, whatever the remote did.
    if (local && !local->skip.isEmpty())
        return skipped(std::move(a), local->skip);
    // Audio sync off: an audio file moves in neither direction. (Deletes, records and forgets
    // still apply, and audio only the remote has stays cloud-only: `fetch` is false.)
    if (audioOff && transfers(a.kind))
        return skipped(std::move(a), QStringLiteral("audio sync is off"));
    return a;
}

std::vector<Action> reconcile(const QHash<QString, LocalFile>& local, const QHash<QString, RemoteRow>& remote,
                              const QHash<QString, JournalRow>& journal, const ReconcileOptions& options)
{
    QSet<QString> paths;
    for (auto it = local.cbegin(); it != local.cend(); ++it)
        paths.insert(it.key());
    for (auto it = remote.cbegin(); it != remote.cend(); ++it)
        paths.insert(it.key());
    for (auto it = journal.cbegin(); it != journal.cend(); ++it)
        paths.insert(it.key());
    QStringList sorted(paths.cbegin(), paths.cend());
    std::sort(sorted.begin(), sorted.end());
    std::vector<Action> out;
    out.reserve(size_t(sorted.size()));
    for (const QString& p : sorted) {
        const auto l = local.constFind(p);
        const auto r = remote.constFind(p);
        const auto j = journal.constFind(p);
        out.push_back(reconcileOne(p, l == local.cend() ? nullptr : &*l, r == remote.cend() ? nullptr : &*r,
                                   j == journal.cend() ? nullptr : &*j, options));
    }
    return out;
}

MassDelete checkMassDelete(const std::vector<Action>& actions, int localFiles, int remoteFiles)
{
    MassDelete m;
    m.localFiles = localFiles;
    m.remoteFiles = remoteFiles;
    for (const Action& a : actions) {
        if (a.kind == ActionKind::DeleteLocal)
            ++m.localDeletes;
        else if (a.kind == ActionKind::DeleteRemote)
            ++m.remoteDeletes;
    }
    const bool local = m.localDeletes >= kMassDeleteMinimum && m.localDeletes * 2 > localFiles;
    const bool remote = m.remoteDeletes >= kMassDeleteMinimum && m.remoteDeletes * 2 > remoteFiles;
    m.tripped = local || remote;
    if (local)
        m.message = QStringLiteral("This sync would delete %1 of the %2 files on this device").arg(m.localDeletes).arg(localFiles);
    else if (remote)
        m.message = QStringLiteral("This sync would delete %1 of the %2 files on the remote").arg(m.remoteDeletes).arg(remoteFiles);
    return m;
}

} // namespace muze::sync
