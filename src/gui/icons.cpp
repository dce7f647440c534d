#include "icons.h"

#include <QDateTime>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace muze::gui {

namespace {

QColor statusColor(vault::SyncStatus s)
{
    switch (s) {
    case vault::SyncStatus::Synced: return QColor(0x2e, 0xa0, 0x43);
    case vault::SyncStatus::Syncing: return QColor(0x1f, 0x6f, 0xeb);
    case vault::SyncStatus::Error: return QColor(0xd1, 0x24, 0x2f);
    case vault::SyncStatus::Offline: return QColor(0x8c, 0x95, 0x9f);
    }
    return Qt::gray;
}

void drawProvider(QPainter& p, vault::Provider provider, qreal s)
{
    p.setPen(Qt::NoPen);
    switch (provider) {
    case vault::Provider::Local: {
        p.setBrush(QColor(0x57, 0x60, 0x6a));
        p.drawRoundedRect(QRectF(s * 0.1, s * 0.3, s * 0.8, s * 0.45), s * 0.08, s * 0.08);
        p.setBrush(QColor(0x7e, 0xe7, 0x87));
        p.drawEllipse(QPointF(s * 0.75, s * 0.52), s * 0.05, s * 0.05);
        break;
    }
    case vault::Provider::Dropbox: {
        p.setBrush(QColor(0x00, 0x61, 0xfe));
        auto diamond = [&](qreal cx, qreal cy) {
            QPainterPath d;
            const qreal w = s * 0.2, h = s * 0.13;
            d.moveTo(cx, cy - h);
            d.lineTo(cx + w, cy);
            d.lineTo(cx, cy + h);
            d.lineTo(cx - w, cy);
            d.closeSubpath();
            p.drawPath(d);
        };
        diamond(s * 0.3, s * 0.3);
        diamond(s * 0.7, s * 0.3);
        diamond(s * 0.3, s * 0.56);
        diamond(s * 0.7, s * 0.56);
        diamond(s * 0.5, s * 0.76);
        break;
    }
    case vault::Provider::ICloud: {
        p.setBrush(QColor(0x3a, 0x9b, 0xf0));
        QPainterPath cloud;
        cloud.addEllipse(QPointF(s * 0.35, s * 0.55), s * 0.2, s * 0.17);
        cloud.addEllipse(QPointF(s * 0.55, s * 0.42), s * 0.22, s * 0.22);
        cloud.addEllipse(QPointF(s * 0.72, s * 0.58), s * 0.16, s * 0.14);
        cloud.addRoundedRect(QRectF(s * 0.2, s * 0.52, s * 0.65, s * 0.2), s * 0.1, s * 0.1);
        cloud.setFillRule(Qt::WindingFill);
        p.drawPath(cloud.simplified());
        break;
    }
    }
}

} // namespace

QIcon providerIcon(vault::Provider provider, vault::SyncStatus status, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    drawProvider(p, provider, size);
    // Status dot in the corner, ringed so it reads on any background.
    const qreal r = size * 0.16;
    p.setBrush(statusColor(status));
    p.setPen(QPen(Qt::white, size * 0.05));
    p.drawEllipse(QPointF(size - r - 1, size - r - 1), r, r);
    return QIcon(pm);
}

QString statusText(const vault::VaultRecord& r)
{
    if (r.provider == vault::Provider::Local && r.remotePath.isEmpty())
        return QObject::tr("On this device");
    switch (r.syncStatus) {
    case vault::SyncStatus::Syncing: return QObject::tr("Syncing…");
    case vault::SyncStatus::Error: return QObject::tr("Sync error");
    case vault::SyncStatus::Offline: return QObject::tr("Offline");
    case vault::SyncStatus::Synced: break;
    }
    if (!r.lastSynced.isValid())
        return QObject::tr("Not synced yet");
    const qint64 mins = r.lastSynced.secsTo(QDateTime::currentDateTimeUtc()) / 60;
    if (mins < 1)
        return QObject::tr("Synced just now");
    if (mins < 60)
        return QObject::tr("Synced %1 min ago").arg(mins);
    return QObject::tr("Synced %1").arg(QLocale().toString(r.lastSynced.toLocalTime(), QLocale::ShortFormat));
}

} // namespace muze::gui
