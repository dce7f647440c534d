#include "takeguard.h"

#include <muze/util/json.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>

namespace muze::sync {

namespace {

const QRegularExpression& takeRe()
{
    static const QRegularExpression re(QStringLiteral("^(collections/[^/]+/projects/[^/]+)/audio/([^/]+)\\.wav$"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

// collection.json or project.json: the file an item folder's contents hang from; the folder
// is group 1 or 2.
const QRegularExpression& parentRe()
{
    static const QRegularExpression re(
        QStringLiteral("^(collections/[^/]+)/collection\\.json$|^(collections/[^/]+/projects/[^/]+)/project\\.json$"));
    return re;
}

QString parentFolder(const QString& relPath)
{
    const QRegularExpressionMatch m = parentRe().match(relPath);
    return m.hasMatch() ? (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)) : QString();
}

} // namespace

bool isParentItemPath(const QString& relPath) { return parentRe().match(relPath).hasMatch(); }

// Declared in syncpaths.h; defined here beside the one pattern both use.
bool isTakePath(const QString& relPath) { return takeRe().match(relPath).hasMatch(); }

void TakeGuard::watch(const std::vector<Action>& work)
{
    static const QRegularExpression mixRe(QStringLiteral("^(collections/[^/]+/projects/[^/]+)/mixes/[^/]+\\.json$"));
    for (const Action& a : work) {
        // A mix merged or downloaded here, or a local change going up (also over a remote delete).
        if (a.kind != ActionKind::Resolve && a.kind != ActionKind::Download && a.kind != ActionKind::Upload)
            continue;
        const QRegularExpressionMatch m = mixRe.match(a.path);
        if (m.hasMatch())
            m_changing.insert(m.captured(1));
    }
}

const QSet<QString>& TakeGuard::tracksOfProject(const QString& projectDir)
{
    auto it = m_tracks.find(projectDir);
    if (it != m_tracks.end())
        return *it;
    QSet<QString> ids;
    const QDir mixes(m_root + QLatin1Char('/') + projectDir + QStringLiteral("/mixes"));
    for (const QString& name : mixes.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        QFile f(mixes.filePath(name));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const Json doc = Json::parse(f.readAll().toStdString(), nullptr, false);
        if (!doc.is_object() || !doc.contains("tracks") || !doc["tracks"].is_array())
            continue; // unreadable mixes are reported by the tree loader, not here
        for (const Json& t : doc["tracks"]) {
            if (t.is_object() && t.contains("id") && t["id"].is_string())
                ids.insert(fromStd(t["id"].get<std::string>()));
        }
    }
    return *m_tracks.insert(projectDir, ids);
}

bool TakeGuard::holdsItems(const QString& dir) const
{
    const QString abs = m_root + QLatin1Char('/') + dir;
    QDirIterator it(abs, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = dir + QLatin1Char('/') + QDir(abs).relativeFilePath(it.next());
        if (parentFolder(rel) == dir)
            continue; // the parent file itself
        if (!isIgnoredPath(rel) || rel.endsWith(kRecordingSuffix))
            return true;
    }
    return false;
}

bool TakeGuard::applies(const Action& a) const
{
    if (a.kind != ActionKind::DeleteLocal && a.kind != ActionKind::DeleteRemote)
        return false;
    if (isParentItemPath(a.path))
        return true;
    const QRegularExpressionMatch m = takeRe().match(a.path);
    return m.hasMatch() && m_changing.contains(m.captured(1));
}

Action TakeGuard::guard(const Action& a)
{
    if (!applies(a))
        return a;
    const bool parent = isParentItemPath(a.path);
    if (parent) {
        // Runs after every other action of the pass (priority()): what is left under the
        // folder was changed or added somewhere, and an item needs the items above it.
        if (!holdsItems(parentFolder(a.path)))
            return a;
    } else {
        const QRegularExpressionMatch m = takeRe().match(a.path);
        if (!tracksOfProject(m.captured(1)).contains(m.captured(2)))
            return a;
    }
    Action out = a;
    if (a.kind == ActionKind::DeleteLocal) {
        out.kind = ActionKind::Upload;
        out.mode = remote::WriteMode::Add;
        out.rev.clear();
        out.why = parent ? QStringLiteral("deleted remotely, but items here still belong to it")
                         : QStringLiteral("deleted remotely, but a mix here still uses this take");
    } else {
        out.kind = ActionKind::Download;
        out.why = parent ? QStringLiteral("deleted here, but items changed elsewhere still belong to it")
                         : QStringLiteral("deleted here, but a mix still uses this take");
    }
    return out;
}

} // namespace muze::sync
