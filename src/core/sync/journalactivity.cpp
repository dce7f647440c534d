// The journal's activity log: what the user reads in vault settings › Activity.
#include "propagator.h"

#include <muze/sync/journal.h>
#include <muze/util/clock.h>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace muze::sync {

namespace {
Error activityError(const QString& what, const QSqlError& e)
{
    return makeError(QStringLiteral("Sync journal: %1: %2").arg(what, e.text()), errc::journal);
}
} // namespace

Status Journal::addActivity(const std::vector<ActivityRow>& rows)
{
    if (rows.empty())
        return {};
    return transaction([&]() -> Status {
        QSqlQuery q(QSqlDatabase::database(m_connection, false));
        q.prepare(QStringLiteral("INSERT INTO activity(time_ms, path, direction, size, ok, result) VALUES(?, ?, ?, ?, ?, ?)"));
        // Only the newest kActivityKeep can survive the trim below: skip the rest.
        const size_t first = rows.size() > size_t(kActivityKeep) ? rows.size() - size_t(kActivityKeep) : 0;
        for (size_t i = first; i < rows.size(); ++i) {
            const ActivityRow& r = rows[i];
            q.addBindValue(r.timeMs);
            q.addBindValue(r.path);
            q.addBindValue(r.direction);
            q.addBindValue(r.size);
            q.addBindValue(r.ok ? 1 : 0);
            q.addBindValue(r.result);
            if (!q.exec())
                return activityError(QStringLiteral("writing the activity log"), q.lastError());
        }
        QSqlQuery trim(QSqlDatabase::database(m_connection, false));
        trim.prepare(QStringLiteral("DELETE FROM activity WHERE seq <= (SELECT MAX(seq) FROM activity) - ?"));
        trim.addBindValue(kActivityKeep);
        if (!trim.exec())
            return activityError(QStringLiteral("trimming the activity log"), trim.lastError());
        return {};
    });
}

Result<std::vector<ActivityRow>> Journal::activity(int limit) const
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    q.prepare(QStringLiteral("SELECT time_ms, path, direction, size, ok, result FROM activity ORDER BY seq DESC LIMIT ?"));
    q.addBindValue(limit);
    if (!q.exec())
        return activityError(QStringLiteral("reading the activity log"), q.lastError());
    std::vector<ActivityRow> out;
    while (q.next()) {
        ActivityRow r;
        r.timeMs = q.value(0).toLongLong();
        r.path = q.value(1).toString();
        r.direction = q.value(2).toString();
        r.size = q.value(3).toLongLong();
        r.ok = q.value(4).toInt() != 0;
        r.result = q.value(5).toString();
        out.push_back(r);
    }
    return out;
}

std::optional<ActivityRow> activityOf(const Action& a, const StepResult& res, qint64 size)
{
    if (res.outcome == Outcome::Retry || res.error.is(errc::cancelled))
        return std::nullopt;
    if (res.outcome == Outcome::Done && res.state == FileState::Syncing)
        return std::nullopt; // staged for a batch: logged when its commit is known (propagatorbatch.cpp)
    ActivityRow r;
    switch (a.kind) {
    case ActionKind::Upload: r.direction = QStringLiteral("up"); break;
    case ActionKind::Download: r.direction = QStringLiteral("down"); break;
    case ActionKind::DeleteRemote: r.direction = QStringLiteral("delete-remote"); size = 0; break;
    case ActionKind::DeleteLocal: r.direction = QStringLiteral("delete-local"); size = 0; break;
    case ActionKind::Resolve:
        r.direction = res.state == FileState::Conflict ? QStringLiteral("conflict") : QStringLiteral("merge");
        break;
    default:
        if (res.outcome == Outcome::Done)
            return std::nullopt; // journal-only steps move nothing
        r.direction = actionName(a.kind);
        size = 0;
    }
    r.timeMs = clock().now().toMSecsSinceEpoch();
    r.path = a.path;
    r.size = size;
    r.ok = res.outcome == Outcome::Done;
    r.result = r.ok ? QString() : res.error.message;
    return r;
}

} // namespace muze::sync
