#include "firstrun.h"

#include "addvaultdialog.h"
#include "inputmonitor.h"
#include "levelmeter.h"
#include "mainwindow.h"
#include "mixview.h"
#include "phoneshell.h"
#include "projecttree.h"

#include <muze/model/vaultstore.h>
#include <muze/vault/vaultmanager.h>

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QLocale>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace muze::gui {

namespace {
QString trFirstRun(const char* text)
{
    return QCoreApplication::translate("muze::gui::FirstRun", text);
}

QString dayName(const QDate& day)
{
    return QLocale().toString(day, trFirstRun("d MMMM yyyy"));
}
} // namespace

Result<QString> createIdeaMix(const QString& vaultRoot, const QDate& day)
{
    const model::VaultStore store(vaultRoot);
    auto tree = store.load();
    if (!tree)
        return tree.error();
    const QString ideas = trFirstRun("Ideas");
    const QString today = dayName(day);
    QString collectionId;
    QString projectId;
    int mixes = 0;
    for (const auto& c : tree->collections) {
        if (c.name() != ideas)
            continue;
        collectionId = c.id;
        for (const auto& p : c.projects) {
            if (p.name() == today) {
                projectId = p.id;
                mixes = int(p.mixes.size());
            }
        }
    }
    if (collectionId.isEmpty()) {
        auto made = store.addCollection(ideas);
        if (!made)
            return made.error();
        collectionId = *made;
    }
    if (projectId.isEmpty()) {
        auto made = store.addProject(collectionId, today);
        if (!made)
            return made.error();
        projectId = *made;
    }
    return store.addMix(projectId, trFirstRun("Idea %1").arg(mixes + 1));
}

FirstRunPanel::FirstRunPanel(QWidget* parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("firstRun"));
    auto* outer = new QHBoxLayout(this);
    auto* column = new QVBoxLayout;
    auto* body = new QWidget(this); // a readable column on a desktop, the full width on a phone
    body->setMaximumWidth(480);
    body->setLayout(column);
    outer->addStretch(1);
    outer->addWidget(body, 100);
    outer->addStretch(1);
    column->addStretch(1);
    auto* heading = new QLabel(tr("Start with an idea"), this);
    heading->setStyleSheet(QStringLiteral("font-size: 22px; font-weight: bold;"));
    heading->setWordWrap(true);
    column->addWidget(heading);
    auto* text = new QLabel(tr("This vault is empty. Record something now: it goes into Ideas › %1. "
                               "Collections, projects and mixes can come later.")
                                .arg(dayName(QDate::currentDate())),
        this);
    text->setWordWrap(true);
    column->addWidget(text);
    column->addSpacing(12);

    m_record = new QPushButton(tr("●  Record your first idea"), this);
    m_record->setObjectName(QStringLiteral("recordFirstIdea"));
    m_record->setMinimumHeight(56);
    m_record->setStyleSheet(QStringLiteral("QPushButton { color: white; background: #e74c3c; border: none;"
                                           " border-radius: 28px; font-size: 17px; font-weight: bold; padding: 0 12px; }"
                                           "QPushButton:pressed { background: #a93226; }"));
    m_record->setToolTip(tr("Makes a new mix in Ideas and starts recording (R)"));
    column->addWidget(m_record);
    auto* levelLabel = new QLabel(tr("Input level"), this);
    m_meter = new LevelMeter(this);
    m_meter->setAccessibleName(tr("Input level"));
    m_meter->setMinimumHeight(18);
    levelLabel->setBuddy(m_meter);
    auto* level = new QHBoxLayout;
    level->addWidget(levelLabel);
    level->addWidget(m_meter, 1);
    column->addLayout(level);
    column->addSpacing(12);
    m_newCollection = new QPushButton(tr("New collection"), this);
    m_newCollection->setObjectName(QStringLiteral("firstRunNewCollection"));
    m_newCollection->setMinimumHeight(44);
    column->addWidget(m_newCollection);
    m_addDropbox = new QPushButton(tr("Add a Dropbox vault…"), this);
    m_addDropbox->setObjectName(QStringLiteral("firstRunAddDropbox"));
    m_addDropbox->setMinimumHeight(44);
    column->addWidget(m_addDropbox);
    column->addStretch(2);

    connect(m_record, &QPushButton::clicked, this, &FirstRunPanel::recordRequested);
    connect(m_newCollection, &QPushButton::clicked, this, &FirstRunPanel::newCollectionRequested);
    connect(m_addDropbox, &QPushButton::clicked, this, &FirstRunPanel::addDropboxRequested);

    m_monitor = new InputMonitor(this);
    m_timer = new QTimer(this);
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, [this] { m_meter->setLevel(m_monitor->takePeak()); });
}

bool FirstRunPanel::isMonitoringInput() const
{
    return m_monitor->isActive();
}

void FirstRunPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    m_monitor->start(QSettings().value(QStringLiteral("audio/input_device")).toString());
    m_timer->start();
}

void FirstRunPanel::hideEvent(QHideEvent* event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
    m_monitor->stop();
    m_meter->reset();
}

FirstRun::FirstRun(MainWindow* window, PhoneShell* phone, FirstRunPanel* panel, vault::VaultManager& vaults)
    : QObject(window), m_window(window), m_phone(phone), m_panel(panel), m_vaults(vaults)
{
    connect(panel, &FirstRunPanel::recordRequested, this, [this] { newIdea(true); });
    connect(panel, &FirstRunPanel::newCollectionRequested, this, [this] {
        m_dismissed = true;
        m_phone->setVaultEmpty(false);
        m_window->projectTree()->newCollectionAction()->trigger(); // named in place, in the tree
    });
    connect(panel, &FirstRunPanel::addDropboxRequested, this, [this] { m_window->addVault(AddVaultDialog::Dropbox); });
    connect(&vaults, &vault::VaultManager::currentVaultChanged, this, [this] {
        m_dismissed = false;
        refresh();
    });
    connect(window->mixView(), &MixView::mixChanged, this, &FirstRun::refresh);
    ProjectTree* tree = window->projectTree();
    for (QAction* a : {tree->newCollectionAction(), tree->newProjectAction(), tree->newMixAction(), tree->deleteAction()})
        connect(a, &QAction::triggered, this, [this] { QTimer::singleShot(0, this, &FirstRun::refresh); });
    refresh();
}

void FirstRun::refresh()
{
    const auto current = m_vaults.current();
    if (!current) {
        m_phone->setVaultEmpty(false);
        return;
    }
    const int generation = ++m_generation;
    QPointer<FirstRun> self(this);
    const QString root = current->path;
    QThreadPool::globalInstance()->start([self, root, generation] {
        auto tree = model::VaultStore(root).load();
        const bool empty = tree && tree->collections.empty() && tree->issues.empty();
        QMetaObject::invokeMethod(qApp, [self, generation, empty] {
            if (!self || generation != self->m_generation)
                return;
            self->m_phone->setVaultEmpty(empty && !self->m_dismissed);
            Q_EMIT self->refreshed(empty);
        });
    });
}

QString FirstRun::newIdea(bool record)
{
    const auto current = m_vaults.current();
    if (!current)
        return {};
    auto mixId = createIdeaMix(current->path);
    if (!mixId) {
        m_window->statusBar()->showMessage(tr("Could not make a new idea: %1").arg(mixId.errorString()), 10000);
        return {};
    }
    m_phone->setVaultEmpty(false);
    MixView* mix = m_window->mixView();
    mix->showMix(current->path, *mixId);
    m_window->projectTree()->reload();
    m_window->projectTree()->select(*mixId);
    if (m_phone->isCompact())
        m_phone->showPage(PhoneShell::Page::Mix);
    if (record)
        mix->toggleRecord();
    return *mixId;
}

} // namespace muze::gui
