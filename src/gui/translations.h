#pragma once
// The GUI's plural forms: tr("%n take(s)", "", n) reads "1 take" / "3 takes" once the
// English translation built from the sources (cmake/MuzeTranslations.cmake) is installed.
class QCoreApplication;

namespace muze::gui {

// Installs the embedded English plural forms on the application. False if the resource is
// missing (the strings then show their "(s)" source form, still readable).
bool installTranslations(QCoreApplication& app);

} // namespace muze::gui
