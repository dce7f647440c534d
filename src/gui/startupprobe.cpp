#include "startupprobe.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEvent>
#include <QFile>
#include <QTimer>
#include <QTreeView>

#include <ctime>
#include <unistd.h>

namespace muze::gui {

qint64 msSinceProcessStart()
{
    static QElapsedTimer fallback;
    if (!fallback.isValid())
        fallback.start();
#if defined(Q_OS_LINUX)
    // Field 22 of /proc/self/stat: the start time in clock ticks after boot (CLOCK_BOOTTIME).
    QFile stat(QStringLiteral("/proc/self/stat"));
    if (stat.open(QIODevice::ReadOnly)) {
        const QByteArray line = stat.readAll();
        const qsizetype close = line.lastIndexOf(')'); // the command name may hold spaces
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        timespec now{};
        const long hz = sysconf(_SC_CLK_TCK);
        if (fields.size() > 19 && hz > 0 && clock_gettime(CLOCK_BOOTTIME, &now) == 0) {
            bool ok = false;
            const qint64 ticks = fields.at(19).toLongLong(&ok); // field 22, counted from field 3
            if (ok)
                return qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000 - ticks * 1000 / hz;
        }
    }
#endif
    return fallback.elapsed();
}

StartupProbe::StartupProbe(QTreeView* tree)
    : QObject(tree)
    , m_tree(tree)
{
    (void)msSinceProcessStart(); // starts the fallback clock
    tree->viewport()->installEventFilter(this);
}

bool StartupProbe::eventFilter(QObject* watched, QEvent* event)
{
    if (!m_done && event->type() == QEvent::Paint && m_tree->model() && m_tree->model()->rowCount() > 0) {
        m_done = true;
        const int rows = m_tree->model()->rowCount();
        // After this paint event is handled: the rows are on screen.
        QTimer::singleShot(0, this, [this, rows] {
            qInfo("startup: first paint of the tree (%d rows) %lld ms after process start", rows,
                static_cast<long long>(msSinceProcessStart()));
            m_tree->viewport()->removeEventFilter(this);
            if (qEnvironmentVariableIntValue("MUZE_QUIT_AFTER_FIRST_PAINT") == 1)
                QCoreApplication::quit();
        });
    }
    return QObject::eventFilter(watched, event);
}

} // namespace muze::gui
