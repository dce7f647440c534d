#include "translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace muze::gui {

bool installTranslations(QCoreApplication& app)
{
    auto* plurals = new QTranslator(&app);
    if (!plurals->load(QStringLiteral(":/i18n/muze_en.qm"))) {
        delete plurals;
        return false;
    }
    return QCoreApplication::installTranslator(plurals);
}

} // namespace muze::gui
