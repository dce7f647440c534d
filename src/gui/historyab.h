#pragma once
// A/B by ear in the History panel (issue 12): the current mix (A) and an earlier version (B)
// played side by side by one audio::Player (audio/abswitch.h), so "A" and "B" switch what is
// heard at the same position without a gap. The earlier version's takes that are no longer in
// the vault are fetched from the history on a worker thread (gui/versionaudio.h).

#include <muze/sync/itemhistory.h>
#include <muze/vault/vaultrecord.h>

#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;

namespace muze::audio {
class Player;
}

namespace muze::gui {

class HistoryAbControl : public QWidget {
    Q_OBJECT
public:
    HistoryAbControl(vault::VaultRecord vault, QString mixFile, QWidget* parent = nullptr);
    ~HistoryAbControl() override;

    /// Compares the current mix with version `v` (stops playback while it prepares).
    void setVersion(const sync::ItemVersion& v);
    /// Output device by name ("" = the default).
    void setOutputDevice(const QString& device);

    bool isReady() const { return m_ready; }
    QPushButton* playButton() const { return m_play; }
    QPushButton* aButton() const { return m_a; }
    QPushButton* bButton() const { return m_b; }
    QLabel* stateLabel() const { return m_state; }
    audio::Player* player() const { return m_player; }

Q_SIGNALS:
    /// The comparison with a version is ready to play (or could not be prepared: `error`).
    void prepared(const QString& error);

private:
    void hear(bool other);
    void updatePosition();

    vault::VaultRecord m_vault;
    QString m_file;
    audio::Player* m_player = nullptr;
    QPushButton* m_play = nullptr;
    QPushButton* m_a = nullptr;
    QPushButton* m_b = nullptr;
    QLabel* m_state = nullptr;
    QLabel* m_position = nullptr;
    QTimer* m_timer = nullptr;
    int m_generation = 0;
    bool m_ready = false;
};

} // namespace muze::gui
