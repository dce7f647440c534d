// ConflictRecord as JSON (.muze/conflicts/<id>.json): written by any device and synced, so
// read as untrusted input (tests/fuzz/fuzz_conflict_record). The store is in conflicts.cpp.
#include <muze/sync/conflicts.h>

#include <muze/util/fileio.h>
#include <muze/util/ids.h>

namespace muze::sync {

namespace {
Json sideJson(const ConflictSide& s, bool field)
{
    Json j = Json::object();
    if (field)
        j["value"] = s.value;
    else
        j["hash"] = toStd(s.hash);
    j["modified_at"] = toStd(s.modifiedAt);
    if (!s.device.isEmpty())
        j["device"] = toStd(s.device);
    return j;
}

ConflictSide sideFrom(const Json& j)
{
    ConflictSide s;
    if (!j.is_object())
        return s;
    if (j.contains("value"))
        s.value = j["value"];
    s.hash = jsonString(j, "hash");
    s.modifiedAt = jsonString(j, "modified_at");
    s.device = jsonString(j, "device");
    return s;
}
} // namespace

Json ConflictRecord::toJson() const
{
    const bool isField = kind == QLatin1String("field");
    Json j = {{"format", 1}, {"id", toStd(id)}, {"kind", toStd(kind)}, {"path", toStd(path)}};
    if (isField)
        j["field"] = toStd(field);
    else
        j["copy"] = toStd(copy);
    j["local"] = sideJson(local, isField);
    j["remote"] = sideJson(remote, isField);
    if (isField && base)
        j["base"] = Json{{"value", *base}};
    j["kept"] = toStd(kept);
    j["detected_by"] = toStd(detectedBy);
    j["created_at"] = toStd(createdAt);
    return j;
}

Result<ConflictRecord> ConflictRecord::fromJson(const Json& json)
{
    ConflictRecord r;
    r.id = jsonString(json, "id");
    r.kind = jsonString(json, "kind");
    r.path = jsonString(json, "path");
    r.field = jsonString(json, "field");
    r.copy = jsonString(json, "copy");
    r.local = sideFrom(json.contains("local") ? json["local"] : Json());
    r.remote = sideFrom(json.contains("remote") ? json["remote"] : Json());
    if (json.contains("base") && json["base"].is_object() && json["base"].contains("value"))
        r.base = json["base"]["value"];
    r.kept = jsonString(json, "kept");
    r.detectedBy = jsonString(json, "detected_by");
    r.createdAt = jsonString(json, "created_at");
    const bool kindOk = r.kind == QLatin1String("field") || (r.kind == QLatin1String("file") && isSafeRelativePath(r.copy));
    if (!isValidId(r.id) || !kindOk || !isSafeRelativePath(r.path)
        || (r.kept != QLatin1String("local") && r.kept != QLatin1String("remote")))
        return makeError(QStringLiteral("not a valid conflict record"), errc::corrupt_json);
    return r;
}

} // namespace muze::sync
