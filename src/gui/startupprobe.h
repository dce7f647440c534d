// Start-up figure for bench/startup (issue 15): logs once when the project tree first paints
// with rows, as "startup: first paint of the tree (N rows) M ms after process start", and with
// MUZE_QUIT_AFTER_FIRST_PAINT=1 in the environment quits the app right after.
#pragma once

#include <QObject>

class QTreeView;

namespace muze::gui {

/// Milliseconds since the process started (on Linux from /proc/self/stat, so the dynamic
/// loader and Qt's start-up count; elsewhere since the first call).
qint64 msSinceProcessStart();

class StartupProbe : public QObject {
    Q_OBJECT
public:
    explicit StartupProbe(QTreeView* tree);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QTreeView* m_tree;
    bool m_done = false;
};

} // namespace muze::gui
