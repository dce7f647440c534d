// libFuzzer entry for conflict records (.muze/conflicts/<id>.json, written by any device and
// synced): ConflictRecord::fromJson, and the field path a "field" record names as resolving
// the conflict follows it (resolveFieldPath / setFieldPath) into a mix. Invariants: nothing
// throws; an accepted record round-trips through toJson; paths it names are safe and relative.
#include <muze/sync/conflicts.h>
#include <muze/sync/jsonmerge.h>
#include <muze/util/fileio.h>

#include <cstdint>
#include <cstdlib>

using namespace muze;
using namespace muze::sync;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size));
    auto doc = parseJson(bytes, QStringLiteral("conflict.json"));
    if (!doc)
        return 0;
    auto rec = ConflictRecord::fromJson(*doc);
    if (!rec) {
        if (rec.error().code != QLatin1String("corrupt_json"))
            std::abort();
        return 0;
    }
    if (!isSafeRelativePath(rec->path) || (rec->kind == QLatin1String("file") && !isSafeRelativePath(rec->copy)))
        std::abort();
    const Json written = rec->toJson();
    (void)dumpJson(written);
    auto again = ConflictRecord::fromJson(written);
    if (!again || again->id != rec->id || again->path != rec->path || again->kind != rec->kind
        || again->kept != rec->kept || again->field != (rec->kind == QLatin1String("field") ? rec->field : QString()))
        std::abort();
    if (rec->kind == QLatin1String("field")) {
        Json mix = {{"format", 1}, {"id", "01hzy3s7q4m5n6p7r8s9t0v1w2"}, {"name", "Mix"}, {"tempo", 120},
                    {"tracks", {{{"id", "t1"}, {"name", "Bass"}, {"gain_db", -3.0}, {"tags", {"a", "b"}}}}}};
        (void)resolveFieldPath(mix, rec->field);
        (void)setFieldPath(mix, rec->field, rec->remote.value, QStringLiteral("2026-01-01T00:00:00.000Z"));
        (void)setFieldPath(mix, rec->field, Json(), {}, true);
        (void)dumpJson(mix);
    }
    return 0;
}
