#pragma once
// The open mix: its tracks. (Lead's minimal version; the audio engineer replaces it with
// waveforms, transport and recording — same API.)

#include <QWidget>

class QTableWidget;
class QLabel;

namespace muze::gui {

class MixView : public QWidget {
    Q_OBJECT
public:
    explicit MixView(QWidget* parent = nullptr);
    void showMix(const QString& vaultRoot, const QString& mixId); // empty mixId clears the view

Q_SIGNALS:
    void mixChanged();

private:
    QLabel* m_title = nullptr;
    QTableWidget* m_tracks = nullptr;
};

} // namespace muze::gui
