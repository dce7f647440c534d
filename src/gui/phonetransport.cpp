// The transport's layouts: the desktop row, and the phone's, pinned under the track cards with
// a large round Record button, the take's length counting up and the input meter always in
// view (portrait: three rows; landscape: one row so the cards keep the height).
#include "transportbar.h"

#include "levelmeter.h"

#include <QBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>

namespace muze::gui {

namespace {
constexpr int kPlaySize = 52;

void unfix(QWidget* w)
{
    w->setMinimumSize(0, 0);
    w->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
}
} // namespace

void TransportBar::setForm(MixForm form)
{
    if (form == m_form)
        return;
    m_form = form;
    layOut();
    styleRecord(m_recording);
    setPlaying(m_play->accessibleName() == tr("Stop"));
}

void TransportBar::layOut()
{
    delete layout();
    for (QWidget* w : {static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_record), static_cast<QWidget*>(m_meter),
             static_cast<QWidget*>(m_position)})
        unfix(w);
    const bool phone = m_form != MixForm::Desktop;
    m_export->setVisible(!phone); // on a phone: the ⋯ menu
    // Sizes in the style sheet too: the phone window's style sheet sets minimum sizes.
    m_play->setStyleSheet(phone ? QStringLiteral("QPushButton { border: 1px solid palette(mid); border-radius: %1px;"
                                                 " background: palette(button); min-width: %2px; max-width: %2px;"
                                                 " min-height: %2px; max-height: %2px; }")
                                      .arg(kPlaySize / 2)
                                      .arg(kPlaySize)
                                : QString());
    m_play->setIconSize(phone ? QSize(26, 26) : QSize(16, 16));
    m_recordTime->setStyleSheet(phone ? QStringLiteral("font-size: 22px; font-weight: bold;") : QString());
    m_recordTime->setMinimumWidth(m_recordTime->fontMetrics().horizontalAdvance(QStringLiteral("● 00:00.0")));
    if (phone) {
        m_play->setFixedSize(kPlaySize, kPlaySize);
        const int record = m_form == MixForm::PhonePortrait ? 76 : 60;
        m_record->setFixedSize(record, record);
        m_meter->setMinimumHeight(22);
        m_position->setMinimumHeight(44);
    } else {
        m_meter->setMaximumWidth(180);
    }

    if (m_form == MixForm::Desktop) {
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(0, 0, 0, 0);
        row->addWidget(m_play);
        row->addWidget(m_record);
        row->addWidget(m_recordTime);
        row->addWidget(m_meter, 1);
        row->addSpacing(12);
        row->addWidget(m_position, 3);
        row->addWidget(m_time);
        row->addSpacing(12);
        row->addWidget(m_busy);
        row->addWidget(m_export);
        return;
    }
    if (m_form == MixForm::PhoneLandscape) {
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(8, 4, 8, 4);
        row->setSpacing(10);
        row->addWidget(m_play);
        row->addWidget(m_record);
        row->addWidget(m_recordTime);
        row->addWidget(m_meter, 2);
        row->addWidget(m_position, 3);
        row->addWidget(m_time);
        row->addWidget(m_busy);
        return;
    }
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(12, 6, 12, 10);
    column->setSpacing(6);
    auto* level = new QHBoxLayout;
    level->addWidget(m_meter, 1);
    level->addWidget(m_recordTime);
    column->addLayout(level);
    auto* position = new QHBoxLayout;
    position->addWidget(m_position, 1);
    position->addWidget(m_time);
    column->addLayout(position);
    column->addWidget(m_busy); // shown only while it says something (setBusy)
    m_busy->setVisible(!m_busy->text().isEmpty());
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_play, 0, Qt::AlignVCenter);
    buttons->addSpacing(28);
    buttons->addWidget(m_record);
    buttons->addSpacing(28 + kPlaySize); // the Record button sits in the middle
    buttons->addStretch(1);
    column->addLayout(buttons);
}

void TransportBar::styleRecord(bool recording)
{
    if (m_form == MixForm::Desktop) {
        m_record->setText(recording ? tr("Stop recording") : tr("Record"));
        m_record->setStyleSheet(
            recording ? QStringLiteral("QPushButton { color: white; background: #c0392b; }") : QString());
        return;
    }
    const int size = m_form == MixForm::PhonePortrait ? 76 : 60;
    const int radius = size / 2;
    // A white dot to start, a white square to stop, on a red disc.
    m_record->setText(recording ? QStringLiteral("■") : QStringLiteral("●"));
    m_record->setStyleSheet(QStringLiteral("QPushButton { color: white; background: %1; border: 4px solid %2;"
                                           " border-radius: %3px; font-size: %4px; min-width: %5px; max-width: %5px;"
                                           " min-height: %5px; max-height: %5px; }"
                                           "QPushButton:disabled { background: #d9a6a0; border-color: #eee; }")
                                .arg(recording ? QStringLiteral("#a93226") : QStringLiteral("#e74c3c"),
                                    recording ? QStringLiteral("#f5b7b1") : QStringLiteral("#ffffff"))
                                .arg(radius)
                                .arg(radius)
                                .arg(size));
}

} // namespace muze::gui
