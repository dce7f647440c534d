#pragma once
// Vault settings › Activity: the last 200 transfers and errors of a vault (time, file,
// direction, size, result), read from the sync journal on the thread pool.

#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;

namespace muze::gui {

class ActivityPanel : public QWidget {
    Q_OBJECT
public:
    explicit ActivityPanel(QString vaultRoot, QWidget* parent = nullptr);

    QTableWidget* table() const { return m_table; }
    QLabel* summaryLabel() const { return m_summary; }
    /// Reads the journal again; loaded() when the table shows it.
    void reload();

Q_SIGNALS:
    void loaded(int rows);

private:
    QString m_root;
    QLabel* m_summary = nullptr;
    QTableWidget* m_table = nullptr;
    QPushButton* m_refresh = nullptr;
};

} // namespace muze::gui
