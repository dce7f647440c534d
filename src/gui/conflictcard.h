#pragma once
// One conflict in the Conflicts dialog, side by side:
//   a JSON field: before (base) | mine | theirs, each with its device and time, and a choice
//                 of mine or theirs (the value in use is chosen at first);
//   a take (WAV): mine | theirs with device, time and length, a Play button each, Keep mine,
//                 Keep theirs and Keep both (as two tracks of the mix).
// The card only asks; ConflictsDialog does the resolving.

#include <muze/sync/conflictresolve.h>

#include <QGroupBox>

class QPushButton;
class QRadioButton;

namespace muze::gui {

struct TakeInfo {
    double seconds = -1; // -1: unknown (unreadable file)
    qint64 bytes = 0;
};

class ConflictCard : public QGroupBox {
    Q_OBJECT
public:
    ConflictCard(const sync::ConflictView& view, const TakeInfo& mine, const TakeInfo& theirs, QWidget* parent = nullptr);

    const sync::ConflictView& view() const { return m_view; }
    bool isField() const { return m_view.kind == QLatin1String("field"); }
    /// Field cards: the side chosen now.
    sync::Choice choice() const;
    void setChoice(sync::Choice choice);

    QRadioButton* mineRadio() const { return m_mineRadio; }
    QRadioButton* theirsRadio() const { return m_theirsRadio; }
    QPushButton* playMineButton() const { return m_playMine; }
    QPushButton* playTheirsButton() const { return m_playTheirs; }
    QPushButton* keepMineButton() const { return m_keepMine; }
    QPushButton* keepTheirsButton() const { return m_keepTheirs; }
    QPushButton* keepBothButton() const { return m_keepBoth; }

    /// Shows which take plays ("■ Stop" on its button).
    void setPlaying(bool mine, bool playing);

    static QString valueText(const Json& value);
    static QString sideText(const QString& device, const QString& isoTime);

Q_SIGNALS:
    void playRequested(const QString& vaultRelPath, bool mine);
    void resolveRequested(const QString& id, muze::sync::Choice choice);

private:
    void buildField();
    void buildTake(const TakeInfo& mine, const TakeInfo& theirs);

    sync::ConflictView m_view;
    QRadioButton* m_mineRadio = nullptr;
    QRadioButton* m_theirsRadio = nullptr;
    QPushButton* m_playMine = nullptr;
    QPushButton* m_playTheirs = nullptr;
    QPushButton* m_keepMine = nullptr;
    QPushButton* m_keepTheirs = nullptr;
    QPushButton* m_keepBoth = nullptr;
};

} // namespace muze::gui
