#include <muze/util/ids.h>

#include <QRandomGenerator>

namespace muze {

QString newId()
{
    const quint64 v = QRandomGenerator::system()->generate64();
    return QStringLiteral("%1").arg(v, 16, 16, QLatin1Char('0'));
}

bool isValidId(QStringView id)
{
    if (id.isEmpty() || id.size() > 64 || id.front() == u'-' || id.front() == u'_')
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        if (!((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'-' || u == u'_'))
            return false;
    }
    return true;
}

} // namespace muze
