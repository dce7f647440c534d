#pragma once
// A horizontal peak meter from −60 dBFS to 0 dBFS with a falling bar and a peak hold.

#include <QElapsedTimer>
#include <QWidget>

namespace muze::gui {

class LevelMeter : public QWidget {
    Q_OBJECT
public:
    explicit LevelMeter(QWidget* parent = nullptr);

    /// A new peak (linear, 0..1); call every few tens of milliseconds. 0 lets the bar fall.
    void setLevel(float peak);
    void reset();
    float displayedDb() const { return m_db; }

    QSize sizeHint() const override { return {160, 14}; }
    QSize minimumSizeHint() const override { return {60, 10}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    float m_db = -60.0f;
    float m_holdDb = -60.0f;
    QElapsedTimer m_sinceUpdate;
    QElapsedTimer m_sinceHold;
};

} // namespace muze::gui
