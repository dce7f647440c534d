#pragma once
// A fault seam for crash tests, not a mock: the engine calls step() at each point of
// propagation where a crash matters (before/after each transfer, rename and journal write).
//   MUZE_SYNC_TEST_CRASH_AT=N  abort() at the Nth step
//   MUZE_SYNC_TEST_PAUSE_AT=N  print "muze-sync: paused at step N (...)" on stderr and sleep,
//                              so a test can kill -9 the process at that exact point
//   MUZE_SYNC_TEST_TRACE=1     print every step on stderr
// Unset (always, outside tests) it only counts.

#include <QString>

namespace muze::sync {

class FaultSeam {
public:
    FaultSeam();
    void step(const char* what, const QString& path = {});
    int count() const { return m_count; }

private:
    int m_crashAt = -1;
    int m_pauseAt = -1;
    bool m_trace = false;
    int m_count = 0;
};

} // namespace muze::sync
