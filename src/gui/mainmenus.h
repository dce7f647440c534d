#pragma once
// The menu bar: every main action with its shortcut shown (new mix Ctrl+N, search Ctrl+F,
// play Space, record R, sync Ctrl+S...), and the same actions in the phone's ⋯ menu. The
// actions belong to the window too, so the shortcuts work while the menu bar is hidden.

class QAction;

namespace muze::gui {

class FirstRun;
class MainWindow;
class PhoneShell;

void installMainMenus(MainWindow* window, PhoneShell* phone, FirstRun* firstRun);

} // namespace muze::gui
