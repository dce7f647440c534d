// libFuzzer entry for the model files a remote hands us: collection.json, project.json, a mix
// (with its tracks) and vault.json, as VaultStore::load reads them (parseJson, then the schema
// check of docs/FORMAT.md), and the three-way merge sync runs on them. An input that is a list
// of three objects is also merged as [base, local, remote]. Invariants: nothing throws;
// accepted JSON survives dump/parse unchanged; a merge of a document with itself changes
// nothing and reports no conflict; every reported conflict path resolves in the merged result.
#include "schema.h"

#include <muze/sync/jsonmerge.h>

#include <cstdint>
#include <cstdlib>

using namespace muze;
using namespace muze::model;

namespace {

void validateAll(const Json& doc)
{
    const QString file = QStringLiteral("fuzz.json");
    for (ItemKind kind : {ItemKind::Vault, ItemKind::Collection, ItemKind::Project, ItemKind::Mix, ItemKind::Track})
        (void)validateItem(doc, kind, file);
    (void)validateItem(doc, ItemKind::Mix, file, QStringLiteral("01hzy3s7q4m5n6p7r8s9t0v1w2"));
    if (doc.is_object() && doc.contains("tracks") && doc["tracks"].is_array()) {
        for (const Json& t : doc["tracks"])
            (void)validateItem(t, ItemKind::Track, file);
    }
}

void checkMerge(const Json* base, const Json& local, const Json& remote)
{
    sync::MergeResult m = sync::mergeJson(base, local, remote);
    for (const sync::FieldConflict& c : m.conflicts) {
        if (c.field.isEmpty())
            std::abort();
        (void)sync::resolveFieldPath(m.merged, c.field);
        Json flipped = m.merged;
        (void)sync::setFieldPath(flipped, c.field, c.localWon ? c.remoteValue : c.localValue,
                                 QStringLiteral("2026-01-01T00:00:00.000Z"), c.localWon ? c.remoteValue.is_null() : c.localValue.is_null());
    }
    (void)dumpJson(m.merged);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    auto doc = parseJson(bytes, QStringLiteral("fuzz.json"));
    if (!doc)
        return 0;
    validateAll(*doc);
    auto again = parseJson(dumpJson(*doc), QStringLiteral("again"));
    if (!again || *again != *doc)
        std::abort();

    if (doc->is_object()) {
        sync::MergeResult same = sync::mergeJson(&*doc, *doc, *doc);
        if (!same.conflicts.empty() || same.merged != *doc)
            std::abort();
        checkMerge(nullptr, *doc, Json::object());
        const Json mix = {{"format", 1}, {"id", "01hzy3s7q4m5n6p7r8s9t0v1w2"}, {"name", "Mix"},
                          {"modified_at", "2026-01-01T00:00:00.000Z"},
                          {"tracks", {{{"id", "t1"}, {"name", "Bass"}, {"gain_db", -3.0}}}}};
        checkMerge(&mix, mix, *doc);
        checkMerge(&mix, *doc, mix);
    } else if (doc->is_array() && doc->size() == 3) {
        const Json& b = (*doc)[0];
        const Json& l = (*doc)[1];
        const Json& r = (*doc)[2];
        validateAll(b);
        validateAll(l);
        validateAll(r);
        if (l.is_object() && r.is_object()) {
            checkMerge(b.is_object() ? &b : nullptr, l, r);
            checkMerge(b.is_object() ? &b : nullptr, r, l);
        }
    }
    return 0;
}
