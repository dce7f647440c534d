// collection add | project add | mix add | track import | edit | rm | ls
#include "cli.h"

#include <muze/model/vaultstore.h>

namespace muze::cli {

namespace {

int printId(Context& ctx, const Result<QString>& id)
{
    if (!id)
        return ctx.fail(id.error());
    if (ctx.json)
        ctx.printJson(Json{{"id", toStd(*id)}});
    else
        ctx.out << *id << Qt::endl;
    return ExitOk;
}

Json treeJson(const model::VaultTree& tree)
{
    Json collections = Json::array();
    for (const auto& c : tree.collections) {
        Json cj = c.data;
        Json projects = Json::array();
        for (const auto& p : c.projects) {
            Json pj = p.data;
            Json mixes = Json::array();
            for (const auto& m : p.mixes)
                mixes.push_back(m.data);
            pj["mixes"] = mixes;
            projects.push_back(pj);
        }
        cj["projects"] = projects;
        collections.push_back(cj);
    }
    Json issues = Json::array();
    for (const auto& i : tree.issues)
        issues.push_back(Json{{"file", toStd(i.file)}, {"message", toStd(i.message)}});
    return Json{{"collections", collections}, {"issues", issues}};
}

void printTree(Context& ctx, const model::VaultTree& tree)
{
    for (const auto& c : tree.collections) {
        ctx.out << c.name() << "  [" << c.id << "]\n";
        for (const auto& p : c.projects) {
            ctx.out << "  " << p.name() << "  [" << p.id << "]\n";
            for (const auto& m : p.mixes) {
                ctx.out << "    " << m.name() << "  [" << m.id << "]\n";
                for (const auto& t : m.tracks) {
                    ctx.out << "      - " << t.name() << "  [" << t.id() << "]  "
                            << QString::number(jsonNumber(t.data, "duration_s"), 'f', 1) << " s  gain "
                            << QString::number(jsonNumber(t.data, "gain_db"), 'f', 1) << " dB  pan "
                            << QString::number(jsonNumber(t.data, "pan"), 'f', 2);
                    if (jsonBool(t.data, "muted"))
                        ctx.out << "  muted";
                    if (jsonBool(t.data, "solo"))
                        ctx.out << "  solo";
                    ctx.out << "\n";
                }
            }
        }
    }
    ctx.out.flush();
}

} // namespace

static int runItems(Context& ctx, const QString& command, QStringList args)
{
    auto vault = ctx.targetVault();
    if (!vault)
        return ctx.fail(vault.error());
    const model::VaultStore store(vault->path);
    Args a(args);

    if (command == QLatin1String("collection") || command == QLatin1String("project") || command == QLatin1String("mix")) {
        const qsizetype want = command == QLatin1String("collection") ? 2 : 3;
        if (a.rest().size() != want || a.rest().front() != QLatin1String("add") || !a.firstUnknownOption().isEmpty())
            return ctx.usage(command == QLatin1String("collection") ? QStringLiteral("collection add NAME")
                             : command == QLatin1String("project")  ? QStringLiteral("project add COLLECTION NAME")
                                                                    : QStringLiteral("mix add PROJECT NAME"));
        const QStringList& r = a.rest();
        if (command == QLatin1String("collection"))
            return printId(ctx, store.addCollection(r.at(1)));
        if (command == QLatin1String("project"))
            return printId(ctx, store.addProject(r.at(1), r.at(2)));
        return printId(ctx, store.addMix(r.at(1), r.at(2)));
    }
    if (command == QLatin1String("track")) {
        const QString name = a.take(QStringLiteral("--name"));
        if (a.missingValue() || a.rest().size() != 3 || a.rest().front() != QLatin1String("import")
            || !a.firstUnknownOption().isEmpty())
            return ctx.usage(QStringLiteral("track import MIX FILE.wav [--name NAME]"));
        return printId(ctx, store.importTrack(a.rest().at(1), a.rest().at(2), name));
    }
    if (command == QLatin1String("edit")) {
        if (a.rest().size() < 2)
            return ctx.usage(QStringLiteral("edit ITEM key=value ..."));
        QList<QPair<QString, QString>> assignments;
        for (const QString& kv : a.rest().mid(1)) {
            const qsizetype eq = kv.indexOf(QLatin1Char('='));
            if (eq <= 0)
                return ctx.usage(QStringLiteral("edit ITEM key=value ... (got \"%1\")").arg(kv));
            assignments.append({kv.left(eq), kv.mid(eq + 1)});
        }
        if (Status s = store.edit(a.rest().front(), assignments); !s)
            return ctx.fail(s.error());
        if (ctx.json)
            ctx.printJson(Json{{"ok", true}});
        return ExitOk;
    }
    if (command == QLatin1String("rm")) {
        if (a.rest().size() != 1)
            return ctx.usage(QStringLiteral("rm ITEM"));
        if (Status s = store.remove(a.rest().front()); !s)
            return ctx.fail(s.error());
        if (ctx.json)
            ctx.printJson(Json{{"ok", true}});
        return ExitOk;
    }
    // ls
    if (!a.rest().isEmpty())
        return ctx.usage(QStringLiteral("ls"));
    auto tree = store.load();
    if (!tree)
        return ctx.fail(tree.error());
    for (const auto& issue : tree->issues)
        ctx.err << "muze-cli: warning: " << issue.message << Qt::endl;
    if (ctx.json) {
        Json doc = treeJson(*tree);
        doc["vault"] = vault->toJson();
        ctx.printJson(doc);
    } else {
        printTree(ctx, *tree);
    }
    return ExitOk;
}

const Command& itemsCommand()
{
    static const Command command{
        {QStringLiteral("collection"), QStringLiteral("project"), QStringLiteral("mix"), QStringLiteral("track"),
            QStringLiteral("edit"), QStringLiteral("rm"), QStringLiteral("ls")},
        QStringLiteral("Items (by id or unambiguous name)"),
        QStringLiteral("collection add NAME | project add COLLECTION NAME | mix add PROJECT NAME\n"
                       "track import MIX FILE.wav [--name NAME]\n"
                       "edit ITEM key=value ...   rm ITEM   ls\n"),
        [](Context& ctx, const QString& name, QStringList args) { return runItems(ctx, name, std::move(args)); }};
    return command;
}

} // namespace muze::cli
