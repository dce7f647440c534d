#pragma once
// The Conflicts dialog of one vault (issue 11): every conflict sync could not settle by itself,
// as cards (conflictcard.h). Field conflicts are chosen per field and applied together, or all
// mine / all theirs at once; a take is played from either side and kept on the spot. Listing
// and resolving run on the thread pool (resolving a take copies megabytes); resolved() tells
// the owner to sync so the choices reach the other devices.

#include <muze/sync/conflictresolve.h>

#include <QDialog>
#include <QList>

#include <memory>
#include <utility>
#include <vector>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace muze::audio {
class Player;
}

namespace muze::gui {

class ConflictCard;
struct ConflictListing;

class ConflictsDialog : public QDialog {
    Q_OBJECT
public:
    ConflictsDialog(QString vaultId, QString vaultRoot, const QString& vaultName, QString deviceName, QWidget* parent = nullptr);
    ~ConflictsDialog() override;

    const QString& vaultId() const { return m_vaultId; }
    /// Lists the conflicts again (also records stray conflicted copies); loaded() when done.
    void reload();
    QList<ConflictCard*> cards() const { return m_cards; }
    QPushButton* allMineButton() const { return m_allMine; }
    QPushButton* allTheirsButton() const { return m_allTheirs; }
    QPushButton* applyButton() const { return m_apply; }
    QLabel* statusLabel() const { return m_status; }
    bool isBusy() const { return m_busy; }
    /// The take playing now (vault-relative), "" when none.
    QString playingPath() const { return m_playingPath; }

    /// Settles conflicts as chosen (in the background), then lists again.
    void resolve(const std::vector<std::pair<QString, sync::Choice>>& choices);

Q_SIGNALS:
    void loaded(int count);
    void resolved(const QString& vaultId);

private:
    void populate(const ConflictListing& listing);
    void setBusy(bool busy);
    void play(const QString& relPath, bool mine);
    void stopPlaying();
    void resolveAll(sync::Choice choice);
    void applyFieldChoices();

    QString m_vaultId;
    QString m_root;
    QString m_device;
    QLabel* m_summary = nullptr;
    QLabel* m_status = nullptr;
    QVBoxLayout* m_cardsLayout = nullptr;
    QList<ConflictCard*> m_cards;
    QPushButton* m_allMine = nullptr;
    QPushButton* m_allTheirs = nullptr;
    QPushButton* m_apply = nullptr;
    bool m_busy = false;
    QString m_playingPath;
    bool m_playingMine = true;
    std::unique_ptr<audio::Player> m_player;
};

} // namespace muze::gui
