// deleted | deleted restore ID: collections, projects, mixes and takes deleted on any device,
// from the remote's history (include/muze/remote/remotehistory.h), restored with their takes
// as new files that the next sync uploads.
#include "cli.h"

#include <muze/sync/itemhistory.h>

#include <muze/model/layout.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace muze::cli {

namespace {

using sync::HistoryAccess;
using sync::shortTime;
using sync::takePaths;

struct DeletedItem {
    QString kind; // collection, project, mix, take
    QString id;
    QString name;
    QString path; // its file
    QString folder; // collection/project: its folder (everything under it comes back with it)
    QDateTime deletedAt;
    remote::RemoteVersion last;
    QStringList takes; // deleted takes that come back with it
    QString mixFile; // take: the mix that held it
    Json track; // take: its track object (from the mix's history)
};

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

Result<std::vector<DeletedItem>> deletedItems(const HistoryAccess& access)
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

Json itemJson(const DeletedItem& i)
{
    Json takes = Json::array();
    for (const QString& t : i.takes)
        takes.push_back(toStd(t));
    return Json{{"kind", toStd(i.kind)}, {"id", toStd(i.id)}, {"name", toStd(i.name)}, {"path", toStd(i.path)},
        {"deleted_at", toStd(isoTimestamp(i.deletedAt))}, {"takes", takes}};
}

Status restoreItem(const HistoryAccess& access, const DeletedItem& item)
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
        return writeJsonFile(vault.filePath(item.mixFile), *mix);
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

} // namespace

static int runDeleted(Context& ctx, QStringList argv)
{
    Args args(std::move(argv));
    if (!args.firstUnknownOption().isEmpty())
        return ctx.usage(QStringLiteral("unknown option %1").arg(args.firstUnknownOption()));
    const QStringList rest = args.rest();
    const bool restore = !rest.isEmpty() && rest.front() == QLatin1String("restore");
    if ((restore && rest.size() != 2) || (!restore && !rest.isEmpty()))
        return ctx.usage(QStringLiteral("deleted | deleted restore ID"));
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    auto access = HistoryAccess::open(*v);
    if (!access)
        return ctx.fail(access.error());
    auto items = deletedItems(*access);
    if (!items)
        return ctx.fail(items.error());
    if (!restore) {
        if (ctx.json) {
            Json list = Json::array();
            for (const DeletedItem& i : *items)
                list.push_back(itemJson(i));
            ctx.printJson(Json{{"deleted", list}});
        } else if (items->empty()) {
            ctx.out << "Nothing was deleted recently" << Qt::endl;
        } else {
            for (const DeletedItem& i : *items) {
                ctx.out << QStringLiteral("%1  %2  \"%3\"  deleted %4")
                               .arg(i.kind, -10)
                               .arg(i.id, i.name, shortTime(i.deletedAt));
                if (!i.takes.isEmpty())
                    ctx.out << QStringLiteral("  with %1 take(s)").arg(i.takes.size());
                ctx.out << Qt::endl;
            }
        }
        return ExitOk;
    }
    const QString id = rest[1];
    for (const DeletedItem& i : *items) {
        if (i.id != id)
            continue;
        if (Status s = restoreItem(*access, i); !s)
            return ctx.fail(s.error());
        if (ctx.json)
            ctx.printJson(Json{{"restored", itemJson(i)}});
        else
            ctx.out << QStringLiteral("Restored %1 \"%2\" with %3 take(s); it syncs with the next sync")
                           .arg(i.kind, i.name)
                           .arg(i.takes.size())
                    << Qt::endl;
        return ExitOk;
    }
    return ctx.fail(QStringLiteral("nothing deleted has the id \"%1\" (see muze-cli deleted)").arg(id));
}

const Command& deletedCommand()
{
    static const Command command{{QStringLiteral("deleted")}, QStringLiteral("History"),
        QStringLiteral("deleted | deleted restore ID\n"),
        [](Context& ctx, const QString&, QStringList args) { return runDeleted(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
