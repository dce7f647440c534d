#include "faultseam.h"

#include <QThread>

#include <cstdio>
#include <cstdlib>

namespace muze::sync {

FaultSeam::FaultSeam()
{
    bool ok = false;
    const int crash = qEnvironmentVariableIntValue("MUZE_SYNC_TEST_CRASH_AT", &ok);
    m_crashAt = ok ? crash : -1;
    const int pause = qEnvironmentVariableIntValue("MUZE_SYNC_TEST_PAUSE_AT", &ok);
    m_pauseAt = ok ? pause : -1;
    m_trace = qEnvironmentVariableIntValue("MUZE_SYNC_TEST_TRACE") != 0;
}

void FaultSeam::step(const char* what, const QString& path)
{
    ++m_count;
    if (m_trace)
        std::fprintf(stderr, "muze-sync: step %d %s %s\n", m_count, what, qPrintable(path));
    if (m_count == m_crashAt) {
        std::fprintf(stderr, "muze-sync: crashing at step %d (%s %s)\n", m_count, what, qPrintable(path));
        std::fflush(stderr);
        std::abort();
    }
    if (m_count == m_pauseAt) {
        std::fprintf(stderr, "muze-sync: paused at step %d (%s %s)\n", m_count, what, qPrintable(path));
        std::fflush(stderr);
        for (;;)
            QThread::sleep(3600);
    }
}

} // namespace muze::sync
