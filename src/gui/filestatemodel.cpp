#include "filestatemodel.h"

#include <QTimer>

namespace muze::gui {

using sync::FileState;
using sync::FileSyncState;

FileStateModel::FileStateModel(QObject* parent)
    : QObject(parent)
    , m_notify(new QTimer(this))
{
    m_notify->setSingleShot(true);
    m_notify->setInterval(50); // views repaint at most ~20 times a second
    connect(m_notify, &QTimer::timeout, this, [this] {
        const QSet<QString> dirty = std::exchange(m_dirty, {});
        for (const QString& id : dirty)
            Q_EMIT changed(id);
    });
}

void FileStateModel::apply(const QString& vaultId, const sync::FileSyncStates& states, bool snapshot)
{
    QHash<QString, FileSyncState>& files = m_files[vaultId];
    if (snapshot) {
        // A snapshot lists every file the vault knows: it replaces what we had.
        QHash<QString, FileSyncState> fresh;
        fresh.reserve(states.size());
        for (const FileSyncState& s : states)
            fresh.insert(s.path, s);
        files.swap(fresh);
    } else {
        for (const FileSyncState& s : states)
            files.insert(s.path, s);
    }
    m_stale.insert(vaultId);
    m_dirty.insert(vaultId);
    if (!m_notify->isActive())
        m_notify->start();
}

void FileStateModel::forget(const QString& vaultId)
{
    m_files.remove(vaultId);
    m_folders.remove(vaultId);
    Q_EMIT changed(vaultId);
}

FileSyncState FileStateModel::state(const QString& vaultId, const QString& path, bool* known) const
{
    const auto v = m_files.constFind(vaultId);
    if (v != m_files.cend()) {
        const auto f = v->constFind(path);
        if (f != v->cend()) {
            if (known)
                *known = true;
            return *f;
        }
    }
    if (known)
        *known = false;
    return FileSyncState{path, FileState::Synced, {}, -1, -1};
}

void FileStateModel::rebuildFolders(const QString& vaultId) const
{
    QHash<QString, FileState>& folders = m_folders[vaultId];
    folders.clear();
    // collections/<cid>/projects/<pid>/...: one pass, each file raises its two folders.
    for (const FileSyncState& s : m_files.value(vaultId)) {
        if (!s.path.startsWith(QLatin1String("collections/")))
            continue;
        const int c = s.path.indexOf(QLatin1Char('/'), 12);
        if (c < 0)
            continue;
        const QString collection = s.path.left(c);
        folders[collection] = sync::worstFileState(folders.value(collection, FileState::Synced), s.state);
        if (s.path.mid(c + 1).startsWith(QLatin1String("projects/"))) {
            const int p = s.path.indexOf(QLatin1Char('/'), c + 10);
            if (p > 0) {
                const QString project = s.path.left(p);
                folders[project] = sync::worstFileState(folders.value(project, FileState::Synced), s.state);
            }
        }
    }
    m_stale.remove(vaultId);
}

FileState FileStateModel::folderState(const QString& vaultId, const QString& dir) const
{
    if (m_stale.contains(vaultId) || !m_folders.contains(vaultId))
        rebuildFolders(vaultId);
    return m_folders.value(vaultId).value(dir, FileState::Synced);
}

FileState FileStateModel::worstOf(const QString& vaultId, const QStringList& paths) const
{
    FileState worst = FileState::Synced;
    for (const QString& p : paths)
        worst = sync::worstFileState(worst, state(vaultId, p).state);
    return worst;
}

QStringList FileStateModel::pathsIn(const QString& vaultId, const QString& dir, FileState st) const
{
    QStringList out;
    const QString prefix = dir.isEmpty() ? QString() : dir + QLatin1Char('/');
    for (const FileSyncState& s : m_files.value(vaultId)) {
        if (s.state == st && s.path.startsWith(prefix))
            out << s.path;
    }
    out.sort();
    return out;
}

} // namespace muze::gui
