#include <muze/sync/syncpaths.h>

#include <muze/model/layout.h>
#include <muze/remote/fsops.h>
#include <muze/util/fileio.h>

#include <QFileInfo>

namespace muze::sync {

namespace {
QString fileName(const QString& rel)
{
    const qsizetype slash = rel.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? rel : rel.mid(slash + 1);
}

// Splits "dir/name.ext" into ("dir/", "name", ".ext"); no extension for dot files.
void split(const QString& rel, QString& dir, QString& stem, QString& ext)
{
    const qsizetype slash = rel.lastIndexOf(QLatin1Char('/'));
    dir = slash < 0 ? QString() : rel.left(slash + 1);
    const QString name = rel.mid(slash + 1);
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0) {
        stem = name;
        ext.clear();
    } else {
        stem = name.left(dot);
        ext = name.mid(dot);
    }
}

QString sanitizeName(QString s)
{
    for (QChar& c : s) {
        if (c.unicode() < 0x20 || c == QLatin1Char('/') || c == QLatin1Char('\\') || c == QLatin1Char(':'))
            c = QLatin1Char('-');
    }
    s = s.trimmed();
    if (s.size() > 40)
        s = s.left(40).trimmed();
    return s.isEmpty() ? QStringLiteral("device") : s;
}
} // namespace

bool isJsonPath(const QString& relPath) { return relPath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive); }
bool isAudioPath(const QString& relPath) { return relPath.endsWith(QLatin1String(".wav"), Qt::CaseInsensitive); }

bool isIgnoredPath(const QString& relPath)
{
    if (model::isLocalOnly(relPath) || relPath.endsWith(kRecordingSuffix))
        return true;
    const QString name = fileName(relPath);
    return name == QLatin1String(".DS_Store") || name.compare(QLatin1String("Thumbs.db"), Qt::CaseInsensitive) == 0
        || name.compare(QLatin1String("desktop.ini"), Qt::CaseInsensitive) == 0 || name.endsWith(QLatin1Char('~'))
        || name.startsWith(QLatin1String(".#")) || name.endsWith(QLatin1String(".swp"))
        || name.startsWith(QLatin1String(".muze-tmp")) || name == QLatin1String(".muze-remote");
}

bool isPlaintextPath(const QString& relPath) { return relPath == QLatin1String(".muze/keyring.json"); }

bool isAcceptableRemotePath(const QString& relPath)
{
    return isSafeRelativePath(relPath) && remote::fs::nfc(relPath) == relPath && !isIgnoredPath(relPath);
}

QString pathKey(const QString& relPath) { return remote::fs::nfc(relPath).toCaseFolded(); }

QString conflictedCopyPath(const QString& relPath, const QString& deviceName, const QString& stamp)
{
    QString dir, stem, ext;
    split(relPath, dir, stem, ext);
    return dir + stem + QStringLiteral(" (conflicted copy %1 %2)").arg(sanitizeName(deviceName), stamp) + ext;
}

QString caseClashPath(const QString& relPath, int n)
{
    QString dir, stem, ext;
    split(relPath, dir, stem, ext);
    return dir + stem + (n <= 1 ? QStringLiteral(" (case clash)") : QStringLiteral(" (case clash %1)").arg(n)) + ext;
}

} // namespace muze::sync
