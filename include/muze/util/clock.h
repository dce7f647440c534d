#pragma once
// Time as a seam: production code asks a Clock, tests substitute their own.

#include <QDateTime>
#include <QString>

namespace muze {

class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

/// The process-wide clock (system UTC time unless a test installed another).
const Clock& clock();
/// Installs `c` as the process-wide clock (nullptr restores the system clock). Not thread-safe:
/// call it before starting threads.
void setClock(const Clock* c);

/// UTC ISO 8601 with milliseconds, e.g. "2026-11-24T20:15:00.123Z".
QString isoTimestamp(const QDateTime& t);
QString nowIso();
/// Parses what isoTimestamp writes (and plain ISO dates with offsets); invalid on failure.
QDateTime parseIsoTimestamp(const QString& text);

} // namespace muze
