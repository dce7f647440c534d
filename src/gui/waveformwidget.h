#pragma once
// One track's waveform drawn from its cached peaks, on a time axis shared by all rows of
// the mix (so takes line up), with the playhead. A click asks to seek there.

#include <muze/audio/peaks.h>

#include <QWidget>

#include <memory>

namespace muze::gui {

class WaveformWidget : public QWidget {
    Q_OBJECT
public:
    explicit WaveformWidget(QWidget* parent = nullptr);

    void setPeaks(std::shared_ptr<const audio::PeakData> peaks);
    bool hasPeaks() const { return m_peaks != nullptr; }
    /// Length of the whole mix in seconds: the widget's width.
    void setTimeSpan(double seconds);
    void setPlayhead(double seconds);
    /// Greyed out when the track is not heard (muted, or another track soloed).
    void setAudible(bool audible);
    /// Text shown instead of the waveform (computing, missing audio...).
    void setMessage(const QString& message);

    QSize sizeHint() const override { return {400, 56}; }
    QSize minimumSizeHint() const override { return {80, 36}; }

Q_SIGNALS:
    void seekRequested(double seconds);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    std::shared_ptr<const audio::PeakData> m_peaks;
    double m_span = 0.0;
    double m_playhead = 0.0;
    bool m_audible = true;
    QString m_message;
};

} // namespace muze::gui
