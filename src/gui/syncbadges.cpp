#include "syncbadges.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace muze::gui {

using sync::FileState;

namespace {
QString tr(const char* text, int n = -1)
{
    return QCoreApplication::translate("SyncBadges", text, nullptr, n);
}

QColor colorOf(FileState s)
{
    switch (s) {
    case FileState::Synced:
        return QColor(0x2e, 0x9e, 0x44);
    case FileState::Syncing:
        return QColor(0x1f, 0x6f, 0xd6);
    case FileState::Pending:
        return QColor(0x8a, 0x8a, 0x8a);
    case FileState::Conflict:
        return QColor(0xe0, 0x8a, 0x00);
    case FileState::Error:
        return QColor(0xd0, 0x2b, 0x2b);
    case FileState::CloudOnly:
        return QColor(0x4a, 0x90, 0xe2);
    }
    return Qt::gray;
}
} // namespace

QPixmap syncBadge(FileState state, int size, int percent)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF r(1, 1, size - 2, size - 2);
    const QColor c = colorOf(state);
    QPen white(Qt::white, std::max(1.0, size / 8.0), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    if (state == FileState::CloudOnly) {
        // A cloud: three puffs on a flat base.
        QPainterPath cloud;
        const double w = r.width(), h = r.height(), x = r.x(), y = r.y();
        cloud.addEllipse(QRectF(x, y + h * 0.40, w * 0.45, h * 0.45));
        cloud.addEllipse(QRectF(x + w * 0.22, y + h * 0.15, w * 0.50, h * 0.55));
        cloud.addEllipse(QRectF(x + w * 0.52, y + h * 0.35, w * 0.48, h * 0.50));
        cloud.addRect(QRectF(x + w * 0.2, y + h * 0.55, w * 0.6, h * 0.30));
        p.setPen(QPen(c.darker(140), 1));
        p.setBrush(Qt::white);
        p.drawPath(cloud.simplified());
        return pm;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(c);
    p.drawEllipse(r);
    p.setPen(white);
    p.setBrush(Qt::NoBrush);
    const double s = size;
    switch (state) {
    case FileState::Synced: // a check mark
        p.drawPolyline(QPolygonF{{s * 0.28, s * 0.52}, {s * 0.44, s * 0.68}, {s * 0.72, s * 0.34}});
        break;
    case FileState::Syncing:
        if (percent >= 0) { // how far, as an arc
            p.drawArc(r.adjusted(s * 0.2, s * 0.2, -s * 0.2, -s * 0.2), 90 * 16,
                -int(360 * 16 * std::clamp(percent, 0, 100) / 100));
        } else { // two arrows, up and down
            p.drawLine(QPointF(s * 0.36, s * 0.26), QPointF(s * 0.36, s * 0.74));
            p.drawPolyline(QPolygonF{{s * 0.24, s * 0.40}, {s * 0.36, s * 0.26}, {s * 0.48, s * 0.40}});
            p.drawLine(QPointF(s * 0.64, s * 0.26), QPointF(s * 0.64, s * 0.74));
            p.drawPolyline(QPolygonF{{s * 0.52, s * 0.60}, {s * 0.64, s * 0.74}, {s * 0.76, s * 0.60}});
        }
        break;
    case FileState::Pending: // three dots
        for (double x : {0.3, 0.5, 0.7})
            p.drawPoint(QPointF(s * x, s * 0.5));
        break;
    case FileState::Conflict: // an exclamation mark
    case FileState::Error:
        if (state == FileState::Conflict) {
            p.drawLine(QPointF(s * 0.5, s * 0.25), QPointF(s * 0.5, s * 0.58));
            p.drawPoint(QPointF(s * 0.5, s * 0.74));
        } else { // a cross
            p.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67));
            p.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67));
        }
        break;
    case FileState::CloudOnly:
        break;
    }
    return pm;
}

QIcon badgedIcon(const QIcon& base, FileState state, int percent)
{
    // The badge stands beside the icon (not on it), so it reads at tree-row size.
    QIcon out;
    for (int h : {16, 24, 32}) {
        QPixmap pm(h * 2 + 2, h);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.drawPixmap(0, 0, base.pixmap(h, h));
        const int b = h * 7 / 8;
        p.drawPixmap(h + 2, (h - b) / 2, syncBadge(state, b, percent));
        p.end();
        out.addPixmap(pm);
    }
    return out;
}

QString fileStateText(const sync::FileSyncState& s)
{
    switch (s.state) {
    case FileState::Synced:
        return tr("Synced");
    case FileState::Syncing:
        if (s.bytesTotal > 0 && s.bytesDone >= 0)
            return tr("Syncing %1%").arg(int(100 * s.bytesDone / s.bytesTotal));
        return tr("Syncing");
    case FileState::Pending:
        return s.detail.isEmpty() ? tr("Waiting to sync") : tr("Waiting to sync: %1").arg(s.detail);
    case FileState::Conflict:
        return tr("Conflict: changed on two devices");
    case FileState::Error:
        return s.detail.isEmpty() ? tr("Sync error") : tr("Sync error: %1").arg(s.detail);
    case FileState::CloudOnly:
        return tr("In the cloud only: download it to play it here");
    }
    return {};
}

} // namespace muze::gui
