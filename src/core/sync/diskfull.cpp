#include "diskfull.h"

#include <QStorageInfo>

#include <algorithm>

namespace muze::sync {

namespace {

QString megabytes(qint64 bytes) { return QString::number(double(bytes) / (1024.0 * 1024.0), 'f', 1); }

} // namespace

bool localDiskFull(const QString& vaultRoot, qint64 needBytes)
{
    QStorageInfo info(vaultRoot);
    info.refresh();
    return info.isValid() && info.bytesAvailable() < std::max<qint64>(needBytes, 1);
}

Error diskFullError(const QString& vaultRoot, const QString& path, qint64 needBytes)
{
    QStorageInfo info(vaultRoot);
    info.refresh();
    const qint64 free = info.isValid() ? std::max<qint64>(info.bytesAvailable(), 0) : 0;
    return makeError(QStringLiteral("The disk holding the vault %1 is full: %2 needs %3 MB, %4 MB free. "
                                    "Free up space on that disk (or make takes cloud-only), then sync again.")
                         .arg(vaultRoot, path, megabytes(needBytes), megabytes(free)),
        errc::local_disk_full);
}

} // namespace muze::sync
