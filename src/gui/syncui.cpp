#include "syncui.h"

#include "conflictsdialog.h"
#include "syncfeed.h"
#include "synctray.h"

#include <muze/vault/vaultmanager.h>

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QPainter>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

namespace muze::gui {

namespace {
// The count on an orange dot, for the toolbar's Conflicts entry.
QIcon countBadge(int n)
{
    const int size = 20;
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0xf2, 0x99, 0x1d));
    p.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    QFont f = p.font();
    f.setBold(true);
    f.setPixelSize(12);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRect(0, 0, size, size), Qt::AlignCenter, n > 9 ? QStringLiteral("9+") : QString::number(n));
    p.end();
    return QIcon(pm);
}
} // namespace

SyncUi::SyncUi(vault::VaultManager& vaults, sync::SyncController* controller, QMainWindow* window, QToolBar* toolBar)
    : QObject(window), m_vaults(vaults), m_window(window)
{
    m_feed = new SyncFeed(vaults, controller, this);
    m_conflictsAction = toolBar->addAction(tr("Conflicts"));
    m_conflictsAction->setObjectName(QStringLiteral("conflicts"));
    connect(m_conflictsAction, &QAction::triggered, this, [this] { openConflicts(); });
    if (auto* button = qobject_cast<QToolButton*>(toolBar->widgetForAction(m_conflictsAction)))
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon); // the count badge beside the word

    m_badge = new QToolButton(window);
    m_badge->setObjectName(QStringLiteral("conflictsBadge"));
    m_badge->setAutoRaise(true);
    m_badge->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_badge->hide();
    window->statusBar()->addPermanentWidget(m_badge);
    connect(m_badge, &QToolButton::clicked, this, [this] { openConflicts(); });

    m_tray = new SyncTray(m_feed, vaults.configDir() + QStringLiteral("/gui.ini"), this);
    connect(m_tray, &SyncTray::openRequested, this, [this] {
        m_window->showNormal();
        m_window->raise();
        m_window->activateWindow();
    });
    connect(m_tray, &SyncTray::quitRequested, qApp, &QApplication::quit, Qt::QueuedConnection);
    connect(m_tray, &SyncTray::conflictsRequested, this, [this](const QString& vaultId) {
        m_window->showNormal();
        openConflicts(vaultId);
    });

    connect(m_feed, &SyncFeed::conflictsChanged, this, [this](const QString& vaultId) {
        updateBadge();
        if (m_dialog && m_dialog->vaultId() == vaultId && !m_dialog->isBusy())
            m_dialog->reload(); // a sync brought or settled conflicts while the dialog was open
    });
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &SyncUi::updateBadge);
    updateBadge();
}

ConflictsDialog* SyncUi::conflictsDialog() const { return m_dialog.data(); }

bool SyncUi::keepRunningOnClose() const { return m_tray->keepRunningOnClose(); }

void SyncUi::updateBadge()
{
    const int n = m_feed->conflictCount(m_vaults.currentId());
    m_conflictsAction->setText(n > 0 ? tr("Conflicts (%1)").arg(n) : tr("Conflicts"));
    m_conflictsAction->setIcon(n > 0 ? countBadge(n) : QIcon());
    m_conflictsAction->setToolTip(n > 0 ? tr("%n conflict(s) in this vault need your choice", "", n)
                                        : tr("No conflicts in this vault"));
    m_badge->setVisible(n > 0);
    m_badge->setText(tr("%n conflict(s)", "", n));
    m_badge->setIcon(SyncTray::stateIcon({SyncFeed::State::Attention, -1, {}, 0}, 16));
}

ConflictsDialog* SyncUi::openConflicts(const QString& id)
{
    const QString vaultId = id.isEmpty() ? m_vaults.currentId() : id;
    const auto record = m_vaults.byId(vaultId);
    if (!record)
        return nullptr;
    if (m_dialog && m_dialog->vaultId() != vaultId)
        m_dialog->close();
    if (!m_dialog) {
        m_dialog = new ConflictsDialog(vaultId, record->path, record->name, m_vaults.device().name, m_window);
        m_dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_dialog, &ConflictsDialog::resolved, this, [this](const QString& resolvedVault) {
            m_feed->refreshConflicts(resolvedVault);
            m_feed->syncNow(resolvedVault); // the choices reach the other devices
        });
        connect(m_dialog, &ConflictsDialog::loaded, this, [this, vaultId](int) { m_feed->refreshConflicts(vaultId); });
    }
    m_dialog->show();
    m_dialog->raise();
    m_dialog->activateWindow();
    return m_dialog;
}

} // namespace muze::gui
