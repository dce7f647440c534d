#include <muze/sync/trash.h>

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/util/clock.h>

#include <QDir>
#include <QFileInfo>

namespace muze::sync {

Status moveToTrash(const QString& vaultRoot, const QString& relPath)
{
    const QString day = clock().now().toLocalTime().date().toString(Qt::ISODate);
    const QString base = QDir(vaultRoot).filePath(model::kLocalStateDir + QStringLiteral("/trash/") + day + QLatin1Char('/') + relPath);
    QString target = base;
    for (int n = 2; QFileInfo::exists(target) || QFileInfo(target).isSymLink(); ++n)
        target = base + QStringLiteral(".%1").arg(n);
    if (!QDir().mkpath(QFileInfo(target).absolutePath()))
        return makeError(QStringLiteral("Cannot create the trash folder for %1").arg(relPath), errc::io);
    return remote::fs::renameDurably(QDir(vaultRoot).filePath(relPath), target);
}

void purgeTrash(const QString& vaultRoot, int days)
{
    QDir trash(QDir(vaultRoot).filePath(model::kLocalStateDir + QStringLiteral("/trash")));
    const QDate cutoff = clock().now().toLocalTime().date().addDays(-days);
    for (const QString& name : trash.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QDate d = QDate::fromString(name, Qt::ISODate);
        if (!d.isValid() || days == 0 || d < cutoff)
            QDir(trash.filePath(name)).removeRecursively();
    }
}

} // namespace muze::sync
