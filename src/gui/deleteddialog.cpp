#include "deleteddialog.h"

#include "background.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace muze::gui {

namespace {

QString kindText(const QString& kind)
{
    if (kind == QLatin1String("collection"))
        return DeletedDialog::tr("Collection");
    if (kind == QLatin1String("project"))
        return DeletedDialog::tr("Project");
    if (kind == QLatin1String("mix"))
        return DeletedDialog::tr("Mix");
    return DeletedDialog::tr("Take");
}

} // namespace

DeletedDialog::DeletedDialog(vault::VaultRecord vault, QWidget* parent)
    : QDialog(parent)
    , m_vault(std::move(vault))
{
    setObjectName(QStringLiteral("deletedDialog"));
    setWindowTitle(tr("Recently deleted in %1").arg(m_vault.name));
    auto* layout = new QVBoxLayout(this);
    m_status = new QLabel(tr("Looking for deleted items…"), this);
    m_status->setObjectName(QStringLiteral("deletedStatus"));
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("deletedItems"));
    m_list->setHeaderLabels({tr("Kind"), tr("Name"), tr("Deleted"), tr("Comes back with")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setStretchLastSection(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_restore = buttons->addButton(tr("Restore"), QDialogButtonBox::ActionRole);
    m_restore->setObjectName(QStringLiteral("restoreDeleted"));
    m_restore->setEnabled(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_restore, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem* row = m_list->currentItem())
            restoreRow(m_list->indexOfTopLevelItem(row));
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this,
        [this](QTreeWidgetItem* row) { m_restore->setEnabled(row && !m_busy); });
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(buttons);
    resize(720, 360);
    load();
}

void DeletedDialog::load()
{
    m_busy = true;
    const vault::VaultRecord vault = m_vault;
    inBackground(
        this,
        [vault]() -> Result<std::vector<sync::DeletedItem>> {
            auto access = sync::HistoryAccess::open(vault);
            if (!access)
                return access.error();
            return sync::listDeletedItems(*access);
        },
        [this](const Result<std::vector<sync::DeletedItem>>& items) { showItems(items); });
}

void DeletedDialog::showItems(const Result<std::vector<sync::DeletedItem>>& items)
{
    m_busy = false;
    m_list->clear();
    m_items.clear();
    if (!items) {
        m_status->setText(tr("Deleted items cannot be listed: %1").arg(items.errorString()));
        return;
    }
    m_items = *items;
    m_status->setText(m_items.empty() ? tr("Nothing was deleted recently.")
                                      : tr("%n item(s) can be restored, with their takes.", "", int(m_items.size())));
    for (const sync::DeletedItem& i : m_items) {
        auto* row = new QTreeWidgetItem(m_list,
            {kindText(i.kind), i.name, sync::shortTime(i.deletedAt),
                i.takes.isEmpty() ? QString() : tr("%n take(s)", "", int(i.takes.size()))});
        row->setData(0, Qt::UserRole, i.id);
    }
    m_list->resizeColumnToContents(0);
    m_list->resizeColumnToContents(1);
    m_list->resizeColumnToContents(2);
    if (m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
}

void DeletedDialog::restoreRow(int row)
{
    if (m_busy || row < 0 || row >= int(m_items.size()))
        return;
    m_busy = true;
    m_restore->setEnabled(false);
    const sync::DeletedItem item = m_items[size_t(row)];
    m_status->setText(tr("Restoring %1 \"%2\"…").arg(kindText(item.kind).toLower(), item.name));
    const vault::VaultRecord vault = m_vault;
    inBackground(
        this,
        [vault, item]() -> Status {
            auto access = sync::HistoryAccess::open(vault);
            if (!access)
                return access.error();
            return sync::restoreDeletedItem(*access, item);
        },
        [this, item](const Status& s) {
            m_busy = false;
            if (!s) {
                m_status->setText(tr("%1 \"%2\" cannot be restored: %3").arg(kindText(item.kind), item.name, s.errorString()));
                m_restore->setEnabled(m_list->currentItem() != nullptr);
                return;
            }
            for (int r = 0; r < m_list->topLevelItemCount(); ++r) {
                if (m_list->topLevelItem(r)->data(0, Qt::UserRole).toString() == item.id) {
                    delete m_list->takeTopLevelItem(r);
                    m_items.erase(m_items.begin() + r);
                    break;
                }
            }
            m_status->setText(tr("Restored %1 \"%2\" with %n take(s); it syncs with the next sync.", "",
                int(item.takes.size()))
                    .arg(kindText(item.kind).toLower(), item.name));
            m_restore->setEnabled(m_list->currentItem() != nullptr);
            Q_EMIT restored(item.kind, item.id);
        });
}

} // namespace muze::gui
