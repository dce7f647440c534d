#include "historypanel.h"

#include "background.h"
#include "deleteddialog.h"
#include "projecttree.h"
#if MUZE_HAVE_AUDIO
#include "historyab.h"
#endif

#include <muze/model/vaultstore.h>
#include <muze/sync/itemrestore.h>

#include <QApplication>
#include <QFileInfo>
#include <QBoxLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QThread>
#include <QToolBar>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace muze::gui {

namespace {

// The item a vault-relative JSON file holds (docs/ARCHITECTURE.md "Files of a vault").
model::ItemRef itemForFile(const QString& file, const QString& name)
{
    const QStringList parts = file.split(QLatin1Char('/'));
    model::ItemRef ref;
    ref.file = file;
    ref.name = name;
    ref.collectionId = parts.value(1);
    if (parts.size() == 3) {
        ref.kind = model::ItemKind::Collection;
        ref.id = ref.collectionId;
    } else if (parts.size() == 5) {
        ref.kind = model::ItemKind::Project;
        ref.projectId = ref.id = parts.value(3);
    } else {
        ref.kind = model::ItemKind::Mix;
        ref.projectId = parts.value(3);
        ref.id = ref.mixId = QFileInfo(file).completeBaseName();
    }
    return ref;
}

} // namespace

HistoryPanel::HistoryPanel(vault::VaultRecord vault, QString itemFile, const QString& title, QWidget* parent)
    : QDialog(parent)
    , m_vault(std::move(vault))
    , m_file(std::move(itemFile))
    , m_isMix(m_file.contains(QLatin1String("/mixes/")))
{
    setObjectName(QStringLiteral("historyPanel"));
    setWindowTitle(tr("History of %1").arg(title));
    setProperty("itemName", title);
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
    connect(m_list, &QTreeWidget::currentItemChanged, this, &HistoryPanel::selectionChanged);

    m_buttons = new QBoxLayout(QBoxLayout::LeftToRight);
    m_restore = new QPushButton(tr("Restore"), this);
    m_restore->setObjectName(QStringLiteral("historyRestore"));
    m_restore->setToolTip(tr("Put this version back as a new edit: it syncs and merges like any edit"));
    m_restoreCopy = new QPushButton(tr("Restore as a copy"), this);
    m_restoreCopy->setObjectName(QStringLiteral("historyRestoreCopy"));
    m_restoreCopy->setToolTip(tr("Make a new mix from this version, next to the current one"));
    m_restoreCopy->setVisible(m_isMix);
    m_deleted = new QPushButton(tr("Recently deleted…"), this);
    m_deleted->setObjectName(QStringLiteral("historyDeleted"));
    for (QPushButton* b : {m_restore, m_restoreCopy})
        b->setEnabled(false);
    connect(m_restore, &QPushButton::clicked, this, [this] { restore(false); });
    connect(m_restoreCopy, &QPushButton::clicked, this, [this] { restore(true); });
    connect(m_deleted, &QPushButton::clicked, this, [this] {
        auto* dialog = new DeletedDialog(m_vault, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->open();
    });

    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
#if MUZE_HAVE_AUDIO
    if (m_isMix) {
        m_ab = new HistoryAbControl(m_vault, m_file, this);
        layout->addWidget(m_ab);
    }
#endif
    layout->addLayout(m_buttons);
    placeButtons(false);
    resize(860, 460);
    load();
}

HistoryPanel::~HistoryPanel()
{
    if (m_thread) { // the worker holds no pointer to us (QPointer): let it finish and go
        m_thread->wait();
        delete m_thread;
    }
}

QString HistoryPanel::writtenText(const sync::ItemVersion& v, const QDateTime& now)
{
    const QDateTime local = v.meta.modified.toLocalTime();
    const QDate today = now.toLocalTime().date();
    const QString hm = local.toString(QStringLiteral("HH:mm"));
    QString when = sync::shortTime(v.meta.modified);
    if (local.date() == today)
        when = tr("today %1").arg(hm);
    else if (local.date() == today.addDays(-1))
        when = tr("yesterday %1").arg(hm);
    const QString who = !v.deviceName.isEmpty() ? v.deviceName
        : !v.device.isEmpty()                  ? tr("device %1").arg(v.device.left(8))
                                               : QString();
    return who.isEmpty() ? when : tr("by %1, %2").arg(who, when);
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
    if (!versions && versions.error().is(errc::no_remote)) {
        // Versions are kept where a vault syncs to; a vault that syncs nowhere has none yet.
        m_status->setText(tr("This vault does not sync anywhere yet, so it keeps no earlier versions. "
                             "Choose a sync folder or a cloud for it in Vault settings."));
        return;
    }
    if (!versions) {
        m_status->setText(tr("The history cannot be shown: %1").arg(versions.errorString()));
        return;
    }
    m_versions = *versions;
    m_status->setText(tr("%n version(s), oldest first", "", int(versions->size())));
    const QDateTime now = QDateTime::currentDateTime();
    for (const sync::ItemVersion& v : *versions) {
        QString what = v.problem.isEmpty() ? model::summaryText(v.changes) : tr("cannot be read: %1").arg(v.problem);
        if (v.meta.current)
            what += tr(" (current)");
        auto* row = new QTreeWidgetItem(m_list, {QString::number(v.number), writtenText(v, now), what});
        row->setToolTip(2, what);
    }
    m_list->resizeColumnToContents(0);
    m_list->resizeColumnToContents(1);
}

void HistoryPanel::selectionChanged()
{
    QTreeWidgetItem* row = m_list->currentItem();
    const int index = row ? m_list->indexOfTopLevelItem(row) : -1;
    const sync::ItemVersion* v = index >= 0 && index < int(m_versions.size()) ? &m_versions[size_t(index)] : nullptr;
    const bool usable = v && v->problem.isEmpty() && !m_busy;
    m_restore->setEnabled(usable && !v->meta.current);
    m_restoreCopy->setEnabled(usable);
#if MUZE_HAVE_AUDIO
    if (m_ab && v && v->problem.isEmpty() && !v->meta.current)
        m_ab->setVersion(*v);
#endif
}

void HistoryPanel::restore(bool asCopy)
{
    QTreeWidgetItem* row = m_list->currentItem();
    const int index = row ? m_list->indexOfTopLevelItem(row) : -1;
    if (m_busy || index < 0 || index >= int(m_versions.size()))
        return;
    m_busy = true;
    selectionChanged();
    const sync::ItemVersion version = m_versions[size_t(index)];
    const model::ItemRef item = itemForFile(m_file, property("itemName").toString());
    const vault::VaultRecord vault = m_vault;
    m_status->setText(asCopy ? tr("Restoring version %1 as a copy…").arg(version.number)
                             : tr("Restoring version %1…").arg(version.number));
    runInBackground(
        this,
        [vault, item, version, asCopy]() -> Result<sync::RestoredVersion> {
            auto access = sync::HistoryAccess::open(vault);
            if (!access)
                return access.error();
            return sync::restoreVersion(*access, item, version, asCopy);
        },
        [this](const Result<sync::RestoredVersion>& r) {
            m_busy = false;
            selectionChanged();
            if (!r) {
                m_status->setText(tr("The version cannot be restored: %1").arg(r.errorString()));
                return;
            }
            m_status->setText(r->asCopy
                    ? tr("Restored version %1 as a new mix \"%2\"; it syncs with the next sync.").arg(r->version).arg(r->name)
                    : tr("Restored version %1 as a new edit; it syncs with the next sync.").arg(r->version));
            Q_EMIT restored(r->path);
        });
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
    QAction* deleted = bar->addAction(tr("Recently deleted…"));
    deleted->setObjectName(QStringLiteral("showDeleted"));
    QObject::connect(deleted, &QAction::triggered, bar, [bar, &vaults] {
        if (const auto current = vaults.current()) {
            auto* dialog = new DeletedDialog(*current, bar->window());
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        }
    });
}

void HistoryPanel::resizeEvent(QResizeEvent* event)
{
    QDialog::resizeEvent(event);
    placeButtons(width() < 560);
}

void HistoryPanel::placeButtons(bool narrow)
{
    if (int(narrow) == m_narrow)
        return;
    m_narrow = int(narrow);
    while (QLayoutItem* item = m_buttons->takeAt(0))
        delete item; // the stretch, or a button's item: the buttons stay children of the dialog
    m_buttons->setDirection(narrow ? QBoxLayout::TopToBottom : QBoxLayout::LeftToRight);
    m_buttons->addWidget(m_restore);
    m_buttons->addWidget(m_restoreCopy);
    if (!narrow)
        m_buttons->addStretch(1);
    m_buttons->addWidget(m_deleted);
}

} // namespace muze::gui
