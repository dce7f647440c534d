// The remote mirror's keys: the remote's own path_lower and file id next to each row, and the
// removal of a deleted folder's whole subtree by those keys.
#include <muze/sync/journal.h>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace muze::sync {

Status Journal::addMirrorKeys()
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (!q.exec(QStringLiteral("PRAGMA table_info(remote)")))
        return makeError(
            QStringLiteral("Sync journal: reading the remote mirror's columns: %1").arg(q.lastError().text()),
            errc::journal);
    bool keyed = false;
    while (q.next())
        keyed |= q.value(1).toString() == QLatin1String("path_lower");
    q.finish();
    if (!keyed) {
        // A journal from before the mirror kept the remote's keys: add them, and list the
        // remote again from the start so every row gets the key the remote itself gives.
        Status s = transaction([&]() -> Status {
            for (const char* sql : {"ALTER TABLE remote ADD COLUMN path_lower TEXT", "ALTER TABLE remote ADD COLUMN file_id TEXT"}) {
                if (Status e = exec(QString::fromLatin1(sql)); !e)
                    return e;
            }
            return setMeta(QStringLiteral("cursor"), QString());
        });
        if (!s)
            return s;
    }
    return exec(QStringLiteral("CREATE INDEX IF NOT EXISTS remote_by_lower ON remote(path_lower)"));
}

Status Journal::removeRemoteTree(const QString& path, const QString& pathLower)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    if (pathLower.isEmpty()) {
        q.prepare(QStringLiteral("DELETE FROM remote WHERE path = ? OR instr(path, ?) = 1"));
        q.addBindValue(path);
        q.addBindValue(path + QLatin1Char('/'));
    } else {
        q.prepare(QStringLiteral("DELETE FROM remote WHERE path = ? OR path_lower = ? OR instr(path_lower, ?) = 1"));
        q.addBindValue(path);
        q.addBindValue(pathLower);
        q.addBindValue(pathLower + QLatin1Char('/'));
    }
    if (!q.exec())
        return makeError(QStringLiteral("Sync journal: removing the mirror of %1: %2").arg(path, q.lastError().text()),
            errc::journal);
    return {};
}

} // namespace muze::sync
