// The mix view on a phone: track cards stacked vertically (name, state, full-width waveform,
// then gain, pan, mute and solo), the transport pinned at the bottom, no sideways scrolling;
// and the input meter that listens before a take starts.
#include "mixview.h"

#include "inputmonitor.h"
#include "mixviewparts.h"

#include <muze/audio/recorder.h>

#include <QScrollArea>
#include <QTimer>

namespace muze::gui {

namespace {
constexpr int kTouch = 44; // the smallest comfortable touch target, in pixels

void unfix(QWidget* w)
{
    w->setMinimumSize(0, 0);
    w->setMaximumSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX);
}
} // namespace

void TrackRow::layOut(bool phone)
{
    delete layout(); // the widgets stay; only their arrangement changes
    for (QWidget* w : {static_cast<QWidget*>(name), static_cast<QWidget*>(pan), static_cast<QWidget*>(mute),
             static_cast<QWidget*>(solo), static_cast<QWidget*>(gain), static_cast<QWidget*>(waveform)})
        unfix(w);
    name->setWordWrap(phone);
    length->setWordWrap(phone);
    setAutoFillBackground(phone);
    if (!phone) {
        auto* row = new QHBoxLayout(this);
        row->setContentsMargins(4, 2, 4, 2);
        auto* names = new QVBoxLayout;
        names->addWidget(name);
        names->addWidget(length);
        names->addWidget(syncState);
        names->addStretch();
        name->setFixedWidth(150);
        pan->setFixedWidth(90);
        row->addLayout(names);
        row->addWidget(waveform, 1);
        row->addWidget(gain);
        row->addWidget(pan);
        row->addWidget(mute);
        row->addWidget(solo);
        return;
    }
    QPalette card = palette(); // a light card on the window colour
    card.setColor(QPalette::Window, palette().color(QPalette::Base));
    setPalette(card);
    auto* column = new QVBoxLayout(this);
    column->setContentsMargins(12, 10, 12, 10);
    column->setSpacing(6);
    column->addWidget(name);
    auto* state = new QHBoxLayout;
    state->addWidget(length, 1);
    state->addWidget(syncState);
    column->addLayout(state);
    waveform->setMinimumHeight(64);
    column->addWidget(waveform);
    auto* controls = new QHBoxLayout;
    controls->setSpacing(8);
    gain->setMinimumHeight(kTouch);
    pan->setMinimumSize(60, kTouch);
    mute->setMinimumSize(kTouch + 4, kTouch);
    solo->setMinimumSize(kTouch + 4, kTouch);
    controls->addWidget(gain);
    controls->addWidget(pan, 1);
    controls->addWidget(mute);
    controls->addWidget(solo);
    column->addLayout(controls);
}

void MixView::setForm(MixForm form)
{
    if (form == m_form)
        return;
    m_form = form;
    const bool phone = form != MixForm::Desktop;
    m_header->setVisible(!phone); // the phone's title bar names the mix
    m_transport->setForm(form);
    for (TrackRow* r : m_rows)
        r->layOut(phone);
    m_rowsLayout->setSpacing(phone ? 10 : -1);
    layout()->setContentsMargins(phone ? QMargins(8, 6, 8, 0) : QMargins(9, 9, 9, 9));
    if (auto* scroll = findChild<QScrollArea*>(QStringLiteral("trackScroll")))
        scroll->setHorizontalScrollBarPolicy(phone ? Qt::ScrollBarAlwaysOff : Qt::ScrollBarAsNeeded);
    m_empty->setText(emptyText());
    updateMonitor();
}

QString MixView::emptyText() const
{
    if (m_mixId.isEmpty())
        return tr("Pick a mix in the project tree.");
    if (m_take && m_recorder->isRecording())
        return tr("Recording the first take…");
    if ((m_take && m_take->stopping && m_take->target.mixId == m_mixId) || m_savingTakes.contains(m_mixId))
        return tr("Saving the take…");
    return m_form == MixForm::Desktop ? tr("No tracks yet. Press R (or Record) to record the first one.")
                                      : tr("No tracks yet. Tap the red button to record the first one.");
}

bool MixView::isMonitoringInput() const
{
    return m_monitor && m_monitor->isActive();
}

void MixView::setupMonitor()
{
    m_monitor = new InputMonitor(this);
    auto* timer = new QTimer(m_monitor); // goes with the monitor (first thing ~MixView deletes)
    timer->setInterval(50);
    connect(timer, &QTimer::timeout, this, [this] {
        updateMonitor();
        if (m_monitor->isActive())
            m_transport->setInputLevel(m_monitor->takePeak());
    });
    timer->start();
}

void MixView::updateMonitor()
{
    if (!m_monitor)
        return; // the view is going
    // Listening before a take: on an empty mix (nothing else to look at) and on the phone's mix
    // page; never once a take is asked for (the recorder feeds the meter then).
    const bool wanted
        = isVisible() && !m_mixId.isEmpty() && !m_take && (m_form != MixForm::Desktop || m_rows.isEmpty());
    if (!wanted) {
        if (m_monitor->isActive()) {
            m_monitor->stop();
            if (!m_recorder->isRecording())
                m_transport->setInputLevel(0.0f);
        }
        return;
    }
    if (m_monitor->isActive() && m_monitor->deviceId() == m_inputDevice)
        return;
    if (!m_monitor->isActive() && m_monitor->failedDevice() == m_inputDevice)
        return; // that device could not be opened: not retried every tick
    m_monitor->start(m_inputDevice);
}

} // namespace muze::gui
