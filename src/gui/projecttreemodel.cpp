// ProjectTreeModel: rows, roles and sync badges. The row-by-row update from a snapshot is in
// projecttreediff.cpp, reading the vault into a snapshot in projecttreeload.cpp.
#include "projecttreemodel.h"

#include "filestatemodel.h"
#include "syncbadges.h"

#include <QFont>

#include <algorithm>

namespace muze::gui {

using model::ItemKind;
using sync::FileState;

ProjectTreeModel::ProjectTreeModel(QObject* parent) : QAbstractItemModel(parent) {}

ProjectTreeModel::~ProjectTreeModel() = default;

void ProjectTreeModel::setIcons(const QIcon& folder, const QIcon& mix)
{
    m_folder = folder;
    m_mix = mix;
    m_icons.clear();
}

void ProjectTreeModel::setFileStates(FileStateModel* states)
{
    m_states = states;
    refreshStates();
}

void ProjectTreeModel::setVaultId(const QString& vaultId)
{
    if (vaultId == m_vaultId)
        return;
    m_vaultId = vaultId;
    clear(); // another vault's rows are not this one's
}

void ProjectTreeModel::clear()
{
    if (m_root.children.empty())
        return;
    beginResetModel();
    m_root.children.clear();
    m_byId.clear();
    endResetModel();
}

ProjectTreeModel::Node* ProjectTreeModel::nodeOf(const QModelIndex& index) const
{
    return index.isValid() ? static_cast<Node*>(index.internalPointer()) : const_cast<Node*>(&m_root);
}

int ProjectTreeModel::rowOf(const Node* node) const
{
    const auto& siblings = node->parent->children;
    for (size_t i = 0; i < siblings.size(); ++i) {
        if (siblings[i].get() == node)
            return int(i);
    }
    return -1;
}

QModelIndex ProjectTreeModel::indexOfNode(const Node* node) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(rowOf(node), 0, const_cast<Node*>(node));
}

QModelIndex ProjectTreeModel::indexOf(const QString& id) const
{
    return indexOfNode(m_byId.value(id));
}

const TreeEntry* ProjectTreeModel::entry(const QString& id) const
{
    const Node* node = m_byId.value(id);
    return node ? &node->entry : nullptr;
}

QModelIndex ProjectTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    const Node* p = nodeOf(parent);
    if (column != 0 || row < 0 || size_t(row) >= p->children.size())
        return {};
    return createIndex(row, 0, p->children[size_t(row)].get());
}

QModelIndex ProjectTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    return indexOfNode(nodeOf(child)->parent);
}

int ProjectTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int ProjectTreeModel::columnCount(const QModelIndex&) const { return 1; }

Qt::ItemFlags ProjectTreeModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable;
}

QVariant ProjectTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node* node = nodeOf(index);
    const TreeEntry& e = node->entry;
    const bool known = node->badge >= 0;
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return e.name;
    case Qt::DecorationRole:
        return iconOf(node);
    case Qt::FontRole:
        if (e.kind == ItemKind::Collection) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole:
        if (e.kind == ItemKind::Mix) {
            const QString tracks = tr("%n track(s)", "", int(e.paths.size()) - 1);
            return known ? tracks + QLatin1Char('\n') + fileStateText(node->shown) : tracks;
        }
        return known ? fileStateText(node->shown) : QString();
    case Qt::AccessibleDescriptionRole:
        return known ? fileStateText(node->shown) : QString();
    case IdRole:
        return e.id;
    case KindRole:
        return int(e.kind);
    case PathsRole:
        return e.paths;
    case StateRole:
        return known ? int(node->shown.state) : -1;
    default:
        return {};
    }
}

bool ProjectTreeModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || role != Qt::EditRole)
        return false;
    Node* node = nodeOf(index);
    const QString name = value.toString().trimmed();
    if (name.isEmpty() || name == node->entry.name)
        return false;
    node->entry.name = name; // shown at once; the owner saves it and the next load confirms it
    Q_EMIT dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole});
    Q_EMIT renameRequested(node->entry.id, name);
    return true;
}

QIcon ProjectTreeModel::iconOf(const Node* node) const
{
    const bool mix = node->entry.kind == ItemKind::Mix;
    const QIcon& base = mix ? m_mix : m_folder;
    if (node->badge < 0)
        return base;
    const int key = (mix ? 1'000'000 : 0) + node->badge;
    auto it = m_icons.constFind(key);
    if (it == m_icons.cend()) {
        const int percent = node->badge % 1000 - 1;
        it = m_icons.insert(key, badgedIcon(base, FileState(node->badge / 1000), percent));
    }
    return *it;
}

void ProjectTreeModel::computeBadge(Node* node, bool known)
{
    const TreeEntry& e = node->entry;
    sync::FileSyncState shown{e.id, FileState::Synced, {}, -1, -1};
    if (known && e.kind == ItemKind::Mix) {
        // The worst of its files; a transfer in flight shows its progress, an error its reason.
        for (const QString& p : e.paths) {
            const sync::FileSyncState s = m_states->state(m_vaultId, p);
            if (sync::worstFileState(shown.state, s.state) != shown.state || shown.state == FileState::Synced)
                shown = s;
        }
    } else if (known) {
        shown.state = m_states->folderState(m_vaultId, e.paths.value(0));
    }
    const int percent = shown.state == FileState::Syncing && shown.bytesTotal > 0
        ? int(100 * std::max<qint64>(0, shown.bytesDone) / shown.bytesTotal)
        : -1;
    node->shown = shown;
    node->badge = known ? int(shown.state) * 1000 + percent + 1 : -1;
}

void ProjectTreeModel::refreshStates()
{
    const bool known = m_states && m_states->hasStates(m_vaultId);
    const QList<int> roles{Qt::DecorationRole, Qt::ToolTipRole, Qt::AccessibleDescriptionRole, StateRole};
    // One dataChanged per parent spanning the rows that changed: a view repaints once.
    std::vector<Node*> parents{&m_root};
    while (!parents.empty()) {
        Node* parent = parents.back();
        parents.pop_back();
        int first = -1;
        int last = -1;
        for (size_t i = 0; i < parent->children.size(); ++i) {
            Node* node = parent->children[i].get();
            const int before = node->badge;
            const QString reason = node->shown.detail;
            computeBadge(node, known);
            if (node->badge != before || node->shown.detail != reason) {
                first = first < 0 ? int(i) : first;
                last = int(i);
            }
            if (!node->children.empty())
                parents.push_back(node);
        }
        if (first >= 0) {
            const QModelIndex p = indexOfNode(parent);
            Q_EMIT dataChanged(index(first, 0, p), index(last, 0, p), roles);
        }
    }
}

} // namespace muze::gui
