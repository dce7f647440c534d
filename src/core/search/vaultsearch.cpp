#include <muze/search/vaultsearch.h>

#include <muze/crypto/searchindex.h>
#include <muze/crypto/vaultkeys.h>
#include <muze/model/vaultstore.h>

#include <QDir>
#include <QSet>

#include <algorithm>
#include <vector>

namespace muze::search {

namespace {

struct Searchable {
    model::ItemKind kind;
    QString id;
    QString name;
    QString where; // "Collection › Project › Mix" above it
    QStringList texts;
    QStringList ancestorIds;
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
        out.push_back({model::ItemKind::Collection, c.id, c.name(), {}, textsOf(c.data), {}});
        for (const model::ProjectNode& p : c.projects) {
            out.push_back({model::ItemKind::Project, p.id, p.name(), c.name(), textsOf(p.data), {c.id}});
            for (const model::MixNode& m : p.mixes) {
                const QString above = c.name() + sep + p.name();
                out.push_back({model::ItemKind::Mix, m.id, m.name(), above, textsOf(m.data), {c.id, p.id}});
                for (const model::TrackNode& t : m.tracks)
                    out.push_back({model::ItemKind::Track, t.id(), t.name(), above + sep + m.name(), textsOf(t.data),
                        {c.id, p.id, m.id}});
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

QStringList queryWords(const QString& query)
{
    return crypto::SearchIndex::words(query);
}

Result<SearchOutcome> searchVault(const QString& vaultRoot, const QString& vaultId, const QString& query)
{
    Result<model::VaultTree> tree = model::VaultStore(vaultRoot).load();
    if (!tree)
        return tree.error();
    const std::vector<Searchable> items = searchables(*tree);
    SearchOutcome out;
    out.blind = crypto::isVaultEncrypted(vaultRoot);
    QStringList ids;
    if (out.blind) {
        Result<QStringList> found = queryBlindIndex(vaultRoot, vaultId, items, query, out.indexUpdated);
        if (!found)
            return found.error();
        ids = *found;
    } else {
        ids = queryPlain(items, query);
    }
    const QSet<QString> hit(ids.cbegin(), ids.cend());
    for (const Searchable& s : items) {
        if (hit.contains(s.id))
            out.hits.push_back({s.kind, s.id, s.name, s.where, s.ancestorIds});
    }
    return out;
}

} // namespace muze::search
