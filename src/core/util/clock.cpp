#include <muze/util/clock.h>

#include <QTimeZone>

namespace muze {

namespace {
class SystemClock final : public Clock {
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
};
const SystemClock g_system;
const Clock* g_clock = &g_system;
} // namespace

const Clock& clock() { return *g_clock; }
void setClock(const Clock* c) { g_clock = c ? c : &g_system; }

QString isoTimestamp(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }
QString nowIso() { return isoTimestamp(clock().now()); }

QDateTime parseIsoTimestamp(const QString& text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toUTC() : QDateTime();
}

} // namespace muze
