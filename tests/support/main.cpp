// Shared Catch2 runner: creates the Qt application first so signal spies, event loops
// and threads work in every test.
#if __has_include(<catch2/catch_session.hpp>)
#include <catch2/catch_session.hpp>
#else
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#endif

#include <QCoreApplication>
#include <QtGlobal>
#ifdef MUZE_TEST_GUI
#include <QApplication>

#include "translations.h" // muze_gui: every GUI runner links it
#endif

#include <cstring>
#include <memory>

int main(int argc, char** argv)
{
    // Test discovery runs at build time, possibly without a display: listing needs no GUI.
    [[maybe_unused]] bool listing = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--list", 6) == 0)
            listing = true;
    }
    std::unique_ptr<QCoreApplication> app;
#ifdef MUZE_TEST_GUI
    if (listing || qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", listing ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    if (!listing) {
        app = std::make_unique<QApplication>(argc, argv);
        muze::gui::installTranslations(*app); // the plural forms the app shows ("1 take")
    }
#endif
    if (!app)
        app = std::make_unique<QCoreApplication>(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Muze Tests"));
    QCoreApplication::setApplicationName(QStringLiteral("muze-tests"));
    return Catch::Session().run(argc, argv);
}
