#include "synctray.h"

#include <muze/vault/vaultmanager.h>

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QPainter>
#include <QPainterPath>
#include <QSettings>
#include <QSystemTrayIcon>

namespace muze::gui {

namespace {
const QString kKeepKey = QStringLiteral("tray/keepSyncingWhenClosed");
}

SyncTray::SyncTray(SyncFeed* feed, QString settingsFile, QObject* parent)
    : QObject(parent), m_feed(feed), m_settingsFile(std::move(settingsFile))
{
    m_menu = new QMenu;
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_status = m_menu->addAction(QString());
    m_status->setEnabled(false);
    m_menu->addSeparator();
    m_syncNow = m_menu->addAction(tr("Sync now"));
    m_pause = m_menu->addAction(tr("Pause sync"));
    m_conflicts = m_menu->addAction(tr("Conflicts…"));
    m_menu->addSeparator();
    m_keepSyncing = m_menu->addAction(tr("Keep syncing when the window is closed"));
    m_keepSyncing->setCheckable(true);
    m_keepSyncing->setChecked(keepSyncingSetting());
    m_menu->addSeparator();
    m_open = m_menu->addAction(tr("Open Muze"));
    m_quit = m_menu->addAction(tr("Quit Muze"));
    m_pause->setEnabled(m_feed->canPause());
    m_pause->setToolTip(tr("Pause or resume sync of every vault; remembered when Muze restarts"));
    m_menu->setToolTipsVisible(true);

    connect(m_syncNow, &QAction::triggered, this, [this] { m_feed->syncNow(); });
    connect(m_pause, &QAction::triggered, this, [this] { m_feed->setAllPaused(!m_feed->allPaused()); });
    connect(m_conflicts, &QAction::triggered, this, [this] { Q_EMIT conflictsRequested({}); });
    connect(m_keepSyncing, &QAction::toggled, this, &SyncTray::setKeepSyncingSetting);
    connect(m_open, &QAction::triggered, this, &SyncTray::openRequested);
    connect(m_quit, &QAction::triggered, this, &SyncTray::quitRequested);

    m_tray = new QSystemTrayIcon(this);
    m_tray->setContextMenu(m_menu);
    connect(m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            Q_EMIT openRequested();
    });
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
        if (m_clickVault.isEmpty())
            Q_EMIT openRequested();
        else
            Q_EMIT conflictsRequested(m_clickVault);
    });

    connect(m_feed, &SyncFeed::changed, this, &SyncTray::refresh);
    connect(m_feed, &SyncFeed::newConflicts, this, [this](const QString& vaultId, int added) {
        notify(tr("New conflict in %1").arg(vaultName(vaultId)),
               tr("%n change(s) made on two devices need your choice. Click to compare them.", "", added), false, vaultId);
    });
    connect(m_feed, &SyncFeed::needsUser, this,
            [this](const QString& vaultId, SyncFeed::UserProblem problem, const QString& message) {
                QString title;
                switch (problem) {
                case SyncFeed::UserProblem::SignedOut: title = tr("%1: sign in again to sync"); break;
                case SyncFeed::UserProblem::DiskFull: title = tr("%1: the disk is full"); break;
                case SyncFeed::UserProblem::KeyRing: title = tr("%1: the vault's keys need you"); break;
                default: title = tr("%1 cannot sync"); break;
                }
                notify(title.arg(vaultName(vaultId)), message, true);
            });
    connect(m_feed, &SyncFeed::uploadFinished, this, [this](const QString& vaultId, const QString&) {
        notify(tr("Recording uploaded"), tr("A new take is safe in %1.").arg(vaultName(vaultId)), false);
    });
    refresh();
    if (trayAvailable())
        m_tray->show();
}

SyncTray::~SyncTray()
{
    m_tray->hide();
    delete m_menu;
}

bool SyncTray::trayAvailable() { return QSystemTrayIcon::isSystemTrayAvailable(); }

bool SyncTray::keepSyncingSetting() const
{
    return QSettings(m_settingsFile, QSettings::IniFormat).value(kKeepKey, false).toBool();
}

void SyncTray::setKeepSyncingSetting(bool on)
{
    QSettings s(m_settingsFile, QSettings::IniFormat);
    s.setValue(kKeepKey, on);
    s.sync();
    if (m_keepSyncing->isChecked() != on)
        m_keepSyncing->setChecked(on);
}

bool SyncTray::keepRunningOnClose() const { return keepSyncingSetting() && trayAvailable() && m_tray->isVisible(); }

QString SyncTray::vaultName(const QString& vaultId) const
{
    const auto r = m_feed->vaults().byId(vaultId);
    return r ? r->name : tr("a vault");
}

QString SyncTray::stateText(const SyncFeed::VaultState& s)
{
    QString text;
    switch (s.state) {
    case SyncFeed::State::Syncing:
        text = s.percent >= 0 ? tr("Syncing %1%").arg(s.percent) : tr("Syncing…");
        break;
    case SyncFeed::State::Offline: text = tr("Offline — changes wait"); break;
    case SyncFeed::State::Paused: text = tr("Paused"); break;
    case SyncFeed::State::Error: text = s.message.isEmpty() ? tr("Sync error") : tr("Sync error: %1").arg(s.message); break;
    case SyncFeed::State::Attention: text = tr("Sync waits for you"); break;
    case SyncFeed::State::Synced: text = tr("Synced"); break;
    case SyncFeed::State::Idle: text = tr("Nothing to sync"); break;
    }
    if (s.conflicts > 0)
        text += QStringLiteral(" · ") + tr("%n conflict(s)", "", s.conflicts);
    return text;
}

QIcon SyncTray::stateIcon(const SyncFeed::VaultState& s, int size)
{
    QColor color(0x2e, 0x9e, 0x5b); // synced: green
    QString glyph = QStringLiteral("✓");
    switch (s.state) {
    case SyncFeed::State::Syncing: color = QColor(0x2f, 0x80, 0xed); glyph = QStringLiteral("⟳"); break;
    case SyncFeed::State::Offline: color = QColor(0x8a, 0x8f, 0x98); glyph = QStringLiteral("–"); break;
    case SyncFeed::State::Error:
    case SyncFeed::State::Attention: color = QColor(0xd6, 0x45, 0x45); glyph = QStringLiteral("!"); break;
    case SyncFeed::State::Idle: color = QColor(0x8a, 0x8f, 0x98); glyph = QStringLiteral("♪"); break;
    case SyncFeed::State::Paused: color = QColor(0x8a, 0x8f, 0x98); glyph = QStringLiteral("‖"); break;
    case SyncFeed::State::Synced: break;
    }
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(1, 1, size - 2, size - 2));
    QFont f = p.font();
    f.setBold(true);
    f.setPixelSize(size * 6 / 10);
    p.setFont(f);
    p.setPen(Qt::white);
    p.drawText(QRect(0, 0, size, size), Qt::AlignCenter, glyph);
    if (s.conflicts > 0) { // the conflict badge: an orange dot with the count
        const int d = size / 2 + 2;
        const QRectF badge(size - d, 0, d, d);
        p.setPen(QPen(Qt::white, 1.5));
        p.setBrush(QColor(0xf2, 0x99, 0x1d));
        p.drawEllipse(badge);
        f.setPixelSize(d * 7 / 10);
        p.setFont(f);
        p.drawText(badge, Qt::AlignCenter, s.conflicts > 9 ? QStringLiteral("9+") : QString::number(s.conflicts));
    }
    p.end();
    return QIcon(pm);
}

void SyncTray::refresh()
{
    SyncFeed::VaultState s = m_feed->overall();
    const bool paused = m_feed->allPaused();
    if (paused && s.state != SyncFeed::State::Error)
        s.state = SyncFeed::State::Paused;
    m_pause->setText(paused ? tr("Resume sync") : tr("Pause sync"));
    const QString text = stateText(s);
    m_status->setText(text);
    m_status->setIcon(stateIcon(s, 16));
    m_toolTip = tr("Muze — %1").arg(text);
    m_tray->setToolTip(m_toolTip);
    m_tray->setIcon(stateIcon(s));
    m_conflicts->setVisible(s.conflicts > 0);
    m_conflicts->setText(tr("Conflicts (%n)…", "", s.conflicts));
    m_syncNow->setEnabled(s.state != SyncFeed::State::Idle || !m_feed->vaults().vaults().isEmpty());
}

void SyncTray::notify(const QString& title, const QString& text, bool critical, const QString& conflictVault)
{
    m_lastTitle = title;
    m_lastText = text;
    m_clickVault = conflictVault;
    if (m_tray->isVisible())
        m_tray->showMessage(title, text, critical ? QSystemTrayIcon::Critical : QSystemTrayIcon::Information, 10000);
    Q_EMIT notified(title, text);
}

} // namespace muze::gui
