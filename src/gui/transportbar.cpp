#include "transportbar.h"

#include "levelmeter.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QStyle>

#include <cmath>

namespace muze::gui {

namespace {
constexpr int kSliderSteps = 10000;
}

QString formatTime(double seconds)
{
    const qint64 tenths = qint64(std::floor(std::max(0.0, seconds) * 10));
    return QStringLiteral("%1:%2.%3")
        .arg(tenths / 600)
        .arg((tenths / 10) % 60, 2, 10, QLatin1Char('0'))
        .arg(tenths % 10);
}

TransportBar::TransportBar(QWidget* parent)
    : QWidget(parent)
{
    m_play = new QPushButton(this);
    m_play->setToolTip(tr("Play / stop (Space)"));
    m_record = new QPushButton(tr("Record"), this);
    m_record->setToolTip(tr("Record a new track (R)"));
    m_recordTime = new QLabel(this);
    m_recordTime->setMinimumWidth(m_recordTime->fontMetrics().horizontalAdvance(QStringLiteral("● 00:00.0")));
    m_meter = new LevelMeter(this);
    m_meter->setMaximumWidth(180);
    m_position = new QSlider(Qt::Horizontal, this);
    m_position->setRange(0, kSliderSteps);
    m_position->setAccessibleName(tr("Position"));
    m_time = new QLabel(this);
    m_busy = new QLabel(this);
    m_export = new QPushButton(tr("Export mixdown…"), this);
    m_recordTime->setAccessibleName(tr("Length of the take"));
    m_meter->setAccessibleName(tr("Input level"));
    m_time->setAccessibleName(tr("Position and length"));
    layOut();

    setPlaying(false);
    setRecording(false);
    setPosition(0, 0);

    connect(m_play, &QPushButton::clicked, this, &TransportBar::playToggled);
    connect(m_record, &QPushButton::clicked, this, &TransportBar::recordToggled);
    connect(m_export, &QPushButton::clicked, this, &TransportBar::exportRequested);
    // Seek on release (or a click on the groove), not on every pixel of a drag.
    connect(m_position, &QSlider::sliderReleased, this,
        [this] { Q_EMIT seekRequested(m_length * m_position->value() / kSliderSteps); });
    connect(m_position, &QSlider::actionTriggered, this, [this](int action) {
        if (action != QAbstractSlider::SliderMove)
            Q_EMIT seekRequested(m_length * m_position->sliderPosition() / kSliderSteps);
    });
}

void TransportBar::setPlaying(bool playing)
{
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
    m_play->setText(m_form != MixForm::Desktop ? QString() : playing ? tr("Stop") : tr("Play"));
    m_play->setAccessibleName(playing ? tr("Stop") : tr("Play"));
}

void TransportBar::setRecording(bool recording)
{
    m_recording = recording;
    m_record->setAccessibleName(recording ? tr("Stop recording") : tr("Record"));
    styleRecord(recording);
    m_recordTime->setText(recording ? QStringLiteral("● ") + formatTime(0) : QString());
    m_export->setEnabled(!recording);
    if (!recording)
        m_meter->reset();
}

void TransportBar::setRecordElapsed(double seconds)
{
    m_recordTime->setText(QStringLiteral("● ") + formatTime(seconds));
}

void TransportBar::setPosition(double seconds, double length)
{
    m_length = length;
    if (!m_position->isSliderDown())
        m_position->setValue(length > 0 ? int(kSliderSteps * std::min(1.0, seconds / length)) : 0);
    m_position->setEnabled(length > 0);
    m_time->setText(formatTime(seconds) + QStringLiteral(" / ") + formatTime(length));
}

void TransportBar::setInputLevel(float peak)
{
    m_meter->setLevel(peak);
}

void TransportBar::setBusy(const QString& what)
{
    m_busy->setText(what);
    m_busy->setVisible(m_form == MixForm::Desktop || !what.isEmpty());
    m_export->setEnabled(what.isEmpty());
}

} // namespace muze::gui
