#include "syncstatus.h"

#include <muze/sync/synccontroller.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace muze::gui {

SyncStatusWidget::SyncStatusWidget(sync::SyncController* controller, QString vaultId, QWidget* parent)
    : QWidget(parent), m_controller(controller), m_vaultId(std::move(vaultId)), m_label(new QLabel(this)),
      m_bar(new QProgressBar(this)), m_syncNow(new QToolButton(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_syncNow);
    m_bar->setMaximumWidth(160);
    m_bar->setTextVisible(false);
    m_bar->hide();
    m_syncNow->setText(tr("Sync now"));
    m_syncNow->setAccessibleName(tr("Sync now"));
    m_label->setText(describe(QStringLiteral("pending"), {}));
    connect(m_syncNow, &QToolButton::clicked, this, [this] {
        // After a refused mass delete, the button is the user's "yes, go ahead".
        m_controller->syncNow(m_vaultId, m_state == QLatin1String("attention"));
    });
    connect(controller, &sync::SyncController::vaultStateChanged, this, &SyncStatusWidget::onState);
    connect(controller, &sync::SyncController::progress, this, &SyncStatusWidget::onProgress);
}

QString SyncStatusWidget::describe(const QString& state, const QString& message)
{
    if (state == QLatin1String("synced"))
        return tr("Synced");
    if (state == QLatin1String("syncing"))
        return tr("Syncing…");
    if (state == QLatin1String("pending"))
        return message.isEmpty() ? tr("Waiting to sync") : tr("Waiting: %1").arg(message);
    if (state == QLatin1String("offline"))
        return tr("Offline — changes are kept and sent when the remote is back");
    if (state == QLatin1String("locked"))
        return tr("Locked — enter the vault password to sync");
    if (state == QLatin1String("attention"))
        return tr("Stopped: %1. Press Sync now to go ahead.").arg(message);
    return tr("Sync error: %1").arg(message);
}

void SyncStatusWidget::onState(const QString& vaultId, const QString& state, const QString& message)
{
    if (vaultId != m_vaultId)
        return;
    m_state = state;
    m_label->setText(describe(state, message));
    m_label->setToolTip(message);
    m_syncNow->setText(state == QLatin1String("attention") ? tr("Delete them") : tr("Sync now"));
    if (state != QLatin1String("syncing"))
        m_bar->hide();
}

void SyncStatusWidget::onProgress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
{
    if (vaultId != m_vaultId)
        return;
    m_bar->setVisible(filesDone < filesTotal);
    // Bytes when there are bytes to move, files otherwise; scaled into int range.
    const qint64 total = bytesTotal > 0 ? bytesTotal : filesTotal;
    const qint64 done = bytesTotal > 0 ? bytesDone : filesDone;
    m_bar->setRange(0, 1000);
    m_bar->setValue(total > 0 ? int(std::min<qint64>(1000, done * 1000 / total)) : 0);
    m_label->setText(tr("Syncing %1 of %2 files").arg(filesDone).arg(filesTotal));
}

} // namespace muze::gui
