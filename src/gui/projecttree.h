#pragma once
// Collections > Projects > Mixes of the current vault, with create, rename (inline) and
// delete, and a search field that filters it. A QTreeView over ProjectTreeModel: the vault is
// read off the GUI thread and the rows follow it one by one (selection and expansion stay).
// Files that cannot be read show as a warning above the tree, the rest stays usable.

#include <muze/model/tree.h>

#include <QSet>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class QAction;
class QLabel;
class QLineEdit;
class QTimer;
class QModelIndex;
class QTreeView;

namespace muze::gui {

class FileStateModel;
class ProjectTreeModel;
struct TreeSnapshot;

class ProjectTree : public QWidget {
    Q_OBJECT
public:
    explicit ProjectTree(QWidget* parent = nullptr);

    void setVault(const QString& root, const QString& vaultId); // "" = no vault
    /// Reads the vault again off the GUI thread; loaded() when the rows show it.
    void reload();
    /// Reads one mix again (its name, takes, badge) and updates only its row.
    void reloadItem(const QString& id);
    bool isLoading() const { return m_loadRunning; }

    QTreeView* tree() const { return m_tree; }
    ProjectTreeModel* model() const { return m_model; }
    /// Filters the tree to the items whose name, notes or tags hold every word typed (and
    /// the items around them); an encrypted vault answers from its blind index.
    QLineEdit* searchField() const { return m_search; }
    QLabel* searchInfo() const { return m_searchInfo; }
    QAction* newCollectionAction() const { return m_newCollection; }
    QAction* newProjectAction() const { return m_newProject; }
    QAction* newMixAction() const { return m_newMix; }
    QAction* renameAction() const { return m_rename; }
    QAction* deleteAction() const { return m_delete; }

    /// Shows each item's sync state (projecttreesync.cpp): a mix the worst of its JSON and
    /// takes, a project or collection the worst of what it holds.
    void setFileStates(FileStateModel* states);
    /// The vault-relative files an item stands for (a mix: its JSON and takes) or its folder.
    QStringList pathsOf(const QString& id) const;
    QString folderOf(const QString& id) const;

    /// Selects the item with this id if present, or as soon as a running load brings it.
    void select(const QString& id);
    QString selectedId() const;

Q_SIGNALS:
    void mixSelected(const QString& mixId); // "" when no mix is selected
    void errorOccurred(const QString& message);
    /// A load finished: the rows show the vault as it was read.
    void loaded();

private:
    void applySnapshot(const TreeSnapshot& snapshot);
    void onCurrentChanged(const QModelIndex& current);
    void create(model::ItemKind kind);
    void renameItem(const QString& id, const QString& name);
    void deleteSelected();
    void updateActions();
    /// Runs `afterLoad` once the next load has finished.
    void reloadThen(std::function<void()> afterLoad);
    void runSearch();
    /// Shows every item (no filter), or the matches, their ancestors and their descendants.
    void applyFilter(const QSet<QString>* matches);

    QString m_root;
    QString m_vaultId;
    QLineEdit* m_search = nullptr;
    QLabel* m_searchInfo = nullptr;
    QTimer* m_searchDelay = nullptr;
    int m_searchGeneration = 0;
    QTreeView* m_tree = nullptr;
    ProjectTreeModel* m_model = nullptr;
    QLabel* m_issues = nullptr;
    QAction* m_newCollection = nullptr;
    QAction* m_newProject = nullptr;
    QAction* m_newMix = nullptr;
    QAction* m_rename = nullptr;
    QAction* m_delete = nullptr;
    bool m_applying = false; // the model is following a snapshot: no mixSelected per row
    bool m_loadRunning = false;
    bool m_reloadAgain = false;
    int m_loadGeneration = 0;
    QString m_pendingSelect; // select() of an id the running load may bring
    std::vector<std::function<void()>> m_afterLoad;
    QSet<QString> m_editedHere; // mixes this window saved: their reload is no news to the mix view
    FileStateModel* m_states = nullptr;
};

} // namespace muze::gui
