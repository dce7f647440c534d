#include "phoneshell.h"

#include "mixview.h"
#include "projecttree.h"
#include "vaultsidebar.h"

#include <muze/vault/vaultmanager.h>

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QVBoxLayout>
#include <QFormLayout>
#include <QTabBar>
#include <QTabWidget>
#include <QLineEdit>
#include <QMessageBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QSplitter>
#include <QToolBar>
#include <QToolButton>

namespace muze::gui {

namespace {
// A desktop dialog made to fit a phone's width: form labels above their fields, tabs that
// scroll, long text wrapped, lists cut rather than scrolled sideways.
void fitDialog(QDialog* dialog, int width)
{
    for (auto* w : dialog->findChildren<QWidget*>()) { // desktop minimum widths (e.g. the activity list)
        if (w->minimumWidth() > width - 40)
            w->setMinimumWidth(0);
    }
    for (auto* form : dialog->findChildren<QFormLayout*>())
        form->setRowWrapPolicy(QFormLayout::WrapAllRows);
    for (auto* tabs : dialog->findChildren<QTabWidget*>()) {
        tabs->setUsesScrollButtons(true);
        tabs->tabBar()->setExpanding(false);
        for (int i = 0; i < tabs->count(); ++i) // the widest tab no longer widens the others
            tabs->widget(i)->setSizePolicy(QSizePolicy::Ignored, tabs->widget(i)->sizePolicy().verticalPolicy());
    }
    for (auto* label : dialog->findChildren<QLabel*>()) {
        if (!label->wordWrap() && label->sizeHint().width() > width / 2)
            label->setWordWrap(true);
    }
    for (auto* view : dialog->findChildren<QAbstractItemView*>())
        view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    for (auto* box : dialog->findChildren<QComboBox*>()) { // long choices are cut in the box, whole in its list
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(8);
    }
    // What is taller than the phone scrolls up and down: the dialog's layout moves into a
    // scroll area (QWidget::setLayout takes a layout, and its widgets, from their old parent).
    if (dialog->layout() && !dialog->property("muzePhoneFitted").toBool()) {
        dialog->setProperty("muzePhoneFitted", true);
        auto* inner = new QWidget;
        inner->setLayout(dialog->layout());
        auto* scroll = new QScrollArea(dialog);
        scroll->setObjectName(QStringLiteral("phoneDialogScroll"));
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidgetResizable(true);
        scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        scroll->setWidget(inner);
        auto* column = new QVBoxLayout(dialog);
        column->setContentsMargins(0, 0, 0, 0);
        column->addWidget(scroll);
    }
}

// Touch-first: every control at least 44×44 px, text 16 px (15 is the floor).
const char* const kPhoneStyle = R"(
QWidget { font-size: 16px; }
QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QSlider { min-height: 44px; }
QPushButton, QToolButton { min-width: 44px; }
QTabBar QToolButton { min-width: 0px; min-height: 0px; }
QAbstractItemView::item { min-height: 44px; }
QMenu::item { min-height: 36px; padding: 4px 24px 4px 16px; }
)";
} // namespace

PhoneShell::PhoneShell(const Parts& parts)
    : QObject(parts.window), m_parts(parts)
{
    m_nav = new QWidget(parts.window);
    m_nav->setObjectName(QStringLiteral("phoneNavBar"));
    auto* row = new QHBoxLayout(m_nav);
    row->setContentsMargins(4, 4, 4, 4);
    m_back = new QToolButton(m_nav);
    m_back->setObjectName(QStringLiteral("phoneBack"));
    m_back->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_back->setAutoRaise(true);
    m_title = new QLabel(m_nav);
    m_title->setObjectName(QStringLiteral("phoneTitle"));
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setStyleSheet(QStringLiteral("font-size: 18px; font-weight: bold;"));
    m_title->setMinimumWidth(40);
    m_more = new QToolButton(m_nav);
    m_more->setObjectName(QStringLiteral("phoneMenu"));
    m_more->setText(QStringLiteral("⋯"));
    m_more->setAccessibleName(tr("More actions"));
    m_more->setToolTip(tr("More actions"));
    m_more->setAutoRaise(true);
    m_more->setPopupMode(QToolButton::InstantPopup);
    m_more->setStyleSheet(QStringLiteral("QToolButton { font-size: 22px; font-weight: bold; }"
                                         "QToolButton::menu-indicator { image: none; width: 0; }"));
    m_menu = new QMenu(m_more);
    m_more->setMenu(m_menu);
    row->addWidget(m_back);
    row->addWidget(m_title, 1);
    row->addWidget(m_more);
    m_nav->hide();

    connect(m_back, &QToolButton::clicked, this, &PhoneShell::goBack);
    connect(parts.sidebar, &VaultSidebar::vaultActivated, this, [this] {
        if (m_compact)
            showPage(Page::Tree);
    });
    // A tap on a mix in the tree opens it (the selection already loaded it into the mix view).
    if (auto* view = parts.tree->findChild<QAbstractItemView*>()) {
        auto open = [this] {
            if (m_compact && m_page == Page::Tree && !m_parts.mix->mixId().isEmpty()
                && m_parts.tree->selectedId() == m_parts.mix->mixId())
                showPage(Page::Mix);
        };
        connect(view, &QAbstractItemView::clicked, this, open);
        connect(view, &QAbstractItemView::activated, this, open);
    }
    parts.tree->searchField()->setAccessibleName(tr("Search"));
    if (auto* view = parts.tree->findChild<QAbstractItemView*>())
        view->setAccessibleName(tr("Collections, projects and mixes"));
    qApp->installEventFilter(this); // dialogs of this window open full-screen on a phone
    connect(parts.vaults, &vault::VaultManager::currentVaultChanged, this, &PhoneShell::updateTitle);
    connect(parts.vaults, &vault::VaultManager::vaultsChanged, this, &PhoneShell::updateTitle);
    connect(parts.mix, &MixView::rowsRebuilt, this, &PhoneShell::updateTitle);
    connect(parts.mix, &MixView::mixChanged, this, &PhoneShell::updateTitle);
}

bool PhoneShell::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Show && m_compact) {
        auto* dialog = qobject_cast<QDialog*>(watched);
        if (dialog && dialog->isWindow() && !qobject_cast<QMessageBox*>(dialog) && dialog->parentWidget()
            && dialog->parentWidget()->window() == m_parts.window) {
            // A phone has no room for windows side by side: the dialog covers the app, at
            // whatever minimum its contents need rather than a desktop-sized one.
            fitDialog(dialog, m_parts.window->width());
            dialog->setMinimumSize(0, 0);
            dialog->setGeometry(m_parts.window->geometry());
        }
    }
    return QObject::eventFilter(watched, event);
}

void PhoneShell::setCompact(bool compact)
{
    const QSize size = m_parts.window->size();
    const MixForm form = !compact ? MixForm::Desktop
        : size.width() > size.height() ? MixForm::PhoneLandscape
                                       : MixForm::PhonePortrait;
    if (compact == m_compact && form == m_form)
        return;
    if (compact && !m_compact)
        m_page = m_parts.mix->mixId().isEmpty() ? Page::Tree : Page::Mix;
    m_compact = compact;
    m_form = form;
    apply();
}

void PhoneShell::showPage(Page page)
{
    if (page == Page::Vaults && m_page != Page::Vaults)
        m_beforeVaults = m_page;
    m_page = page;
    apply();
    Q_EMIT pageChanged(page);
}

void PhoneShell::goBack()
{
    if (m_page == Page::Mix)
        showPage(Page::Tree);
    else if (m_page == Page::Tree)
        showPage(Page::Vaults);
}

void PhoneShell::toggleVaults()
{
    showPage(m_page == Page::Vaults ? m_beforeVaults : Page::Vaults);
}

void PhoneShell::setVaultEmpty(bool empty)
{
    if (empty == m_empty)
        return;
    m_empty = empty;
    apply();
}

void PhoneShell::apply()
{
    QMainWindow* window = m_parts.window;
    m_parts.mix->setForm(m_form);
    const auto noScroll = m_compact ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded;
    m_parts.mixPane->setHorizontalScrollBarPolicy(noScroll);
    m_parts.mixPane->setVerticalScrollBarPolicy(noScroll); // the transport stays pinned
    if (!m_compact) {
        m_nav->hide();
        m_parts.toolBar->show();
        window->menuBar()->show();
        window->setStyleSheet(QString());
        m_parts.content->setOrientation(Qt::Horizontal);
        m_parts.content->show();
        m_parts.tree->show();
        m_parts.mixPane->setVisible(!m_empty);
        m_parts.firstRun->setVisible(m_empty);
        return;
    }
    window->setStyleSheet(QString::fromUtf8(kPhoneStyle));
    m_nav->show();
    m_parts.toolBar->hide(); // its actions are in the ⋯ menu
    window->menuBar()->hide();
    m_parts.sidebar->setVisible(m_page == Page::Vaults);
    m_parts.content->setVisible(m_page != Page::Vaults);
    m_parts.tree->setVisible(m_page == Page::Tree && !m_empty);
    m_parts.firstRun->setVisible(m_page == Page::Tree && m_empty);
    m_parts.mixPane->setVisible(m_page == Page::Mix);
    updateTitle();
}

void PhoneShell::updateTitle()
{
    if (!m_compact)
        return;
    const auto vault = m_parts.vaults->current();
    const QString vaultName = vault ? vault->name : tr("Muze");
    QString title;
    QString back;
    switch (m_page) {
    case Page::Vaults:
        title = tr("Vaults");
        break;
    case Page::Tree:
        title = vaultName;
        back = tr("Vaults");
        break;
    case Page::Mix: {
        auto* mixTitle = m_parts.mix->findChild<QLabel*>(QStringLiteral("mixTitle"));
        title = mixTitle ? mixTitle->text() : QString();
        back = vaultName;
        break;
    }
    }
    // The back label is cut with an ellipsis at a third of the width; the title gets the rest.
    const int width = m_parts.window->width();
    m_back->setText(back.isEmpty() ? QString()
                                   : QStringLiteral("‹ ") + m_back->fontMetrics().elidedText(back, Qt::ElideRight, width / 3));
    m_back->setAccessibleName(back.isEmpty() ? QString() : tr("Back to %1").arg(back));
    m_back->setVisible(!back.isEmpty());
    const int room = width - (back.isEmpty() ? 0 : m_back->sizeHint().width()) - m_more->sizeHint().width() - 40;
    m_title->setText(m_title->fontMetrics().elidedText(title, Qt::ElideRight, std::max(60, room)));
    m_title->setAccessibleName(title);
}

} // namespace muze::gui
