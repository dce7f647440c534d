#pragma once
// The first minute: an empty vault says what to do (record an idea, make a collection, add a
// Dropbox vault), with the input meter already moving; one tap records a take into a new mix
// under "Ideas › <today>".

#include <muze/util/result.h>

#include <QDate>
#include <QWidget>

class QPushButton;

namespace muze::vault {
class VaultManager;
}

namespace muze::gui {

class InputMonitor;
class LevelMeter;
class MainWindow;
class PhoneShell;

/// Makes a new mix "Idea N" in the collection "Ideas", project named after `day` (both made
/// when missing); returns its id.
Result<QString> createIdeaMix(const QString& vaultRoot, const QDate& day = QDate::currentDate());

class FirstRunPanel : public QWidget {
    Q_OBJECT
public:
    explicit FirstRunPanel(QWidget* parent = nullptr);

    QPushButton* recordButton() const { return m_record; }
    QPushButton* newCollectionButton() const { return m_newCollection; }
    QPushButton* addDropboxButton() const { return m_addDropbox; }
    LevelMeter* meter() const { return m_meter; }
    bool isMonitoringInput() const;

Q_SIGNALS:
    void recordRequested();
    void newCollectionRequested();
    void addDropboxRequested();

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    QPushButton* m_record = nullptr;
    QPushButton* m_newCollection = nullptr;
    QPushButton* m_addDropbox = nullptr;
    LevelMeter* m_meter = nullptr;
    InputMonitor* m_monitor = nullptr;
    class QTimer* m_timer = nullptr;
};

/// Shows the panel while the current vault is empty and carries out its buttons.
class FirstRun : public QObject {
    Q_OBJECT
public:
    FirstRun(MainWindow* window, PhoneShell* phone, FirstRunPanel* panel, vault::VaultManager& vaults);

    /// Checks (off the GUI thread) whether the current vault is empty.
    void refresh();
    /// A new idea mix, opened; `record` starts a take in it at once. Returns its id.
    QString newIdea(bool record);

Q_SIGNALS:
    void refreshed(bool empty);

private:
    MainWindow* m_window;
    PhoneShell* m_phone;
    FirstRunPanel* m_panel;
    vault::VaultManager& m_vaults;
    bool m_dismissed = false; // "New collection" was tapped: the tree takes over
    int m_generation = 0;
};

} // namespace muze::gui
