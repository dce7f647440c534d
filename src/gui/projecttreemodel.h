#pragma once
// ProjectTreeModel: Collections > Projects > Mixes of one vault as a QAbstractItemModel
// (KeePassXC's GroupModel is the pattern). Its content is read off the GUI thread into a
// TreeSnapshot (loadTreeSnapshot, any thread); apply() then brings the model to the snapshot
// row by row — removes, moves, inserts and dataChanged — so views keep their selection,
// expansion and scroll position, and a 10,000-item vault never stalls the event loop with a
// full rebuild. Sync badges are computed from a FileStateModel and only rows whose badge
// changed are repainted. GUI thread only (except loadTreeSnapshot / loadMixEntry).

#include <muze/model/tree.h>
#include <muze/sync/syncstatus.h>

#include <QAbstractItemModel>
#include <QHash>
#include <QIcon>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace muze::gui {

class FileStateModel;

/// One row as read from disk: a plain value, built on any thread.
struct TreeEntry {
    QString id;
    model::ItemKind kind = model::ItemKind::Collection;
    QString name;
    QStringList paths; // a folder: its vault-relative dir; a mix: its JSON, then its takes
    size_t stamp = 0;  // a mix: hash of its JSON (changes when anything in it changes)
    std::vector<TreeEntry> children;
};

struct TreeSnapshot {
    QString root;
    std::vector<TreeEntry> collections;
    QStringList issues; // files that could not be read
    QString error;      // the vault itself could not be read
};

/// Reads the whole vault (VaultStore::load) into a snapshot. Any thread.
TreeSnapshot loadTreeSnapshot(const QString& root);
/// Reads one mix file (vault-relative) into an entry. Any thread.
std::optional<TreeEntry> loadMixEntry(const QString& root, const QString& mixFile);

class ProjectTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        KindRole,
        PathsRole,
        StateRole, // int(sync::FileState) shown, or -1 before sync reported
    };

    explicit ProjectTreeModel(QObject* parent = nullptr);
    ~ProjectTreeModel() override;

    void setIcons(const QIcon& folder, const QIcon& mix);
    void setFileStates(FileStateModel* states);
    void setVaultId(const QString& vaultId);

    /// Brings the rows to `snapshot`: returns the ids of mixes whose content changed.
    QStringList apply(const TreeSnapshot& snapshot);
    /// Replaces one row's own data (not its children); false if the id is not a row.
    bool updateEntry(const TreeEntry& entry);
    void clear();
    /// Recomputes sync badges and repaints the rows whose badge changed.
    void refreshStates();

    QModelIndex indexOf(const QString& id) const;
    const TreeEntry* entry(const QString& id) const;
    int itemCount() const { return int(m_byId.size()); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

Q_SIGNALS:
    /// The user typed a new name in the view (the model shows it at once; the owner saves it).
    void renameRequested(const QString& id, const QString& name);

private:
    struct Node {
        TreeEntry entry; // children unused: see `children`
        Node* parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        sync::FileSyncState shown;
        int badge = -1; // state * 1000 + percent + 1, or -1 when no state is known
    };

    Node* nodeOf(const QModelIndex& index) const;
    QModelIndex indexOfNode(const Node* node) const;
    int rowOf(const Node* node) const;
    std::unique_ptr<Node> makeNode(const TreeEntry& entry, Node* parent);
    void forget(const Node* node);
    void follow(Node* parent, const std::vector<TreeEntry>& wanted, QStringList& changedMixes);
    bool setOwnData(Node* node, const TreeEntry& entry);
    void computeBadge(Node* node, bool known);
    void refreshAncestors(Node* node); // a mix's new takes change its project's and collection's badge
    QIcon iconOf(const Node* node) const;

    Node m_root;
    QHash<QString, Node*> m_byId;
    FileStateModel* m_states = nullptr;
    QString m_vaultId;
    QIcon m_folder;
    QIcon m_mix;
    mutable QHash<int, QIcon> m_icons; // (mix?, badge) → icon, drawn once
};

} // namespace muze::gui
