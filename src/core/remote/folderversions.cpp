#include "folderversions.h"

#include <muze/remote/fsops.h>
#include <muze/util/clock.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace muze::remote::versions {

namespace {
const QString kStampFormat = QStringLiteral("yyyyMMdd'T'HHmmsszzz'Z'");
}

Result<QString> keep(const QString& root, const QString& rel, const QString& abs, bool deleted)
{
    if (rel.startsWith(QLatin1String(".muze/"))) { // vault metadata: no versions (FORMAT.md §7.2)
        if (deleted && ::unlink(QFile::encodeName(abs).constData()) != 0)
            return makeError(QString::fromLocal8Bit(std::strerror(errno)), errc::io);
        return QString();
    }
    const QString dir = root + QLatin1Char('/') + kVersionsDir + QLatin1Char('/') + rel;
    for (QString d = dir; d.size() > root.size(); d = QFileInfo(d).absolutePath()) {
        const fs::FileStat st = fs::lstatPath(d);
        if (st.exists && !st.isDir)
            return makeError(QStringLiteral("%1 is not a folder in the versions area").arg(d), errc::io);
    }
    if (!QDir().mkpath(dir))
        return makeError(QStringLiteral("Cannot create the versions folder %1").arg(dir), errc::io);
    const QString stamp = clock().now().toUTC().toString(kStampFormat);
    const QString target = dir + QLatin1Char('/') + stamp + QLatin1Char('-') + newId().left(8)
        + (deleted ? QStringLiteral(".deleted") : QStringLiteral(".replaced"));
    if (deleted) {
        if (Status s = fs::renameAtomic(abs, target); !s)
            return s.error();
        return dir;
    }
    if (::link(QFile::encodeName(abs).constData(), QFile::encodeName(target).constData()) == 0)
        return dir;
    // No hard links here (some network shares): copy, keeping the version's mtime.
    const QString why = QString::fromLocal8Bit(std::strerror(errno));
    if (!QFile::copy(abs, target))
        return makeError(QStringLiteral("Cannot keep the version of %1 (%2)").arg(rel, why), errc::io);
    const fs::FileStat st = fs::lstatPath(abs);
    (void)fs::setMtime(target, fs::fromNs(st.mtimeNs));
    return dir;
}

Name parseName(const QString& fileName)
{
    static const QRegularExpression re(QStringLiteral("^(\\d{8}T\\d{9}Z)-[0-9a-f]{8}\\.(replaced|deleted)$"));
    const QRegularExpressionMatch m = re.match(fileName);
    Name n;
    if (!m.hasMatch())
        return n;
    n.replaced = QDateTime::fromString(m.captured(1), kStampFormat);
    n.replaced.setTimeSpec(Qt::UTC);
    n.deleted = m.captured(2) == QLatin1String("deleted");
    return n;
}

} // namespace muze::remote::versions
