// search WORDS... — items whose name, notes or tags hold every word (muze_search: an encrypted
// vault answers from its blind index, docs/FORMAT.md §4).
#include "cli.h"

#include <muze/search/vaultsearch.h>

namespace muze::cli {

static int runSearch(Context& ctx, QStringList args)
{
    if (args.isEmpty() || args.first().startsWith(QLatin1String("--")))
        return ctx.usage(QStringLiteral("search WORDS..."));
    const QString query = args.join(QLatin1Char(' '));
    if (search::queryWords(query).isEmpty())
        return ctx.usage(QStringLiteral("search needs at least one word (letters or digits)"));
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    Result<search::SearchOutcome> r = search::searchVault(v->path, v->id, query);
    if (!r)
        return ctx.fail(r.error());

    if (ctx.json) {
        Json results = Json::array();
        for (const search::Hit& h : r->hits)
            results.push_back({{"id", toStd(h.id)}, {"kind", toStd(model::kindName(h.kind))}, {"name", toStd(h.name)},
                {"in", toStd(h.where)}});
        ctx.printJson(Json{{"vault", toStd(v->name)}, {"query", toStd(query)},
            {"index", r->blind ? "blind tokens" : "plain"}, {"index_updated", r->indexUpdated}, {"results", results}});
        return ExitOk;
    }
    for (const search::Hit& h : r->hits) {
        ctx.out << model::kindName(h.kind).leftJustified(11) << h.name;
        if (!h.where.isEmpty())
            ctx.out << "  (" << h.where << ")";
        ctx.out << "  " << h.id << "\n";
    }
    if (r->hits.isEmpty())
        ctx.out << "Nothing in " << v->name << " matches \"" << query << "\"\n";
    ctx.out.flush();
    return ExitOk;
}

const Command& searchCommand()
{
    static const Command command{{QStringLiteral("search")}, QStringLiteral("Items (by id or unambiguous name)"),
        QStringLiteral("search WORDS...   (names, notes, tags; an encrypted vault answers from its blind index)\n"),
        [](Context& ctx, const QString&, QStringList args) { return runSearch(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
