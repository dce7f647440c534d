#include "waveformwidget.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace muze::gui {

WaveformWidget::WaveformWidget(QWidget* parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setCursor(Qt::PointingHandCursor);
}

void WaveformWidget::setPeaks(std::shared_ptr<const audio::PeakData> peaks)
{
    m_peaks = std::move(peaks);
    m_message.clear();
    update();
}

void WaveformWidget::setTimeSpan(double seconds)
{
    if (seconds == m_span)
        return; // the mix view sets it on every tick: repaint only on a change
    m_span = seconds;
    update();
}

void WaveformWidget::setPlayhead(double seconds)
{
    if (seconds == m_playhead)
        return;
    m_playhead = seconds;
    update();
}

void WaveformWidget::setAudible(bool audible)
{
    if (audible == m_audible)
        return;
    m_audible = audible;
    update();
}

void WaveformWidget::setMessage(const QString& message)
{
    if (message == m_message)
        return;
    m_message = message;
    update();
}

void WaveformWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect r = rect();
    p.fillRect(r, palette().color(QPalette::Base));
    const int mid = r.center().y();
    const double half = r.height() / 2.0 - 2;
    if (m_peaks && m_peaks->count() > 0 && m_span > 0 && m_peaks->sampleRate > 0) {
        QColor wave = palette().color(QPalette::Highlight);
        if (!m_audible)
            wave = palette().color(QPalette::Mid);
        p.setPen(wave);
        const double peaksPerSecond = double(m_peaks->sampleRate) / m_peaks->framesPerPeak;
        const qsizetype count = m_peaks->count();
        const auto& mm = m_peaks->minMax;
        // Each pixel column covers a slice of time: draw the extremes of the peaks inside it.
        for (int x = 0; x < r.width(); ++x) {
            const double t0 = m_span * x / r.width(), t1 = m_span * (x + 1) / r.width();
            auto i0 = qsizetype(t0 * peaksPerSecond);
            auto i1 = std::max(i0 + 1, qsizetype(t1 * peaksPerSecond));
            if (i0 >= count)
                break;
            i1 = std::min(i1, count);
            qint16 lo = 0, hi = 0;
            for (qsizetype i = i0; i < i1; ++i) {
                lo = std::min(lo, mm[size_t(2 * i)]);
                hi = std::max(hi, mm[size_t(2 * i + 1)]);
            }
            const int y0 = mid - int(hi / 32767.0 * half);
            const int y1 = mid - int(lo / 32767.0 * half);
            p.drawLine(x, y0, x, std::max(y0, y1));
        }
    } else {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(r, Qt::AlignCenter, m_message.isEmpty() ? tr("Computing waveform…") : m_message);
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawLine(r.left(), mid, r.right(), mid);
    if (m_span > 0) {
        const int x = int(std::clamp(m_playhead / m_span, 0.0, 1.0) * (r.width() - 1));
        p.setPen(QPen(QColor(0xe0, 0x40, 0x30), 1));
        p.drawLine(x, r.top(), x, r.bottom());
    }
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(r.adjusted(0, 0, -1, -1));
}

void WaveformWidget::mousePressEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && m_span > 0 && width() > 0)
        Q_EMIT seekRequested(m_span * std::clamp(event->position().x() / width(), 0.0, 1.0));
    QWidget::mousePressEvent(event);
}

} // namespace muze::gui
