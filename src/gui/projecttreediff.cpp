// ProjectTreeModel::apply: brings the rows to a snapshot one parent at a time — removes what
// is gone, moves what moved, inserts what is new, and reports changed rows — so a view keeps
// its selection and expansion. Also the off-thread readers that make snapshots.
#include "filestatemodel.h"
#include "projecttreemodel.h"

#include <muze/model/layout.h>
#include <muze/model/vaultstore.h>
#include <muze/util/json.h>

#include <QSet>


namespace muze::gui {

using model::ItemKind;

namespace {

size_t stampOf(const Json& data) { return qHash(QByteArray::fromStdString(data.dump())); }

TreeEntry mixEntry(const QString& id, const QString& file, const Json& data, const QStringList& takes)
{
    TreeEntry e{id, ItemKind::Mix, jsonString(data, "name"), QStringList{file} + takes, stampOf(data), {}};
    return e;
}

} // namespace

TreeSnapshot loadTreeSnapshot(const QString& root)
{
    TreeSnapshot snap;
    snap.root = root;
    auto tree = model::VaultStore(root).load();
    if (!tree) {
        snap.error = tree.errorString();
        return snap;
    }
    for (const auto& issue : tree->issues)
        snap.issues << issue.message;
    QSet<QString> seen; // an id names one row (a mix file copied into two projects shows once)
    auto fresh = [&seen](const QString& id) {
        const bool isNew = !seen.contains(id);
        seen.insert(id);
        return isNew;
    };
    for (const auto& c : tree->collections) {
        if (!fresh(c.id))
            continue;
        TreeEntry ce{c.id, ItemKind::Collection, c.name(), {model::collectionDir(c.id)}, 0, {}};
        for (const auto& p : c.projects) {
            if (!fresh(p.id))
                continue;
            TreeEntry pe{p.id, ItemKind::Project, p.name(), {model::projectDir(c.id, p.id)}, 0, {}};
            for (const auto& m : p.mixes) {
                if (!fresh(m.id))
                    continue;
                QStringList takes;
                for (const auto& t : m.tracks)
                    takes << t.audioFile;
                pe.children.push_back(mixEntry(m.id, m.file, m.data, takes));
            }
            ce.children.push_back(std::move(pe));
        }
        snap.collections.push_back(std::move(ce));
    }
    return snap;
}

std::optional<TreeEntry> loadMixEntry(const QString& root, const QString& mixFile)
{
    // collections/<cid>/projects/<pid>/mixes/<mid>.json
    const QStringList parts = mixFile.split(QLatin1Char('/'));
    if (parts.size() != 6 || !mixFile.endsWith(QLatin1String(".json")))
        return std::nullopt;
    Result<Json> data = readJsonObjectFile(root + QLatin1Char('/') + mixFile);
    if (!data || !(*data)["tracks"].is_array())
        return std::nullopt;
    QStringList takes;
    for (const Json& t : (*data)["tracks"]) {
        const QString tid = jsonString(t, "id");
        if (!tid.isEmpty())
            takes << model::trackAudioFile(parts[1], parts[3], tid);
    }
    return mixEntry(parts[5].chopped(5), mixFile, *data, takes);
}

std::unique_ptr<ProjectTreeModel::Node> ProjectTreeModel::makeNode(const TreeEntry& entry, Node* parent)
{
    auto node = std::make_unique<Node>();
    node->entry = entry;
    node->entry.children.clear();
    node->parent = parent;
    m_byId.insert(entry.id, node.get());
    const bool known = m_states && m_states->hasStates(m_vaultId);
    computeBadge(node.get(), known);
    for (const TreeEntry& child : entry.children)
        node->children.push_back(makeNode(child, node.get()));
    return node;
}

void ProjectTreeModel::forget(const Node* node)
{
    for (const auto& child : node->children)
        forget(child.get());
    if (m_byId.value(node->entry.id) == node)
        m_byId.remove(node->entry.id);
}

bool ProjectTreeModel::setOwnData(Node* node, const TreeEntry& entry)
{
    TreeEntry& e = node->entry;
    if (e.name == entry.name && e.paths == entry.paths && e.stamp == entry.stamp && e.kind == entry.kind)
        return false;
    e.name = entry.name;
    e.paths = entry.paths;
    e.stamp = entry.stamp;
    e.kind = entry.kind;
    computeBadge(node, m_states && m_states->hasStates(m_vaultId));
    return true;
}

void ProjectTreeModel::refreshAncestors(Node* node)
{
    const bool known = m_states && m_states->hasStates(m_vaultId);
    for (Node* p = node->parent; p && p != &m_root; p = p->parent) {
        const int before = p->badge;
        computeBadge(p, known);
        if (p->badge != before) {
            const QModelIndex at = indexOfNode(p);
            Q_EMIT dataChanged(at, at, {Qt::DecorationRole, Qt::ToolTipRole, Qt::AccessibleDescriptionRole, StateRole});
        }
    }
}

bool ProjectTreeModel::updateEntry(const TreeEntry& entry)
{
    Node* node = m_byId.value(entry.id);
    if (!node)
        return false;
    if (setOwnData(node, entry)) {
        const QModelIndex at = indexOfNode(node);
        Q_EMIT dataChanged(at, at);
        refreshAncestors(node);
    }
    return true;
}

QStringList ProjectTreeModel::apply(const TreeSnapshot& snapshot)
{
    QStringList changedMixes;
    if (m_root.children.empty() && !snapshot.collections.empty()) {
        // First load: one reset is cheaper for a view than thousands of inserts.
        beginResetModel();
        for (const TreeEntry& c : snapshot.collections)
            m_root.children.push_back(makeNode(c, &m_root));
        endResetModel();
        return changedMixes;
    }
    follow(&m_root, snapshot.collections, changedMixes);
    return changedMixes;
}

void ProjectTreeModel::follow(Node* parent, const std::vector<TreeEntry>& wanted, QStringList& changedMixes)
{
    auto& kids = parent->children;
    QSet<QString> want;
    want.reserve(qsizetype(wanted.size()));
    for (const TreeEntry& e : wanted)
        want.insert(e.id);

    // 1. What is gone, in contiguous runs from the end.
    for (int i = int(kids.size()) - 1; i >= 0;) {
        if (want.contains(kids[size_t(i)]->entry.id)) {
            --i;
            continue;
        }
        const int last = i;
        while (i > 0 && !want.contains(kids[size_t(i - 1)]->entry.id))
            --i;
        beginRemoveRows(indexOfNode(parent), i, last);
        for (int k = i; k <= last; ++k)
            forget(kids[size_t(k)].get());
        kids.erase(kids.begin() + i, kids.begin() + last + 1);
        endRemoveRows();
        --i;
    }

    // 2. Walk the wanted order: keep, move up, take over from another parent, or insert.
    for (size_t i = 0; i < wanted.size(); ++i) {
        const TreeEntry& e = wanted[i];
        Node* at = i < kids.size() ? kids[i].get() : nullptr;
        if (!at || at->entry.id != e.id) {
            Node* existing = m_byId.value(e.id);
            if (existing && existing->parent == parent) {
                const int from = rowOf(existing); // always below i: rows above are matched
                beginMoveRows(indexOfNode(parent), from, from, indexOfNode(parent), int(i));
                auto moved = std::move(kids[size_t(from)]);
                kids.erase(kids.begin() + from);
                kids.insert(kids.begin() + qsizetype(i), std::move(moved));
                endMoveRows();
            } else {
                if (existing) { // it moved here from another parent: it leaves there first
                    Node* old = existing->parent;
                    const int row = rowOf(existing);
                    beginRemoveRows(indexOfNode(old), row, row);
                    forget(existing);
                    old->children.erase(old->children.begin() + row);
                    endRemoveRows();
                }
                // A run of new rows goes in with one insert.
                size_t end = i + 1;
                while (end < wanted.size() && !m_byId.contains(wanted[end].id))
                    ++end;
                beginInsertRows(indexOfNode(parent), int(i), int(end) - 1);
                for (size_t k = i; k < end; ++k)
                    kids.insert(kids.begin() + qsizetype(k), makeNode(wanted[k], parent));
                endInsertRows();
                i = end - 1;
                continue;
            }
            at = kids[i].get();
        }
        if (setOwnData(at, e)) {
            const QModelIndex idx = indexOfNode(at);
            Q_EMIT dataChanged(idx, idx);
            if (e.kind == ItemKind::Mix) {
                changedMixes << e.id;
                refreshAncestors(at);
            }
        }
        follow(at, e.children, changedMixes);
    }
}

} // namespace muze::gui
