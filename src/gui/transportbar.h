#pragma once
// The mix view's transport: play/stop, position (seekable), record with its elapsed time
// and the input level meter, and mixdown export. Buttons only emit requests; MixView acts.

#include <QWidget>

class QLabel;
class QPushButton;
class QSlider;

namespace muze::gui {

class LevelMeter;

/// "m:ss.t" for a time in seconds.
QString formatTime(double seconds);

/// How the mix view is laid out: the desktop row, or the phone's (touch-sized, pinned at the
/// bottom) in portrait or landscape.
enum class MixForm { Desktop, PhonePortrait, PhoneLandscape };

class TransportBar : public QWidget {
    Q_OBJECT
public:
    explicit TransportBar(QWidget* parent = nullptr);

    void setPlaying(bool playing);
    void setRecording(bool recording);
    void setRecordElapsed(double seconds);
    /// Position and length of the mix in seconds.
    void setPosition(double seconds, double length);
    void setInputLevel(float peak);
    void setBusy(const QString& what); // e.g. "Exporting…"; empty clears
    void setForm(MixForm form); // phonetransport.cpp
    MixForm form() const { return m_form; }

    QPushButton* playButton() const { return m_play; }
    QPushButton* recordButton() const { return m_record; }
    QPushButton* exportButton() const { return m_export; }
    QSlider* positionSlider() const { return m_position; }
    QLabel* recordTimeLabel() const { return m_recordTime; }
    LevelMeter* meter() const { return m_meter; }

Q_SIGNALS:
    void playToggled();
    void recordToggled();
    void exportRequested();
    void seekRequested(double seconds);

private:
    void layOut(); // phonetransport.cpp
    void styleRecord(bool recording); // phonetransport.cpp

    MixForm m_form = MixForm::Desktop;
    bool m_recording = false;
    QPushButton* m_play = nullptr;
    QPushButton* m_record = nullptr;
    QPushButton* m_export = nullptr;
    QSlider* m_position = nullptr;
    QLabel* m_time = nullptr;
    QLabel* m_recordTime = nullptr;
    QLabel* m_busy = nullptr;
    LevelMeter* m_meter = nullptr;
    double m_length = 0.0;
};

} // namespace muze::gui
