#pragma once
// SearchIndex: blind search tokens for titles, notes and tags. A token is
// base64url(HMAC-SHA256(search key, normalised word))[first 16 bytes], so the index can sit in
// the synced metadata folder (kSearchIndexFile) without revealing a word (docs/FORMAT.md §4).
//
//   auto index = SearchIndex::load(vaultRoot + "/" + kSearchIndexFile, keys); // empty if missing
//   index->setItem(trackId, {title, notes, tags.join(' ')});
//   index->save(path);
//   QStringList ids = index->query("bass take");  // items holding every word
//
// Words: the text is NFC-normalised, split on anything that is not a letter, digit or mark,
// and each word is lower-cased (Unicode full case mapping) and NFC-normalised again.
// An index is bound to one key id (the active key when it was made); after a rotation it keeps
// working with that key until the caller rebuilds it (tokens cannot be recomputed without words).
// Threading: a value object; one thread at a time. Move-only (it holds the search key).

#include <muze/crypto/secretbytes.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QString>
#include <QStringList>

#include <map>
#include <optional>
#include <set>

namespace muze::crypto {

inline const QString kSearchIndexFile = QStringLiteral(".muze/search-index.json");
constexpr int kSearchIndexFormat = 1;
constexpr int kSearchTokenBytes = 16;

class SearchIndex {
public:
    /// An empty index using the search key of `keyId` (default: the active key).
    static Result<SearchIndex> create(const UnlockedKeys& keys, std::optional<quint32> keyId = std::nullopt);
    static Result<SearchIndex> fromJson(const Json& json, const UnlockedKeys& keys);
    /// Reads the index at `path`; a missing file gives an empty index under the active key.
    static Result<SearchIndex> load(const QString& path, const UnlockedKeys& keys);
    Json toJson() const;
    Status save(const QString& path) const;

    /// The normalised words of `text`, in order, with repeats.
    static QStringList words(const QString& text);
    /// The token of one word (normalised here; the empty string for a text with no word).
    QString token(const QString& word) const;

    /// Replaces the tokens of `itemId` with those of all words in `texts`.
    void setItem(const QString& itemId, const QStringList& texts);
    void removeItem(const QString& itemId);
    bool contains(const QString& itemId) const { return m_items.count(itemId) != 0; }
    int itemCount() const { return int(m_items.size()); }
    /// Ids (sorted) of the items that hold every word of `query`; empty for a query without words.
    QStringList query(const QString& query) const;

    quint32 keyId() const { return m_keyId; }

private:
    SearchIndex() = default;
    QString tokenOfNormalised(const QString& word) const;

    quint32 m_keyId = 0;
    SecretBytes m_key;
    std::map<QString, std::set<QString>> m_items;
    Json m_extra = Json::object();
};

} // namespace muze::crypto
