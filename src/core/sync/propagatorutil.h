#pragma once
// Small file helpers shared by the propagator's translation units (private to muze_sync).

#include <muze/remote/fsops.h>
#include <muze/sync/scanner.h>
#include <muze/util/clock.h>
#include <muze/util/result.h>

#include <QDateTime>
#include <QFile>

#include <unistd.h>

namespace muze::sync {

inline bool sameStat(const remote::fs::FileStat& st, const LocalFile& f)
{
    return st.isFile && st.size == f.size && st.mtimeNs == f.mtimeNs && st.inode == f.inode;
}

inline Status syncAndClose(QFile& f, bool durable = true)
{
    const bool ok = f.flush() && (!durable || ::fsync(f.handle()) == 0);
    const QString why = f.errorString();
    f.close();
    if (!ok)
        return makeError(QStringLiteral("Cannot write %1: %2").arg(f.fileName(), why), errc::io);
    return {};
}

// readFileLimited() reserves its whole limit up front; JSON files are small, so read what is there.
inline Result<QByteArray> readSmall(const QString& path, qint64 maxBytes)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("Cannot read %1: %2").arg(path, f.errorString()), errc::io);
    if (f.size() > maxBytes)
        return makeError(QStringLiteral("%1 is too large").arg(path), errc::too_large);
    QByteArray data = f.readAll();
    if (data.size() > maxBytes)
        return makeError(QStringLiteral("%1 is too large").arg(path), errc::too_large);
    return data;
}

inline QString stampOf(qint64 ms)
{
    const QDateTime t = ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms) : clock().now().toLocalTime();
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HHmmss"));
}

} // namespace muze::sync
