#include "takeguard.h"

#include <muze/util/json.h>

#include <QDir>
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

} // namespace

// Declared in syncpaths.h; defined here beside the one pattern both use.
bool isTakePath(const QString& relPath) { return takeRe().match(relPath).hasMatch(); }

void TakeGuard::watch(const std::vector<const Action*>& work)
{
    static const QRegularExpression mixRe(QStringLiteral("^(collections/[^/]+/projects/[^/]+)/mixes/[^/]+\\.json$"));
    for (const Action* a : work) {
        if (a->kind != ActionKind::Resolve && a->kind != ActionKind::Download)
            continue;
        const QRegularExpressionMatch m = mixRe.match(a->path);
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

bool TakeGuard::applies(const Action& a) const
{
    if (a.kind != ActionKind::DeleteLocal && a.kind != ActionKind::DeleteRemote)
        return false;
    const QRegularExpressionMatch m = takeRe().match(a.path);
    return m.hasMatch() && m_changing.contains(m.captured(1));
}

Action TakeGuard::guard(const Action& a)
{
    if (!applies(a))
        return a;
    const QRegularExpressionMatch m = takeRe().match(a.path);
    if (!tracksOfProject(m.captured(1)).contains(m.captured(2)))
        return a;
    Action out = a;
    if (a.kind == ActionKind::DeleteLocal) {
        out.kind = ActionKind::Upload;
        out.mode = remote::WriteMode::Add;
        out.rev.clear();
        out.why = QStringLiteral("deleted remotely, but a mix here still uses this take");
    } else {
        out.kind = ActionKind::Download;
        out.why = QStringLiteral("deleted here, but a mix still uses this take");
    }
    return out;
}

} // namespace muze::sync
