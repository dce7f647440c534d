#include <muze/util/fileio.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace muze {

Status writeFileAtomic(const QString& path, const QByteArray& data)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(QStringLiteral("Cannot create folder %1").arg(info.absolutePath()), errc::io);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("Cannot write %1: %2").arg(path, file.errorString()), errc::io);
    if (file.write(data) != data.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return makeError(QStringLiteral("Cannot write %1: %2").arg(path, why), errc::io);
    }
    if (!file.commit()) // QSaveFile flushes, fsyncs and renames
        return makeError(QStringLiteral("Cannot save %1: %2").arg(path, file.errorString()), errc::io);
    return {};
}

Result<QByteArray> readFileLimited(const QString& path, qint64 maxBytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("Cannot read %1: %2").arg(path, file.errorString()), errc::io);
    if (file.size() > maxBytes)
        return makeError(
            QStringLiteral("%1 is too large (%2 bytes, limit %3)").arg(path).arg(file.size()).arg(maxBytes),
            errc::too_large);
    QByteArray data = file.read(maxBytes + 1);
    if (data.size() > maxBytes)
        return makeError(QStringLiteral("%1 is too large").arg(path), errc::too_large);
    return data;
}

bool isSafeRelativePath(const QString& relative)
{
    if (relative.isEmpty() || relative.startsWith(QLatin1Char('/')) || relative.contains(QLatin1Char('\\'))
        || relative.contains(QChar(u'\0')) || relative.size() > 4096)
        return false;
    if (relative.size() >= 2 && relative.at(1) == QLatin1Char(':'))
        return false; // drive letter
    const QStringList parts = relative.split(QLatin1Char('/'));
    for (const QString& part : parts) {
        if (part.isEmpty() || part == QLatin1String(".") || part == QLatin1String("..") || part.toUtf8().size() > 255)
            return false;
        for (QChar c : part) {
            if (c.unicode() < 0x20)
                return false;
        }
    }
    return true;
}

} // namespace muze
