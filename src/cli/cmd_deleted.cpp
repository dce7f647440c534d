// deleted | deleted restore ID: collections, projects, mixes and takes deleted on any device,
// from the remote's history (include/muze/remote/remotehistory.h), restored with their takes
// as new files that the next sync uploads.
#include "cli.h"

#include <muze/sync/itemrestore.h>

#include <muze/util/clock.h>

namespace muze::cli {

namespace {

using sync::DeletedItem;
using sync::HistoryAccess;
using sync::shortTime;

Json itemJson(const DeletedItem& i)
{
    Json takes = Json::array();
    for (const QString& t : i.takes)
        takes.push_back(toStd(t));
    return Json{{"kind", toStd(i.kind)}, {"id", toStd(i.id)}, {"name", toStd(i.name)}, {"path", toStd(i.path)},
        {"deleted_at", toStd(isoTimestamp(i.deletedAt))}, {"takes", takes}};
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
    auto items = sync::listDeletedItems(*access);
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
        if (Status s = sync::restoreDeletedItem(*access, i); !s)
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
