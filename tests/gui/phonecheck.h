#pragma once
// Checks a person would make on a window at phone and desktop sizes (test_phone*.cpp): nothing
// past the window's edge, no sideways scroll bar, touch-sized controls, readable text,
// accessible names; and a screenshot into <build>/screenshots.

#include <QStringList>

class QWidget;

namespace muze::test {

/// Visible widgets that stick out of `top` (widgets in a scroll area: out of its viewport's
/// width), and visible horizontal scroll bars; each as a line naming the widget.
QStringList layoutProblems(QWidget* top);
/// Visible controls smaller than 44×44 px and visible text under 15 px.
QStringList touchProblems(QWidget* top);
/// Visible controls without an accessible name.
QStringList unnamedControls(QWidget* top);
/// Saves top's picture as screenshots/<name>.png.
bool saveShot(QWidget* top, const QString& name);

} // namespace muze::test
