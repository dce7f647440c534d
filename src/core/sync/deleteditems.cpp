// Recently deleted (docs/FORMAT.md §7.4): collections, projects, mixes and takes deleted on any
// device, from the remote's history, restored with their takes as new files that the next sync
// uploads. `muze-cli deleted` and the GUI's Recently deleted list.
#include <muze/sync/itemrestore.h>

#include <muze/model/layout.h>
#include <muze/model/writer.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSet>

namespace muze::sync {

namespace {

// What a deleted file is, from its path (docs/ARCHITECTURE.md "Files of a vault").
bool classify(const QString& path, DeletedItem& out)
{
    static const QRegularExpression re(
        QStringLiteral("^collections/([0-9a-f]{16})(?:/projects/([0-9a-f]{16})"
                       "(?:/(mixes|audio)/([0-9a-f]{16})\\.(json|wav))?)?/?(collection\\.json|project\\.json)?$"));
    const QRegularExpressionMatch m = re.match(path);
    if (!m.hasMatch())
        return false;
    const QString cid = m.captured(1), pid = m.captured(2), sub = m.captured(3), leaf = m.captured(4);
    if (sub == QLatin1String("mixes") && m.captured(5) == QLatin1String("json") && m.captured(6).isEmpty())
        out = {QStringLiteral("mix"), leaf, {}, path, {}, {}, {}, {}, {}, {}};
    else if (sub == QLatin1String("audio") && m.captured(5) == QLatin1String("wav") && m.captured(6).isEmpty())
        out = {QStringLiteral("take"), leaf, {}, path, {}, {}, {}, {}, {}, {}};
    else if (sub.isEmpty() && !pid.isEmpty() && m.captured(6) == QLatin1String("project.json"))
        out = {QStringLiteral("project"), pid, {}, path, model::projectDir(cid, pid), {}, {}, {}, {}, {}};
    else if (sub.isEmpty() && pid.isEmpty() && m.captured(6) == QLatin1String("collection.json"))
        out = {QStringLiteral("collection"), cid, {}, path, model::collectionDir(cid), {}, {}, {}, {}, {}};
    else
        return false;
    return true;
}

// The newest version of a mix (in this vault or its history) that held track `tid`.
bool findTrack(const HistoryAccess& access, const QString& projectDir, const QString& tid, DeletedItem& take)
{
    const QDir mixes(QDir(access.vault.path).filePath(projectDir + QStringLiteral("/mixes")));
    for (const QString& f : mixes.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        const QString mixFile = projectDir + QStringLiteral("/mixes/") + f;
        auto versions = access.history->listVersions(mixFile);
        if (!versions)
            continue;
        for (auto v = versions->rbegin(); v != versions->rend(); ++v) {
            auto doc = access.fetchJson(mixFile, v->rev);
            if (!doc)
                continue;
            for (const Json& t : doc->value("tracks", Json::array())) {
                if (jsonString(t, "id") == tid) {
                    take.mixFile = mixFile;
                    take.track = t;
                    take.name = jsonString(t, "name");
                    return true;
                }
            }
        }
    }
    return false;
}

} // namespace

Result<std::vector<DeletedItem>> listDeletedItems(const HistoryAccess& access)
{
    auto files = access.history->listDeleted();
    if (!files)
        return files.error();
    std::vector<DeletedItem> items;
    QSet<QString> deletedPaths;
    for (const remote::DeletedFile& f : *files)
        deletedPaths.insert(f.path);
    for (const remote::DeletedFile& f : *files) {
        DeletedItem item;
        if (!classify(f.path, item))
            continue;
        item.deletedAt = f.deletedAt;
        item.last = f.last;
        // Inside a deleted collection or project: it comes back with that one.
        const QString project = f.path.section(QLatin1Char('/'), 0, 3);
        const QString collection = f.path.section(QLatin1Char('/'), 0, 1);
        if (item.kind != QLatin1String("collection")
            && deletedPaths.contains(collection + QStringLiteral("/collection.json")))
            continue;
        if ((item.kind == QLatin1String("mix") || item.kind == QLatin1String("take"))
            && deletedPaths.contains(project + QStringLiteral("/project.json")))
            continue;
        if (item.kind != QLatin1String("take")) {
            auto doc = access.fetchJson(f.path, f.last.rev);
            item.name = doc ? jsonString(*doc, "name") : QStringLiteral("(unreadable: %1)").arg(doc.errorString());
            if (doc && item.kind == QLatin1String("mix")) {
                for (const QString& t : takePaths(f.path, *doc))
                    if (deletedPaths.contains(t))
                        item.takes << t;
            }
        }
        if (!item.folder.isEmpty()) {
            for (const QString& p : std::as_const(deletedPaths))
                if (p.startsWith(item.folder + QLatin1Char('/')) && p.endsWith(QLatin1String(".wav")))
                    item.takes << p;
        }
        items.push_back(item);
    }
    // A take whose mix went with it is restored by that mix, not on its own.
    QSet<QString> owned;
    for (const DeletedItem& i : items)
        for (const QString& t : i.takes)
            owned.insert(t);
    std::vector<DeletedItem> out;
    for (DeletedItem& i : items) {
        if (i.kind == QLatin1String("take")) {
            if (owned.contains(i.path))
                continue;
            if (!findTrack(access, i.path.section(QLatin1Char('/'), 0, 3), i.id, i))
                i.name = QStringLiteral("take %1").arg(i.id);
        }
        i.takes.sort();
        out.push_back(std::move(i));
    }
    return out;
}

Status restoreDeletedItem(const HistoryAccess& access, const DeletedItem& item)
{
    const QDir vault(access.vault.path);
    // Its parents first, when they are gone too (a mix in a deleted project cannot come back alone).
    QStringList parents;
    if (item.kind != QLatin1String("collection"))
        parents << item.path.section(QLatin1Char('/'), 0, 1) + QStringLiteral("/collection.json");
    if (item.kind == QLatin1String("mix") || item.kind == QLatin1String("take"))
        parents << item.path.section(QLatin1Char('/'), 0, 3) + QStringLiteral("/project.json");
    for (const QString& parent : std::as_const(parents)) {
        if (QFile::exists(vault.filePath(parent)))
            continue;
        if (Status s = access.fetchNewest(parent, parent); !s)
            return makeError(QStringLiteral("what holds it (%1) cannot be restored: %2").arg(parent, s.errorString()),
                s.error().code);
    }
    if (item.kind == QLatin1String("take")) {
        if (Status s = access.fetchTo(item.path, item.last.rev, item.path); !s)
            return s;
        if (item.mixFile.isEmpty() || !QFile::exists(vault.filePath(item.mixFile)))
            return {};
        Result<Json> mix = readJsonObjectFile(vault.filePath(item.mixFile));
        if (!mix)
            return mix.error();
        for (const Json& t : mix->value("tracks", Json::array()))
            if (jsonString(t, "id") == item.id)
                return {};
        (*mix)["tracks"].push_back(item.track);
        (*mix)["modified_at"] = toStd(nowIso());
        return writeJsonFile(vault.filePath(item.mixFile), model::stampWriter(*mix));
    }
    if (Status s = access.fetchTo(item.path, item.last.rev, item.path); !s)
        return s;
    for (const QString& t : item.takes)
        if (Status s = access.fetchNewest(t, t); !s)
            return s;
    // A collection or project brings back everything deleted inside it.
    if (!item.folder.isEmpty()) {
        auto files = access.history->listDeleted(item.folder);
        if (!files)
            return files.error();
        for (const remote::DeletedFile& f : *files)
            if (!QFile::exists(vault.filePath(f.path)))
                if (Status s = access.fetchTo(f.path, f.last.rev, f.path); !s)
                    return s;
    }
    return {};
}

} // namespace muze::sync
