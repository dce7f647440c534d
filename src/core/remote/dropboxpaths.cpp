#include <muze/remote/dropboxpaths.h>

#include <muze/util/fileio.h>

#include <QStringList>

namespace muze::remote {
namespace {

Error hostile(const QString& what, const QString& path)
{
    return makeError(QStringLiteral("refusing %1 path \"%2\"").arg(what, path), errc::hostile_path);
}

bool cleanRelative(const QString& rel)
{
    if (!isSafeRelativePath(rel))
        return false;
    for (const QString& seg : rel.split(QLatin1Char('/'))) {
        if (seg == QLatin1String(".") || seg == QLatin1String(".."))
            return false;
        for (QChar c : seg) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                return false;
        }
    }
    return true;
}

} // namespace

QByteArray dropboxApiArg(const Json& arg)
{
    const std::string text = arg.dump(-1, ' ', true, Json::error_handler_t::replace);
    QByteArray out;
    out.reserve(qsizetype(text.size()));
    for (char c : text) {
        if (c == '\x7f')
            out += "\\u007f";
        else
            out += c;
    }
    return out;
}

QString dropboxLower(const QString& path) { return path.normalized(QString::NormalizationForm_C).toLower(); }

DropboxPathMapper::DropboxPathMapper(const QString& folder)
{
    QString root = folder.trimmed().normalized(QString::NormalizationForm_C);
    while (root.endsWith(QLatin1Char('/')))
        root.chop(1);
    if (!root.isEmpty() && !root.startsWith(QLatin1Char('/')))
        root.prepend(QLatin1Char('/'));
    m_root = root;
    m_rootLower = dropboxLower(root);
}

Result<QString> DropboxPathMapper::toServer(const QString& relative) const
{
    if (relative.isEmpty())
        return m_root;
    const QString rel = relative.normalized(QString::NormalizationForm_C);
    if (!cleanRelative(rel))
        return hostile(QStringLiteral("the unsafe"), relative);
    return m_root + QLatin1Char('/') + rel;
}

Result<QString> DropboxPathMapper::toRelative(const QString& pathLower, const QString& pathDisplay) const
{
    const QString lower = pathLower.normalized(QString::NormalizationForm_C);
    if (lower == m_rootLower)
        return QString();
    const QString prefix = m_rootLower + QLatin1Char('/');
    if (!lower.startsWith(prefix) || lower.contains(QChar(0)))
        return hostile(QStringLiteral("the server's out-of-folder"), pathLower);
    const QString relLower = lower.mid(prefix.size());
    if (!cleanRelative(relLower))
        return hostile(QStringLiteral("the server's malformed"), pathLower);
    if (pathDisplay.isEmpty())
        return relLower;

    // path_display keeps the case the user chose; it must name the same entry as path_lower.
    const QString display = pathDisplay.normalized(QString::NormalizationForm_C);
    const int rootSegments = m_root.isEmpty() ? 0 : int(m_root.count(QLatin1Char('/')));
    QStringList segs = display.split(QLatin1Char('/'));
    if (!display.startsWith(QLatin1Char('/')) || segs.size() <= rootSegments + 1)
        return hostile(QStringLiteral("the server's malformed"), pathDisplay);
    const QString rel = segs.mid(rootSegments + 1).join(QLatin1Char('/'));
    if (!cleanRelative(rel)
        || (dropboxLower(rel) != relLower && rel.compare(relLower, Qt::CaseInsensitive) != 0))
        return hostile(QStringLiteral("the server's inconsistent"), pathDisplay);
    return rel;
}

} // namespace muze::remote
