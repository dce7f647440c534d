// ProjectTree's sync states (badges on mix, project and collection icons, tooltips with the
// reason, kept current from the FileStateModel, which tells at most ~20 times a second), what
// an item stands for on disk, and one row read again after an edit.
#include "background.h"
#include "filestatemodel.h"
#include "projecttree.h"
#include "projecttreemodel.h"

#include <QTreeView>

namespace muze::gui {

void ProjectTree::setFileStates(FileStateModel* states)
{
    m_states = states;
    m_tree->setIconSize(QSize(34, 16)); // icon and badge side by side
    connect(states, &FileStateModel::changed, this, [this](const QString& vaultId) {
        if (vaultId == m_vaultId)
            m_model->refreshStates(); // repaints only the rows whose badge changed
    });
    m_model->setFileStates(states);
}

QStringList ProjectTree::pathsOf(const QString& id) const
{
    const TreeEntry* e = m_model->entry(id);
    return e ? e->paths : QStringList();
}

QString ProjectTree::folderOf(const QString& id) const
{
    const TreeEntry* e = m_model->entry(id);
    if (!e)
        return {};
    if (e->kind != model::ItemKind::Mix)
        return e->paths.value(0);
    const QString mixFile = e->paths.value(0); // collections/c/projects/p/mixes/m.json
    return mixFile.section(QLatin1Char('/'), 0, 3);
}

void ProjectTree::reloadItem(const QString& id)
{
    const TreeEntry* e = m_model->entry(id);
    if (!e || e->kind != model::ItemKind::Mix) {
        reload(); // a folder's row follows from the whole tree
        return;
    }
    const int generation = m_loadGeneration;
    runInBackground(
        this, [root = m_root, file = e->paths.value(0)] { return loadMixEntry(root, file); },
        [this, generation](std::optional<TreeEntry> fresh) {
            if (generation != m_loadGeneration)
                return; // another vault by now
            if (!fresh || !m_model->updateEntry(*fresh))
                reload(); // gone or unreadable: the whole tree says what happened
        });
}

} // namespace muze::gui
