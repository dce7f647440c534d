#include "projecttree.h"

#include "background.h"
#include "projecttreemodel.h"

#include <muze/model/layout.h>
#include <muze/model/vaultstore.h>
#include <muze/search/vaultsearch.h>

#include <QAction>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <functional>
#include <utility>

namespace muze::gui {

using model::ItemKind;

namespace {
ItemKind kindOf(const QModelIndex& index) { return ItemKind(index.data(ProjectTreeModel::KindRole).toInt()); }
QString idOf(const QModelIndex& index) { return index.data(ProjectTreeModel::IdRole).toString(); }
} // namespace

ProjectTree::ProjectTree(QWidget* parent) : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);

    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_newCollection = bar->addAction(tr("+ Collection"));
    m_newProject = bar->addAction(tr("+ Project"));
    m_newMix = bar->addAction(tr("+ Mix"));
    m_rename = new QAction(tr("Rename"), this);
    m_rename->setShortcut(Qt::Key_F2);
    m_delete = new QAction(tr("Delete…"), this);
    m_delete->setShortcut(QKeySequence::Delete);
    m_newCollection->setObjectName(QStringLiteral("newCollection"));
    m_newProject->setObjectName(QStringLiteral("newProject"));
    m_newMix->setObjectName(QStringLiteral("newMix"));
    layout->addWidget(bar);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("treeSearch"));
    m_search->setPlaceholderText(tr("Search names, notes, tags"));
    m_search->setClearButtonEnabled(true);
    layout->addWidget(m_search);
    m_searchInfo = new QLabel(this);
    m_searchInfo->setObjectName(QStringLiteral("searchInfo"));
    m_searchInfo->setWordWrap(true);
    m_searchInfo->setContentsMargins(6, 2, 6, 2);
    m_searchInfo->hide();
    layout->addWidget(m_searchInfo);
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(250); // a search per pause in typing, not per key
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this, &ProjectTree::runSearch);

    m_issues = new QLabel(this);
    m_issues->setObjectName(QStringLiteral("loadIssues"));
    m_issues->setWordWrap(true);
    m_issues->setStyleSheet(QStringLiteral("background:#fff4ce; color:#5c4400; padding:6px;"));
    m_issues->hide();
    layout->addWidget(m_issues);

    m_model = new ProjectTreeModel(this);
    m_model->setIcons(style()->standardIcon(QStyle::SP_DirIcon), style()->standardIcon(QStyle::SP_MediaVolume));
    m_tree = new QTreeView(this);
    m_tree->setObjectName(QStringLiteral("projectTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setUniformRowHeights(true); // 10,000 rows lay out without measuring each
    m_tree->setModel(m_model);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({m_newCollection, m_newProject, m_newMix, m_rename, m_delete});
    layout->addWidget(m_tree, 1);

    connect(m_newCollection, &QAction::triggered, this, [this] { create(ItemKind::Collection); });
    connect(m_newProject, &QAction::triggered, this, [this] { create(ItemKind::Project); });
    connect(m_newMix, &QAction::triggered, this, [this] { create(ItemKind::Mix); });
    connect(m_rename, &QAction::triggered, this, [this] {
        if (const QModelIndex current = m_tree->currentIndex(); current.isValid())
            m_tree->edit(current);
    });
    connect(m_delete, &QAction::triggered, this, &ProjectTree::deleteSelected);
    connect(m_model, &ProjectTreeModel::renameRequested, this, &ProjectTree::renameItem);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentChanged, this,
        [this](const QModelIndex& current) { onCurrentChanged(current); });
    // New rows open like the rest of the tree (mixes have nothing to open).
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& under, int first, int last) {
        for (int row = first; row <= last; ++row)
            m_tree->expandRecursively(m_model->index(row, 0, under));
    });
    connect(m_model, &QAbstractItemModel::modelReset, m_tree, &QTreeView::expandAll);
    updateActions();
}

void ProjectTree::onCurrentChanged(const QModelIndex& current)
{
    updateActions();
    if (m_applying)
        return;
    m_pendingSelect.clear(); // the user chose: an older select() is moot
    Q_EMIT mixSelected(current.isValid() && kindOf(current) == ItemKind::Mix ? idOf(current) : QString());
}

void ProjectTree::setVault(const QString& root, const QString& vaultId)
{
    m_root = root;
    m_vaultId = vaultId;
    ++m_loadGeneration; // a load of the previous vault is not shown
    m_pendingSelect.clear();
    m_applying = true;
    m_model->setVaultId(vaultId);
    m_model->clear();
    m_applying = false;
    m_issues->hide();
    reload();
    Q_EMIT mixSelected(QString());
}

void ProjectTree::reload()
{
    if (m_loadRunning) { // one read at a time; the newest edits are in the next one
        m_reloadAgain = true;
        return;
    }
    if (m_root.isEmpty()) {
        applySnapshot(TreeSnapshot{});
        return;
    }
    m_loadRunning = true;
    const int generation = m_loadGeneration;
    runInBackground(
        this, [root = m_root] { return loadTreeSnapshot(root); },
        [this, generation](TreeSnapshot snapshot) {
            m_loadRunning = false;
            if (generation != m_loadGeneration || snapshot.root != m_root || std::exchange(m_reloadAgain, false)) {
                // The next read starts first, so applySnapshot() keeps the after-load callbacks
                // (select and name a new item) for it: this snapshot may predate the item.
                const bool current = generation == m_loadGeneration && snapshot.root == m_root;
                reload();
                if (current)
                    applySnapshot(snapshot); // show what we have; the next read follows
                return;
            }
            applySnapshot(snapshot);
        });
}

void ProjectTree::reloadThen(std::function<void()> afterLoad)
{
    m_afterLoad.push_back(std::move(afterLoad));
    reload();
}

void ProjectTree::applySnapshot(const TreeSnapshot& snapshot)
{
    const QModelIndex before = m_tree->currentIndex();
    const QString beforeId = before.isValid() ? idOf(before) : QString();
    const bool wasMix = before.isValid() && kindOf(before) == ItemKind::Mix;
    m_applying = true;
    QStringList changedMixes;
    if (m_root.isEmpty())
        m_model->clear();
    else
        changedMixes = m_model->apply(snapshot);
    const bool stillThere = !beforeId.isEmpty() && m_model->indexOf(beforeId).isValid();
    if (!beforeId.isEmpty() && !stillThere) // gone: nothing is selected, not a neighbour
        m_tree->setCurrentIndex(QModelIndex());
    m_applying = false;

    m_issues->setVisible(!snapshot.error.isEmpty() || !snapshot.issues.isEmpty());
    if (!snapshot.error.isEmpty()) {
        m_issues->setText(snapshot.error);
        m_issues->setToolTip(QString());
    } else if (!snapshot.issues.isEmpty()) {
        m_issues->setText(tr("%n file(s) could not be read; everything else is shown.", "", int(snapshot.issues.size())));
        m_issues->setToolTip(snapshot.issues.join(QLatin1Char('\n')));
    }

    if (!m_pendingSelect.isEmpty() && m_model->indexOf(m_pendingSelect).isValid()) {
        select(std::exchange(m_pendingSelect, {}));
    } else if (!beforeId.isEmpty() && !stillThere) {
        Q_EMIT mixSelected(QString());
    } else if (wasMix && changedMixes.contains(beforeId) && !m_editedHere.contains(beforeId)) {
        Q_EMIT mixSelected(beforeId); // the open mix changed elsewhere (sync): show it again
    }
    m_editedHere.clear();
    updateActions();
    if (!search::queryWords(m_search->text()).isEmpty())
        runSearch(); // the filter follows edits and vault switches
    if (!m_loadRunning) {
        const auto after = std::exchange(m_afterLoad, {});
        for (const auto& f : after)
            f();
        Q_EMIT loaded();
    }
}

void ProjectTree::runSearch()
{
    const QString query = m_search->text();
    const int generation = ++m_searchGeneration;
    if (m_root.isEmpty() || search::queryWords(query).isEmpty()) {
        m_searchInfo->hide();
        applyFilter(nullptr);
        return;
    }
    const QString root = m_root;
    const QString id = m_vaultId;
    runInBackground(
        this, [root, id, query] { return search::searchVault(root, id, query); },
        [this, generation](Result<search::SearchOutcome> r) {
            if (generation != m_searchGeneration)
                return; // a newer query is on its way
            QSet<QString> matches;
            if (!r) {
                m_searchInfo->setText(tr("Cannot search: %1").arg(r.errorString()));
            } else {
                for (const search::Hit& h : r->hits) {
                    // Tracks are not rows of this tree: their mix stands for them.
                    matches.insert(h.kind == ItemKind::Track && !h.ancestorIds.isEmpty() ? h.ancestorIds.last() : h.id);
                }
                const int n = int(r->hits.size());
                m_searchInfo->setText(n == 0 ? tr("Nothing matches.") : n == 1 ? tr("1 match") : tr("%1 matches").arg(n));
            }
            m_searchInfo->show();
            applyFilter(&matches);
        });
}

void ProjectTree::applyFilter(const QSet<QString>* matches)
{
    // Visible: a match, anything inside a match, and the way down to a match.
    std::function<bool(const QModelIndex&, bool)> visit = [&](const QModelIndex& index, bool insideMatch) {
        const bool match = !matches || insideMatch || matches->contains(idOf(index));
        bool below = false;
        for (int i = 0, n = m_model->rowCount(index); i < n; ++i)
            below = visit(m_model->index(i, 0, index), match) || below;
        const bool hide = !(match || below);
        if (m_tree->isRowHidden(index.row(), index.parent()) != hide)
            m_tree->setRowHidden(index.row(), index.parent(), hide);
        return match || below;
    };
    for (int i = 0, n = m_model->rowCount(); i < n; ++i)
        visit(m_model->index(i, 0), false);
}

void ProjectTree::select(const QString& id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (!index.isValid()) {
        if (m_loadRunning && !id.isEmpty())
            m_pendingSelect = id;
        return;
    }
    m_pendingSelect.clear();
    m_tree->setCurrentIndex(index);
    m_tree->scrollTo(index);
}

QString ProjectTree::selectedId() const
{
    const QModelIndex current = m_tree->currentIndex();
    return current.isValid() ? idOf(current) : QString();
}

void ProjectTree::updateActions()
{
    const QModelIndex item = m_tree->currentIndex();
    const bool haveVault = !m_root.isEmpty();
    m_newCollection->setEnabled(haveVault);
    m_newProject->setEnabled(item.isValid());
    m_newMix->setEnabled(item.isValid() && kindOf(item) != ItemKind::Collection);
    m_rename->setEnabled(item.isValid());
    m_delete->setEnabled(item.isValid());
}

void ProjectTree::create(ItemKind kind)
{
    if (m_root.isEmpty())
        return;
    // The parent is the nearest selected ancestor of the right kind.
    auto ancestor = [this](ItemKind want) -> QString {
        for (QModelIndex i = m_tree->currentIndex(); i.isValid(); i = i.parent()) {
            if (kindOf(i) == want)
                return idOf(i);
        }
        return {};
    };
    const QString parent = kind == ItemKind::Project ? ancestor(ItemKind::Collection)
        : kind == ItemKind::Mix                      ? ancestor(ItemKind::Project)
                                                     : QString();
    if (kind != ItemKind::Collection && parent.isEmpty()) {
        Q_EMIT errorOccurred(tr("Select where the new item goes first."));
        return;
    }
    const QString name = kind == ItemKind::Collection ? tr("New collection")
        : kind == ItemKind::Project                   ? tr("New project")
                                                      : tr("New mix");
    runInBackground(
        this,
        [root = m_root, kind, parent, name]() -> Result<QString> {
            const model::VaultStore store(root);
            if (kind == ItemKind::Collection)
                return store.addCollection(name);
            return kind == ItemKind::Project ? store.addProject(parent, name) : store.addMix(parent, name);
        },
        [this](Result<QString> id) {
            if (!id) {
                Q_EMIT errorOccurred(id.errorString());
                return;
            }
            reloadThen([this, id = *id] {
                select(id);
                if (const QModelIndex index = m_model->indexOf(id); index.isValid() && isVisible())
                    m_tree->edit(index); // name it right away, like a file manager
            });
        });
}

void ProjectTree::renameItem(const QString& id, const QString& name)
{
    runInBackground(
        this, [root = m_root, id, name] { return model::VaultStore(root).edit(id, {{QStringLiteral("name"), name}}); },
        [this, id](Status s) {
            if (!s)
                Q_EMIT errorOccurred(s.errorString());
            reload();
        });
}

void ProjectTree::deleteSelected()
{
    const QModelIndex item = m_tree->currentIndex();
    if (!item.isValid())
        return;
    const QString what = model::kindName(kindOf(item));
    const auto answer = QMessageBox::question(this, tr("Delete %1").arg(what),
        tr("Delete the %1 \"%2\" and everything in it? Synced devices will delete it too.")
            .arg(what, item.data().toString()));
    if (answer != QMessageBox::Yes)
        return;
    runInBackground(
        this, [root = m_root, id = idOf(item)] { return model::VaultStore(root).remove(id); },
        [this](Status s) {
            if (!s)
                Q_EMIT errorOccurred(s.errorString());
            reload();
        });
}

} // namespace muze::gui
