// history ITEM | history show ITEM VERSION | history restore ITEM VERSION [--as-copy]
// | history retention [30d|6m|1y|forever]
// Versions come from the remote's history (include/muze/remote/remotehistory.h), decrypted
// with the vault's keys; each is summarised against the one before (model/changesummary.h).
#include "cli.h"

#include <muze/sync/itemhistory.h>
#include <muze/sync/itemrestore.h>

#include <muze/model/changesummary.h>
#include <muze/model/vaultstore.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace muze::cli {

namespace {

using sync::HistoryAccess;
using sync::shortTime;
using Version = sync::ItemVersion;

Json changesJson(const std::vector<model::FieldChange>& changes)
{
    Json out = Json::array();
    for (const model::FieldChange& c : changes) {
        Json j{{"field", toStd(c.field)}, {"text", toStd(c.text)}, {"from", c.from}, {"to", c.to}};
        if (!c.track.isEmpty() || !c.trackId.isEmpty())
            j["track"] = Json{{"id", toStd(c.trackId)}, {"name", toStd(c.track)}};
        out.push_back(j);
    }
    return out;
}

Json versionJson(const Version& v)
{
    Json j{{"number", v.number}, {"rev", toStd(v.meta.rev)}, {"size", v.meta.size},
        {"modified", toStd(isoTimestamp(v.meta.modified))},
        {"replaced", v.meta.replaced.isValid() ? Json(toStd(isoTimestamp(v.meta.replaced))) : Json()},
        {"current", v.meta.current}, {"deleted", v.meta.deleted}, {"content_hash", toStd(v.meta.contentHash)},
        {"summary", toStd(v.problem.isEmpty() ? model::summaryText(v.changes) : v.problem)},
        {"changes", changesJson(v.changes)}};
    j["name"] = v.doc.is_object() ? v.doc.value("name", Json()) : Json();
    j["device"] = v.device.isEmpty() ? Json() : Json(toStd(v.device));
    j["device_name"] = v.deviceName.isEmpty() ? Json() : Json(toStd(v.deviceName));
    if (!v.problem.isEmpty())
        j["error"] = toStd(v.problem);
    return j;
}

int list(Context& ctx, const HistoryAccess& access, const model::ItemRef& item)
{
    auto versions = access.versions(item.file);
    if (!versions)
        return ctx.fail(versions.error());
    if (ctx.json) {
        Json list = Json::array();
        for (const Version& v : *versions)
            list.push_back(versionJson(v));
        ctx.printJson(Json{{"item",
                               Json{{"kind", toStd(model::kindName(item.kind))}, {"id", toStd(item.id)},
                                   {"name", toStd(item.name)}, {"path", toStd(item.file)}}},
            {"retention", toStd(remote::retentionName(remote::vaultRetention(access.vault.path)))},
            {"provider_retention", access.history->providerRetention()}, {"versions", list}});
        return ExitOk;
    }
    ctx.out << QStringLiteral("History of %1 \"%2\": %3 version(s), oldest first")
                   .arg(model::kindName(item.kind), item.name)
                   .arg(versions->size())
            << Qt::endl;
    for (const Version& v : *versions) {
        const QString device = v.deviceName.isEmpty() ? v.device : v.deviceName;
        ctx.out << QStringLiteral("%1  %2%3  %4%5")
                       .arg(v.number, 3)
                       .arg(shortTime(v.meta.modified), device.isEmpty() ? QString() : QStringLiteral("  by ") + device,
                           v.problem.isEmpty() ? model::summaryText(v.changes) : v.problem,
                           v.meta.current ? QStringLiteral("  (current)") : QString())
                << Qt::endl;
    }
    return ExitOk;
}

int show(Context& ctx, const HistoryAccess& access, const model::ItemRef& item, const QString& which)
{
    Result<Version> one = sync::loadVersion(access, item, which);
    if (!one)
        return ctx.fail(one.error());
    const Version* v = &*one;
    if (ctx.json) {
        Json j = versionJson(*v);
        j["content"] = v->doc;
        ctx.printJson(j);
        return ExitOk;
    }
    ctx.out << QStringLiteral("Version %1 of %2, %3: %4")
                   .arg(v->number)
                   .arg(item.name, shortTime(v->meta.modified), model::summaryText(v->changes))
            << Qt::endl
            << QString::fromUtf8(dumpJson(v->doc));
    return ExitOk;
}

int restore(Context& ctx, const HistoryAccess& access, const model::ItemRef& item, const QString& which, bool asCopy)
{
    Result<Version> v = sync::loadVersion(access, item, which);
    if (!v)
        return ctx.fail(v.error());
    Result<sync::RestoredVersion> r = sync::restoreVersion(access, item, *v, asCopy);
    if (!r)
        return ctx.fail(r.error());
    if (ctx.json) {
        ctx.printJson(Json{{"id", toStd(r->id)}, {"path", toStd(r->path)}, {"restored_version", r->version},
            {"name", toStd(r->name)}, {"as_copy", asCopy}});
    } else if (asCopy) {
        ctx.out << QStringLiteral("Restored version %1 as a new mix \"%2\" [%3]; it syncs with the next sync")
                       .arg(r->version)
                       .arg(r->name, r->id)
                << Qt::endl;
    } else {
        ctx.out << QStringLiteral("Restored %1 \"%2\" to version %3 as a new edit; it syncs with the next sync")
                       .arg(model::kindName(item.kind), r->name)
                       .arg(r->version)
                << Qt::endl;
    }
    return ExitOk;
}

int retention(Context& ctx, QStringList args)
{
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    const QString file = QDir(v->path).filePath(QStringLiteral("vault.json"));
    const bool dropbox = v->provider == vault::Provider::Dropbox;
    const QString dropboxNote
        = QStringLiteral("Dropbox keeps versions for its plan's period (30 days on Basic and Plus, "
                         "180 days on Professional and Business), whatever is set here");
    if (!args.isEmpty()) {
        auto r = remote::parseRetention(args.front());
        if (!r)
            return ctx.usage(QStringLiteral("history retention [30d|6m|1y|forever]"));
        Result<Json> doc = readJsonObjectFile(file);
        if (!doc)
            return ctx.fail(doc.error());
        (*doc)["history_retention"] = toStd(remote::retentionName(*r));
        (*doc)["modified_at"] = toStd(nowIso());
        if (Status s = writeJsonFile(file, *doc); !s)
            return ctx.fail(s.error());
    }
    const QString name = remote::retentionName(remote::vaultRetention(v->path));
    if (ctx.json) {
        Json j{{"retention", toStd(name)}, {"provider_retention", dropbox}};
        if (dropbox)
            j["note"] = toStd(dropboxNote);
        ctx.printJson(j);
    } else {
        ctx.out << QStringLiteral("%1 keeps versions for %2").arg(v->name, name) << Qt::endl;
        if (dropbox)
            ctx.out << dropboxNote << Qt::endl;
    }
    return ExitOk;
}

} // namespace

static int runHistory(Context& ctx, QStringList argv)
{
    Args args(std::move(argv));
    const bool asCopy = args.takeFlag(QStringLiteral("--as-copy"));
    if (!args.firstUnknownOption().isEmpty())
        return ctx.usage(QStringLiteral("unknown option %1").arg(args.firstUnknownOption()));
    QStringList rest = args.rest();
    const QString usage
        = QStringLiteral("history ITEM | history show ITEM VERSION | history restore ITEM VERSION [--as-copy] "
                         "| history retention [30d|6m|1y|forever]");
    if (rest.isEmpty())
        return ctx.usage(usage);
    const QString sub = rest.front();
    if (sub == QLatin1String("retention")) {
        if (rest.size() > 2 || asCopy)
            return ctx.usage(usage);
        return retention(ctx, rest.mid(1));
    }
    const bool isShow = sub == QLatin1String("show"), isRestore = sub == QLatin1String("restore");
    if ((isShow || isRestore) ? rest.size() != 3 : rest.size() != 1)
        return ctx.usage(usage);
    if (asCopy && !isRestore)
        return ctx.usage(usage);
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    auto item = model::VaultStore(v->path).resolve(isShow || isRestore ? rest[1] : rest[0]);
    if (!item)
        return ctx.fail(item.error());
    auto access = HistoryAccess::open(*v);
    if (!access)
        return ctx.fail(access.error());
    if (isShow)
        return show(ctx, *access, *item, rest[2]);
    if (isRestore)
        return restore(ctx, *access, *item, rest[2], asCopy);
    return list(ctx, *access, *item);
}

const Command& historyCommand()
{
    static const Command command{{QStringLiteral("history")}, QStringLiteral("History"),
        QStringLiteral("history ITEM | history show ITEM VERSION | history restore ITEM VERSION [--as-copy]\n"
                       "history retention [30d|6m|1y|forever]\n"),
        [](Context& ctx, const QString&, QStringList args) { return runHistory(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
