#pragma once
// Collections > Projects > Mixes of the current vault, with create, rename (inline) and
// delete, and a search field that filters it. Reads the vault through VaultStore; files that
// cannot be read show as a warning above the tree, the rest stays usable.

#include <muze/model/tree.h>

#include <QSet>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace muze::gui {

class FileStateModel;

class ProjectTree : public QWidget {
    Q_OBJECT
public:
    explicit ProjectTree(QWidget* parent = nullptr);

    void setVault(const QString& root, const QString& vaultId); // "" = no vault
    void reload();

    QTreeWidget* tree() const { return m_tree; }
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

    /// Selects the item with this id (after a reload) if present.
    void select(const QString& id);
    QString selectedId() const;

Q_SIGNALS:
    void mixSelected(const QString& mixId); // "" when no mix is selected
    void errorOccurred(const QString& message);

private:
    void applySyncStates();
    void create(model::ItemKind kind);
    void renameItem(QTreeWidgetItem* item);
    void deleteSelected();
    void updateActions();
    QTreeWidgetItem* findItem(const QString& id) const;
    void runSearch();
    /// Shows every item (no filter), or the matches, their ancestors and their descendants.
    void applyFilter(const QSet<QString>* matches);

    QString m_root;
    QString m_vaultId;
    QLineEdit* m_search = nullptr;
    QLabel* m_searchInfo = nullptr;
    QTimer* m_searchDelay = nullptr;
    int m_searchGeneration = 0;
    QTreeWidget* m_tree = nullptr;
    QLabel* m_issues = nullptr;
    QAction* m_newCollection = nullptr;
    QAction* m_newProject = nullptr;
    QAction* m_newMix = nullptr;
    QAction* m_rename = nullptr;
    QAction* m_delete = nullptr;
    bool m_loading = false;
    FileStateModel* m_states = nullptr;
};

} // namespace muze::gui
