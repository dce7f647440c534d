// libFuzzer entry for the encrypted vault's blind search index (.muze/search-index.json) and the
// word normalisation every name and note goes through (docs/FORMAT.md §4). The input is the
// index file; its bytes are also taken as an item's text and as a query. Invariants: nothing
// throws; an accepted index round-trips; an item indexed with some text is found by each of
// its words.
#include <muze/crypto/searchindex.h>
#include <muze/crypto/unlockedkeys.h>

#include <cstdint>
#include <cstdlib>

using namespace muze;
using namespace muze::crypto;

namespace {

const UnlockedKeys& keys()
{
    static UnlockedKeys k = [] {
        UnlockedKeys out;
        SecretBytes key(32);
        for (int i = 0; i < 32; ++i)
            key.data()[i] = static_cast<unsigned char>(i * 7 + 1);
        out.add(1, std::move(key));
        out.setActiveKeyId(1);
        return out;
    }();
    return k;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    const QString text = QString::fromUtf8(bytes);
    const QStringList words = SearchIndex::words(text);

    auto json = parseJson(bytes, QStringLiteral("search-index.json"));
    if (json) {
        if (auto index = SearchIndex::fromJson(*json, keys())) {
            auto again = SearchIndex::fromJson(index->toJson(), keys());
            if (!again || again->itemCount() != index->itemCount() || again->keyId() != index->keyId())
                std::abort();
            (void)index->query(QStringLiteral("bass take"));
            index->setItem(QStringLiteral("fuzzitem"), {text});
            if (!words.isEmpty() && !index->query(words.front()).contains(QStringLiteral("fuzzitem")))
                std::abort();
            (void)dumpJson(index->toJson());
        }
    }

    auto fresh = SearchIndex::create(keys());
    if (!fresh)
        std::abort();
    fresh->setItem(QStringLiteral("item"), {text});
    // Each distinct word once (a query is a pure function of the word, and a text of a few
    // letters repeated made thousands of identical queries per input), the first 24 and the
    // last: every word goes through the same words() and HMAC as the item's text did, and
    // querying hundreds of one-letter words per input halved the executions per second.
    QStringList distinct = words;
    distinct.removeDuplicates();
    if (distinct.size() > 25)
        distinct.erase(distinct.begin() + 24, distinct.end() - 1);
    for (const QString& w : std::as_const(distinct)) {
        if (fresh->query(w) != QStringList{QStringLiteral("item")})
            std::abort();
    }
    (void)fresh->query(text);
    return 0;
}
