// search WORDS... — items whose name, notes or tags hold every word (crypto's SearchIndex).
// An encrypted vault keeps its blind index (.muze/search-index.json, docs/FORMAT.md §4) up to
// date from the model on this device and answers from the tokens; a plain vault matches the
// same normalised words directly, so both behave alike.
#include "cli.h"

#include <muze/crypto/searchindex.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/model/vaultstore.h>

#include <QDir>
#include <QFile>
#include <QSet>

namespace muze::cli {

namespace {

struct Searchable {
    model::ItemKind kind;
    QString id;
    QString name;
    QString where; // "Collection › Project › Mix" above it
    QStringList texts;
};

QStringList textsOf(const Json& item)
{
    QStringList texts{jsonString(item, "name"), jsonString(item, "notes")};
    if (item.is_object() && item.contains("tags") && item["tags"].is_array()) {
        for (const Json& tag : item["tags"]) {
            if (tag.is_string())
                texts << QString::fromStdString(tag.get<std::string>());
        }
    }
    return texts;
}

std::vector<Searchable> searchables(const model::VaultTree& tree)
{
    std::vector<Searchable> out;
    const QString sep = QStringLiteral(" › ");
    for (const model::CollectionNode& c : tree.collections) {
        out.push_back({model::ItemKind::Collection, c.id, c.name(), {}, textsOf(c.data)});
        for (const model::ProjectNode& p : c.projects) {
            out.push_back({model::ItemKind::Project, p.id, p.name(), c.name(), textsOf(p.data)});
            for (const model::MixNode& m : p.mixes) {
                const QString above = c.name() + sep + p.name();
                out.push_back({model::ItemKind::Mix, m.id, m.name(), above, textsOf(m.data)});
                for (const model::TrackNode& t : m.tracks)
                    out.push_back({model::ItemKind::Track, t.id(), t.name(), above + sep + m.name(), textsOf(t.data)});
            }
        }
    }
    return out;
}

// The index as the model says it should be; written only when its tokens changed, so a search
// does not make a synced file change for nothing.
Result<QStringList> queryBlindIndex(const QString& root, const QString& vaultId, const std::vector<Searchable>& items,
                                    const QString& query, bool& rewritten)
{
    Result<crypto::UnlockedKeys> keys = crypto::loadVaultKeys(root, vaultId);
    if (!keys)
        return keys.error();
    Result<crypto::SearchIndex> index = crypto::SearchIndex::create(*keys);
    if (!index)
        return index.error();
    for (const Searchable& s : items)
        index->setItem(s.id, s.texts);
    const QString path = QDir(root).filePath(crypto::kSearchIndexFile);
    Result<crypto::SearchIndex> stored = crypto::SearchIndex::load(path, *keys);
    // Rebuilt under the active key when the tokens differ (an edit, or a key rotation: tokens
    // cannot be carried to a new key, but the words are here).
    rewritten = !stored || stored->keyId() != index->keyId() || stored->toJson()["items"] != index->toJson()["items"];
    if (rewritten) {
        if (Status s = index->save(path); !s)
            return s.error();
    }
    return index->query(query);
}

QStringList queryPlain(const std::vector<Searchable>& items, const QString& query)
{
    const QStringList words = crypto::SearchIndex::words(query);
    QStringList ids;
    if (words.isEmpty())
        return ids;
    for (const Searchable& s : items) {
        QSet<QString> have;
        for (const QString& text : s.texts) {
            for (const QString& w : crypto::SearchIndex::words(text))
                have.insert(w);
        }
        if (std::all_of(words.cbegin(), words.cend(), [&](const QString& w) { return have.contains(w); }))
            ids << s.id;
    }
    return ids;
}

} // namespace

int runSearch(Context& ctx, QStringList args)
{
    if (args.isEmpty() || args.first().startsWith(QLatin1String("--")))
        return ctx.usage(QStringLiteral("search WORDS..."));
    const QString query = args.join(QLatin1Char(' '));
    if (crypto::SearchIndex::words(query).isEmpty())
        return ctx.usage(QStringLiteral("search needs at least one word (letters or digits)"));
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    Result<model::VaultTree> tree = model::VaultStore(v->path).load();
    if (!tree)
        return ctx.fail(tree.error());
    const std::vector<Searchable> items = searchables(*tree);

    const bool blind = crypto::isVaultEncrypted(v->path);
    bool rewritten = false;
    QStringList ids;
    if (blind) {
        Result<QStringList> found = queryBlindIndex(v->path, v->id, items, query, rewritten);
        if (!found)
            return ctx.fail(found.error());
        ids = *found;
    } else {
        ids = queryPlain(items, query);
    }
    const QSet<QString> hit(ids.cbegin(), ids.cend());

    if (ctx.json) {
        Json results = Json::array();
        for (const Searchable& s : items) {
            if (hit.contains(s.id))
                results.push_back({{"id", toStd(s.id)}, {"kind", toStd(model::kindName(s.kind))}, {"name", toStd(s.name)},
                                   {"in", toStd(s.where)}});
        }
        ctx.printJson(Json{{"vault", toStd(v->name)}, {"query", toStd(query)}, {"index", blind ? "blind tokens" : "plain"},
                           {"index_updated", rewritten}, {"results", results}});
        return ExitOk;
    }
    int shown = 0;
    for (const Searchable& s : items) {
        if (!hit.contains(s.id))
            continue;
        ctx.out << model::kindName(s.kind).leftJustified(11) << s.name;
        if (!s.where.isEmpty())
            ctx.out << "  (" << s.where << ")";
        ctx.out << "  " << s.id << "\n";
        ++shown;
    }
    if (shown == 0)
        ctx.out << "Nothing in " << v->name << " matches \"" << query << "\"\n";
    ctx.out.flush();
    return ExitOk;
}

} // namespace muze::cli
