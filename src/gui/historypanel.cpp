#include "historypanel.h"

#include "projecttree.h"

#include <muze/model/vaultstore.h>

#include <QApplication>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QThread>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace muze::gui {

HistoryPanel::HistoryPanel(vault::VaultRecord vault, QString itemFile, const QString& title, QWidget* parent)
    : QDialog(parent)
    , m_vault(std::move(vault))
    , m_file(std::move(itemFile))
{
    setObjectName(QStringLiteral("historyPanel"));
    setWindowTitle(tr("History of %1").arg(title));
    auto* layout = new QVBoxLayout(this);
    m_status = new QLabel(tr("Loading the versions…"), this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("historyVersions"));
    m_list->setAccessibleName(tr("Versions"));
    m_list->setHeaderLabels({tr("Version"), tr("Written"), tr("What changed")});
    m_list->setRootIsDecorated(false);
    m_list->setWordWrap(true);
    m_list->header()->setStretchLastSection(true);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    resize(760, 420);
    load();
}

HistoryPanel::~HistoryPanel()
{
    if (m_thread) { // the worker holds no pointer to us (QPointer): let it finish and go
        m_thread->wait();
        delete m_thread;
    }
}

void HistoryPanel::load()
{
    QPointer<HistoryPanel> self(this);
    const vault::VaultRecord vault = m_vault;
    const QString file = m_file;
    m_thread = QThread::create([self, vault, file] {
        Result<std::vector<sync::ItemVersion>> versions = makeError(QStringLiteral("not loaded"));
        auto access = sync::HistoryAccess::open(vault);
        if (!access)
            versions = access.error();
        else
            versions = access->versions(file);
        QMetaObject::invokeMethod(
            qApp,
            [self, versions] {
                if (self)
                    self->showVersions(versions);
            },
            Qt::QueuedConnection);
    });
    m_thread->start();
}

void HistoryPanel::showVersions(const Result<std::vector<sync::ItemVersion>>& versions)
{
    m_loaded = true;
    if (!versions) {
        m_status->setText(tr("The history cannot be shown: %1").arg(versions.errorString()));
        return;
    }
    m_status->setText(tr("%n version(s), oldest first", "", int(versions->size())));
    for (const sync::ItemVersion& v : *versions) {
        QString what = v.problem.isEmpty() ? model::summaryText(v.changes) : tr("cannot be read: %1").arg(v.problem);
        if (v.meta.current)
            what += tr(" (current)");
        auto* row = new QTreeWidgetItem(m_list, {QString::number(v.number), sync::shortTime(v.meta.modified), what});
        row->setToolTip(2, what);
    }
    m_list->resizeColumnToContents(0);
    m_list->resizeColumnToContents(1);
}

void HistoryPanel::install(QToolBar* bar, vault::VaultManager& vaults, ProjectTree* tree)
{
    QAction* action = bar->addAction(tr("History…"));
    action->setObjectName(QStringLiteral("showHistory"));
    action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_H));
    action->setEnabled(false);
    auto selected = std::make_shared<QString>();
    QObject::connect(tree, &ProjectTree::mixSelected, action, [action, selected](const QString& mixId) {
        *selected = mixId;
        action->setEnabled(!mixId.isEmpty());
    });
    QObject::connect(action, &QAction::triggered, bar, [bar, &vaults, selected] {
        const auto current = vaults.current();
        if (!current || selected->isEmpty())
            return;
        auto item = model::VaultStore(current->path).resolve(*selected, model::ItemKind::Mix);
        if (!item) {
            QMessageBox::warning(bar->window(), tr("History"), item.errorString());
            return;
        }
        auto* panel = new HistoryPanel(*current, item->file, item->name, bar->window());
        panel->setAttribute(Qt::WA_DeleteOnClose);
        panel->open();
    });
}

} // namespace muze::gui
