#include "projecttree.h"

#include "background.h"

#include <muze/model/layout.h>
#include <muze/model/vaultstore.h>
#include <muze/search/vaultsearch.h>

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <functional>

namespace muze::gui {

using model::ItemKind;

namespace {
constexpr int kIdRole = Qt::UserRole + 1;
constexpr int kKindRole = Qt::UserRole + 2;
constexpr int kPathsRole = Qt::UserRole + 3; // what the item stands for in the vault (projecttreesync.cpp)

ItemKind kindOf(const QTreeWidgetItem* item) { return ItemKind(item->data(0, kKindRole).toInt()); }
QString idOf(const QTreeWidgetItem* item) { return item->data(0, kIdRole).toString(); }
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

    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("projectTree"));
    m_tree->setHeaderHidden(true);
    m_tree->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_tree->addActions({m_newCollection, m_newProject, m_newMix, m_rename, m_delete});
    layout->addWidget(m_tree, 1);

    connect(m_newCollection, &QAction::triggered, this, [this] { create(ItemKind::Collection); });
    connect(m_newProject, &QAction::triggered, this, [this] { create(ItemKind::Project); });
    connect(m_newMix, &QAction::triggered, this, [this] { create(ItemKind::Mix); });
    connect(m_rename, &QAction::triggered, this, [this] {
        if (auto* item = m_tree->currentItem())
            m_tree->editItem(item);
    });
    connect(m_delete, &QAction::triggered, this, &ProjectTree::deleteSelected);
    connect(m_tree, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item) {
        if (!m_loading)
            renameItem(item);
    });
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        updateActions();
        if (m_loading)
            return;
        Q_EMIT mixSelected(item && kindOf(item) == ItemKind::Mix ? idOf(item) : QString());
    });
    updateActions();
}

void ProjectTree::setVault(const QString& root, const QString& vaultId)
{
    m_root = root;
    m_vaultId = vaultId;
    reload();
    Q_EMIT mixSelected(QString());
}

void ProjectTree::reload()
{
    const QString keep = selectedId();
    m_loading = true;
    m_tree->clear();
    m_issues->hide();
    if (!m_root.isEmpty()) {
        auto tree = model::VaultStore(m_root).load();
        if (!tree) {
            m_issues->setText(tree.errorString());
            m_issues->show();
        } else {
            const QIcon folder = style()->standardIcon(QStyle::SP_DirIcon);
            auto add = [&folder](QTreeWidgetItem* parent, QTreeWidget* view, ItemKind kind, const QString& id, const QString& name) {
                auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(view);
                item->setText(0, name);
                item->setData(0, kIdRole, id);
                item->setData(0, kKindRole, int(kind));
                item->setFlags(item->flags() | Qt::ItemIsEditable);
                if (kind != ItemKind::Mix)
                    item->setIcon(0, folder);
                QFont f = item->font(0);
                f.setBold(kind == ItemKind::Collection);
                item->setFont(0, f);
                return item;
            };
            for (const auto& c : tree->collections) {
                auto* ci = add(nullptr, m_tree, ItemKind::Collection, c.id, c.name());
                ci->setData(0, kPathsRole, QStringList{model::collectionDir(c.id)});
                for (const auto& p : c.projects) {
                    auto* pi = add(ci, nullptr, ItemKind::Project, p.id, p.name());
                    pi->setData(0, kPathsRole, QStringList{model::projectDir(c.id, p.id)});
                    for (const auto& m : p.mixes) {
                        auto* mi = add(pi, nullptr, ItemKind::Mix, m.id, m.name());
                        QStringList files{m.file};
                        for (const auto& t : m.tracks)
                            files << t.audioFile;
                        mi->setData(0, kPathsRole, files);
                        mi->setIcon(0, style()->standardIcon(QStyle::SP_MediaVolume));
                        mi->setToolTip(0, m.tracks.size() == 1 ? tr("1 track") : tr("%1 tracks").arg(m.tracks.size()));
                    }
                }
            }
            m_tree->expandAll();
            if (!tree->issues.empty()) {
                QStringList lines;
                for (const auto& issue : tree->issues)
                    lines << issue.message;
                const auto n = tree->issues.size();
                m_issues->setText(n == 1 ? tr("1 file could not be read; everything else is shown.")
                                         : tr("%1 files could not be read; everything else is shown.").arg(n));
                m_issues->setToolTip(lines.join(QLatin1Char('\n')));
                m_issues->show();
            }
        }
    }
    m_loading = false;
    applySyncStates();
    select(keep);
    updateActions();
    if (!search::queryWords(m_search->text()).isEmpty())
        runSearch(); // the filter follows edits and vault switches
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
    inBackground(
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
    std::function<bool(QTreeWidgetItem*, bool)> visit = [&](QTreeWidgetItem* item, bool insideMatch) {
        const bool match = !matches || insideMatch || matches->contains(idOf(item));
        bool below = false;
        for (int i = 0; i < item->childCount(); ++i)
            below = visit(item->child(i), match) || below;
        item->setHidden(!(match || below));
        return match || below;
    };
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i)
        visit(m_tree->topLevelItem(i), false);
}

QTreeWidgetItem* ProjectTree::findItem(const QString& id) const
{
    if (id.isEmpty())
        return nullptr;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it) {
        if (idOf(*it) == id)
            return *it;
    }
    return nullptr;
}

void ProjectTree::select(const QString& id)
{
    if (QTreeWidgetItem* item = findItem(id))
        m_tree->setCurrentItem(item);
}

QString ProjectTree::selectedId() const
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    return item ? idOf(item) : QString();
}

void ProjectTree::updateActions()
{
    const QTreeWidgetItem* item = m_tree->currentItem();
    const bool haveVault = !m_root.isEmpty();
    m_newCollection->setEnabled(haveVault);
    m_newProject->setEnabled(item != nullptr);
    m_newMix->setEnabled(item && kindOf(item) != ItemKind::Collection);
    m_rename->setEnabled(item != nullptr);
    m_delete->setEnabled(item != nullptr);
}

void ProjectTree::create(ItemKind kind)
{
    if (m_root.isEmpty())
        return;
    const model::VaultStore store(m_root);
    // The parent is the nearest selected ancestor of the right kind.
    auto ancestor = [this](ItemKind want) -> QString {
        for (QTreeWidgetItem* item = m_tree->currentItem(); item; item = item->parent()) {
            if (kindOf(item) == want)
                return idOf(item);
        }
        return {};
    };
    Result<QString> id = makeError(tr("Select where the new item goes first."));
    if (kind == ItemKind::Collection) {
        id = store.addCollection(tr("New collection"));
    } else if (kind == ItemKind::Project) {
        if (const QString c = ancestor(ItemKind::Collection); !c.isEmpty())
            id = store.addProject(c, tr("New project"));
    } else if (kind == ItemKind::Mix) {
        if (const QString p = ancestor(ItemKind::Project); !p.isEmpty())
            id = store.addMix(p, tr("New mix"));
    }
    if (!id) {
        Q_EMIT errorOccurred(id.errorString());
        return;
    }
    reload();
    select(*id);
    if (QTreeWidgetItem* item = findItem(*id); item && isVisible())
        m_tree->editItem(item); // name it right away, like a file manager
}

void ProjectTree::renameItem(QTreeWidgetItem* item)
{
    const QString name = item->text(0).trimmed();
    const QString id = idOf(item);
    // The editor that changed the item is still closing: rebuild the tree after it is gone.
    QMetaObject::invokeMethod(this, [this, id, name] {
        const Status s = model::VaultStore(m_root).edit(id, {{QStringLiteral("name"), name}});
        if (!s)
            Q_EMIT errorOccurred(s.errorString());
        reload();
    }, Qt::QueuedConnection);
}

void ProjectTree::deleteSelected()
{
    QTreeWidgetItem* item = m_tree->currentItem();
    if (!item)
        return;
    const QString what = model::kindName(kindOf(item));
    const auto answer = QMessageBox::question(
        this, tr("Delete %1").arg(what),
        tr("Delete the %1 \"%2\" and everything in it? Synced devices will delete it too.").arg(what, item->text(0)));
    if (answer != QMessageBox::Yes)
        return;
    if (const Status s = model::VaultStore(m_root).remove(idOf(item)); !s)
        Q_EMIT errorOccurred(s.errorString());
    reload();
    Q_EMIT mixSelected(QString());
}

} // namespace muze::gui
