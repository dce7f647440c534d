#include "levelmeter.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace muze::gui {

namespace {
constexpr float kFloorDb = -60.0f;
constexpr float kFallDbPerSecond = 24.0f;
constexpr qint64 kHoldMs = 1500;
} // namespace

LevelMeter::LevelMeter(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setToolTip(tr("Input level"));
    setAccessibleName(tr("Input level"));
}

void LevelMeter::reset()
{
    m_db = m_holdDb = kFloorDb;
    m_sinceUpdate.invalidate();
    update();
}

void LevelMeter::setLevel(float peak)
{
    const float db = peak > 0.0f ? std::max(kFloorDb, 20.0f * std::log10(peak)) : kFloorDb;
    const float dt = m_sinceUpdate.isValid() ? float(m_sinceUpdate.restart()) / 1000.0f : 0.0f;
    if (!m_sinceUpdate.isValid())
        m_sinceUpdate.start();
    m_db = std::max(db, m_db - kFallDbPerSecond * dt); // rises at once, falls smoothly
    if (db >= m_holdDb || !m_sinceHold.isValid() || m_sinceHold.elapsed() > kHoldMs) {
        m_holdDb = db;
        m_sinceHold.start();
    }
    update();
}

void LevelMeter::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRectF r = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    p.fillRect(r, palette().color(QPalette::Base).darker(115));
    auto xOf = [&](float db) { return r.left() + r.width() * double((db - kFloorDb) / -kFloorDb); };
    // Green up to −12 dB, yellow to −3 dB, red above: a take near 0 dBFS is about to clip.
    const double x = xOf(m_db);
    const struct {
        float from, to;
        QColor color;
    } zones[] = {{kFloorDb, -12.0f, QColor(0x3c, 0xb3, 0x4a)}, {-12.0f, -3.0f, QColor(0xe0, 0xc0, 0x30)},
        {-3.0f, 0.0f, QColor(0xe0, 0x40, 0x30)}};
    for (const auto& z : zones) {
        const double a = xOf(z.from), b = std::min(xOf(z.to), x);
        if (b > a)
            p.fillRect(QRectF(a, r.top(), b - a, r.height()), z.color);
    }
    if (m_holdDb > kFloorDb) {
        p.setPen(QPen(palette().color(QPalette::WindowText), 2));
        const double hx = xOf(m_holdDb);
        p.drawLine(QPointF(hx, r.top()), QPointF(hx, r.bottom()));
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r);
}

} // namespace muze::gui
