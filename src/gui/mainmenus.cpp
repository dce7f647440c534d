#include "mainmenus.h"

#include "firstrun.h"
#include "mainwindow.h"
#include "mixview.h"
#include "phoneshell.h"
#include "projecttree.h"
#include "syncui.h"
#include "transportbar.h"

#include <QAction>
#include <QApplication>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QShortcut>

namespace muze::gui {

namespace {
QAction* makeAction(MainWindow* window, const QString& text, const QString& name, const QKeySequence& keys = {})
{
    auto* a = new QAction(text, window);
    a->setObjectName(name);
    a->setShortcut(keys);
    window->addAction(a);
    return a;
}

QAction* found(MainWindow* window, const char* name)
{
    auto* a = window->findChild<QAction*>(QLatin1String(name));
    if (a)
        window->addAction(a); // the shortcut works with the tool bar hidden (phone)
    return a;
}
} // namespace

void installMainMenus(MainWindow* window, PhoneShell* phone, FirstRun* firstRun)
{
    MixView* mix = window->mixView();
    ProjectTree* tree = window->projectTree();
    // The window's Space and R replace the mix view's own (two shortcuts on one key would
    // cancel each other out); the standalone mix view keeps its own.
    for (QShortcut* s : mix->findChildren<QShortcut*>(Qt::FindDirectChildrenOnly))
        s->setEnabled(false);

    QAction* newMix = makeAction(window, QObject::tr("New mix"), QStringLiteral("actionNewMix"), QKeySequence::New);
    QObject::connect(newMix, &QAction::triggered, window, [=] {
        if (tree->newMixAction()->isEnabled()) { // in the selected project, named in place
            if (phone->isCompact())
                phone->showPage(PhoneShell::Page::Tree);
            tree->newMixAction()->trigger();
        } else {
            firstRun->newIdea(false); // nothing selected: a new idea for today
        }
    });
    QAction* addVault = makeAction(window, QObject::tr("Add vault…"), QStringLiteral("actionAddVault"));
    QObject::connect(addVault, &QAction::triggered, window, [window] { window->addVault(); });
    QAction* quit = makeAction(window, QObject::tr("Quit"), QStringLiteral("actionQuit"), QKeySequence::Quit);
    QObject::connect(quit, &QAction::triggered, qApp, &QApplication::quit, Qt::QueuedConnection);

    QAction* search = makeAction(window, QObject::tr("Search"), QStringLiteral("actionSearch"), QKeySequence::Find);
    QObject::connect(search, &QAction::triggered, window, [=] {
        if (phone->isCompact())
            phone->showPage(PhoneShell::Page::Tree);
        tree->searchField()->setFocus(Qt::ShortcutFocusReason);
        tree->searchField()->selectAll();
    });

    QAction* play = makeAction(window, QObject::tr("Play / stop"), QStringLiteral("actionPlay"), Qt::Key_Space);
    QObject::connect(play, &QAction::triggered, mix, &MixView::togglePlay);
    QAction* record = makeAction(window, QObject::tr("Record"), QStringLiteral("actionRecord"), Qt::Key_R);
    QObject::connect(record, &QAction::triggered, window, [=] {
        if (mix->mixId().isEmpty())
            firstRun->newIdea(true); // no mix open: record a new idea
        else
            mix->toggleRecord();
    });
    QAction* exportMix = makeAction(window, QObject::tr("Export mixdown…"), QStringLiteral("actionExport"));
    QObject::connect(exportMix, &QAction::triggered, mix, [mix] {
        if (!mix->mixId().isEmpty())
            Q_EMIT mix->transport()->exportRequested();
    });

    QAction* syncNow = found(window, "syncNow");
    QAction* conflicts = window->syncUi()->conflictsAction();
    QAction* history = found(window, "showHistory");
    QAction* settings = found(window, "vaultSettings");
    QAction* vaults = window->toggleSidebarAction();
    vaults->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    window->addAction(vaults);

    QMenuBar* bar = window->menuBar();
    QMenu* file = bar->addMenu(QObject::tr("&File"));
    file->addActions({newMix, addVault});
    file->addSeparator();
    file->addAction(quit);
    QMenu* edit = bar->addMenu(QObject::tr("&Edit"));
    edit->addAction(search);
    QMenu* mixMenu = bar->addMenu(QObject::tr("&Mix"));
    mixMenu->addActions({play, record});
    mixMenu->addSeparator();
    mixMenu->addAction(exportMix);
    QMenu* syncMenu = bar->addMenu(QObject::tr("&Sync"));
    for (QAction* a : {syncNow, conflicts, history, settings}) {
        if (a)
            syncMenu->addAction(a);
    }
    QMenu* view = bar->addMenu(QObject::tr("&View"));
    view->addAction(vaults);

    QMenu* more = phone->overflowMenu(); // the phone's ⋯: the same actions, flat
    for (QAction* a : {syncNow, conflicts, history, settings}) {
        if (a)
            more->addAction(a);
    }
    more->addSeparator();
    more->addActions({newMix, search, exportMix});
    more->addSeparator();
    more->addAction(addVault);
}

} // namespace muze::gui
