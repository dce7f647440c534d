#include <muze/crypto/searchindex.h>

#include "jsonfields.h"

#include <muze/util/clock.h>
#include <muze/util/fileio.h>

#include <sodium.h>

#include <QFileInfo>

namespace muze::crypto {

namespace {

constexpr char kKind[] = "muze.search-index";
static_assert(crypto_auth_hmacsha256_KEYBYTES == kKeyBytes);

bool isWordChar(char32_t c) { return QChar::isLetterOrNumber(c) || QChar::isMark(c); }

QString normaliseWord(const QString& word)
{
    return word.toLower().normalized(QString::NormalizationForm_C);
}

bool isToken(const QString& s)
{
    if (s.size() != 22) // 16 bytes in unpadded base64url
        return false;
    for (QChar c : s) {
        const bool ok = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') || c == QLatin1Char('_');
        if (!ok)
            return false;
    }
    return true;
}

Error corrupt(const QString& why)
{
    return makeError(QStringLiteral("The search index is damaged: %1").arg(why), errc::corrupt_index);
}

} // namespace

Result<SearchIndex> SearchIndex::create(const UnlockedKeys& keys, std::optional<quint32> keyId)
{
    ensureSodium();
    const quint32 id = keyId.value_or(keys.activeKeyId());
    const SecretBytes* key = keys.searchKey(id);
    if (!key)
        return makeError(QStringLiteral("No search key %1 (the vault is locked?)").arg(id), errc::unknown_key);
    SearchIndex index;
    index.m_keyId = id;
    index.m_key = key->clone();
    return index;
}

Result<SearchIndex> SearchIndex::fromJson(const Json& json, const UnlockedKeys& keys)
{
    if (!json.is_object() || fields::stringField(json, "kind") != QLatin1String(kKind))
        return corrupt(QStringLiteral("not a search index"));
    const auto format = fields::unsignedField(json, "format");
    if (!format || *format != quint64(kSearchIndexFormat))
        return makeError(QStringLiteral("Unsupported search index format"), errc::unsupported_version);
    const auto keyId = fields::unsignedField(json, "key_id");
    const auto tokenBytes = fields::unsignedField(json, "token_bytes");
    if (!keyId || *keyId == 0 || *keyId > 0xFFFFFFFFull || !tokenBytes || *tokenBytes != quint64(kSearchTokenBytes))
        return corrupt(QStringLiteral("bad key id or token size"));
    auto index = create(keys, quint32(*keyId));
    if (!index)
        return index.error();
    const auto items = json.find("items");
    if (items == json.end() || !items->is_object())
        return corrupt(QStringLiteral("no \"items\" object"));
    for (auto it = items->begin(); it != items->end(); ++it) {
        if (!it.value().is_array())
            return corrupt(QStringLiteral("item %1 is not a list").arg(fromStd(it.key())));
        std::set<QString> tokens;
        for (const Json& t : it.value()) {
            if (!t.is_string() || !isToken(fromStd(t.get<std::string>())))
                return corrupt(QStringLiteral("item %1 holds a malformed token").arg(fromStd(it.key())));
            tokens.insert(fromStd(t.get<std::string>()));
        }
        index->m_items.emplace(fromStd(it.key()), std::move(tokens));
    }
    index->m_extra = json;
    return index;
}

Result<SearchIndex> SearchIndex::load(const QString& path, const UnlockedKeys& keys)
{
    if (!QFileInfo::exists(path))
        return create(keys);
    auto json = readJsonObjectFile(path);
    if (!json)
        return json.error();
    return fromJson(*json, keys);
}

Json SearchIndex::toJson() const
{
    Json j = m_extra.is_object() ? m_extra : Json::object();
    j["format"] = kSearchIndexFormat;
    j["kind"] = kKind;
    j["key_id"] = m_keyId;
    j["token_bytes"] = kSearchTokenBytes;
    j["modified_at"] = toStd(nowIso());
    Json items = Json::object();
    for (const auto& [id, tokens] : m_items) {
        Json list = Json::array();
        for (const QString& t : tokens) // sorted: the order says nothing about the text
            list.push_back(toStd(t));
        items[toStd(id)] = std::move(list);
    }
    j["items"] = std::move(items);
    return j;
}

Status SearchIndex::save(const QString& path) const { return writeJsonFile(path, toJson()); }

QStringList SearchIndex::words(const QString& text)
{
    const QList<uint> codePoints = text.normalized(QString::NormalizationForm_C).toUcs4();
    QStringList out;
    QList<char32_t> current;
    auto flush = [&] {
        if (!current.isEmpty())
            out.append(normaliseWord(QString::fromUcs4(current.constData(), current.size())));
        current.clear();
    };
    for (uint cp : codePoints) {
        if (isWordChar(char32_t(cp)))
            current.append(char32_t(cp));
        else
            flush();
    }
    flush();
    return out;
}

QString SearchIndex::tokenOfNormalised(const QString& word) const
{
    const QByteArray utf8 = word.toUtf8();
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256(mac, reinterpret_cast<const unsigned char*>(utf8.constData()), quint64(utf8.size()), m_key.data());
    const QByteArray truncated(reinterpret_cast<const char*>(mac), kSearchTokenBytes);
    sodium_memzero(mac, sizeof mac);
    return QString::fromLatin1(truncated.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QString SearchIndex::token(const QString& word) const
{
    const QStringList w = words(word);
    return w.isEmpty() ? QString() : tokenOfNormalised(w.front());
}

void SearchIndex::setItem(const QString& itemId, const QStringList& texts)
{
    std::set<QString> tokens;
    for (const QString& text : texts) {
        for (const QString& w : words(text))
            tokens.insert(tokenOfNormalised(w));
    }
    m_items.insert_or_assign(itemId, std::move(tokens));
}

void SearchIndex::removeItem(const QString& itemId) { m_items.erase(itemId); }

QStringList SearchIndex::query(const QString& query) const
{
    std::set<QString> wanted;
    for (const QString& w : words(query))
        wanted.insert(tokenOfNormalised(w));
    QStringList hits;
    if (wanted.empty())
        return hits;
    for (const auto& [id, tokens] : m_items) {
        bool all = true;
        for (const QString& t : wanted)
            all = all && tokens.count(t);
        if (all)
            hits.append(id);
    }
    return hits;
}

} // namespace muze::crypto
