#pragma once
// Private to mixview*.cpp: one track's row of widgets, and a take being recorded.

#include "mixview.h"
#include "transportbar.h"
#include "waveformwidget.h"

#include <muze/audio/take.h>

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWidget>

namespace muze::gui {

// One track: name and length, waveform, gain, pan, mute, solo.
class TrackRow : public QWidget {
public:
    TrackRow(const audio::MixTrackSpec& spec, QWidget* parent)
        : QWidget(parent)
        , id(spec.id)
    {
        name = new QLabel(spec.name, this);
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        length = new QLabel(this);
        setObjectName(QStringLiteral("track-") + spec.id); // found by MixSyncBadges
        setProperty("wavPath", spec.wavPath);
        syncState = new QLabel(this); // sync state of the take (MixSyncBadges)
        syncState->setObjectName(QStringLiteral("trackSync"));
        syncState->hide();
        waveform = new WaveformWidget(this);
        gain = new QDoubleSpinBox(this);
        gain->setRange(-96.0, 24.0);
        gain->setSingleStep(0.5);
        gain->setDecimals(1);
        gain->setSuffix(tr(" dB"));
        gain->setToolTip(tr("Gain"));
        gain->setAccessibleName(tr("Gain of %1").arg(spec.name));
        pan = new QSlider(Qt::Horizontal, this);
        pan->setRange(-100, 100);
        pan->setToolTip(tr("Pan (double-click to centre)"));
        pan->setAccessibleName(tr("Pan of %1").arg(spec.name));
        mute = new QToolButton(this);
        mute->setText(tr("M"));
        mute->setCheckable(true);
        mute->setToolTip(tr("Mute"));
        mute->setAccessibleName(tr("Mute %1").arg(spec.name));
        solo = new QToolButton(this);
        solo->setText(tr("S"));
        solo->setCheckable(true);
        solo->setToolTip(tr("Solo"));
        solo->setAccessibleName(tr("Solo %1").arg(spec.name));
        waveform->setAccessibleName(tr("Waveform of %1").arg(spec.name));
        layOut(false);
        set(spec.mix);
        const auto info = wav::probeWavFile(spec.wavPath);
        if (info) {
            length->setText(formatTime(info->durationSeconds()) + QStringLiteral("  ")
                + QString::number(info->sampleRate / 1000.0, 'f', 1) + tr(" kHz ")
                + (info->channels == 1 ? tr("mono") : tr("stereo")));
        } else {
            length->setText(tr("no audio here"));
            waveform->setMessage(
                info.error().is(errc::io_error) ? tr("Audio not on this device yet") : info.error().message);
            hasAudio = false;
        }
    }

    void set(const audio::TrackMix& mix)
    {
        const QSignalBlocker b1(gain), b2(pan), b3(mute), b4(solo);
        gain->setValue(mix.gainDb);
        pan->setValue(int(std::lround(mix.pan * 100)));
        mute->setChecked(mix.muted);
        solo->setChecked(mix.solo);
    }

    /// Desktop: one row. Phone: a card (name, state, full-width waveform, then the controls).
    void layOut(bool phone); // phonemix.cpp

    audio::TrackMix mix() const { return {gain->value(), pan->value() / 100.0, mute->isChecked(), solo->isChecked()}; }

    QString id;
    bool hasAudio = true;
    QLabel* name = nullptr;
    QLabel* length = nullptr;
    QLabel* syncState = nullptr;
    WaveformWidget* waveform = nullptr;
    QDoubleSpinBox* gain = nullptr;
    QSlider* pan = nullptr;
    QToolButton* mute = nullptr;
    QToolButton* solo = nullptr;
};

struct MixView::PendingTake {
    audio::TakeTarget target;
    bool stopping = false; // Stop was pressed: the recorder finalizes the WAV
};

} // namespace muze::gui
