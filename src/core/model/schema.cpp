#include "schema.h"

#include <muze/model/layout.h>
#include <muze/util/clock.h>
#include <muze/util/ids.h>

#include <QRegularExpression>

#include <cmath>

namespace muze::model {

namespace {

enum class Type { String, Text, Number, Bool, Tags, Color, TimeSignature, Timestamp };

struct Field {
    const char* key;
    Type type;
    double min = 0;
    double max = 0;
    bool editable = true;
    unsigned kinds = 0; // bit per ItemKind
};

constexpr unsigned bit(ItemKind k) { return 1u << unsigned(k); }
constexpr unsigned kAllItems = bit(ItemKind::Collection) | bit(ItemKind::Project) | bit(ItemKind::Mix) | bit(ItemKind::Track);
constexpr unsigned kProjectMix = bit(ItemKind::Project) | bit(ItemKind::Mix);
constexpr unsigned kTrack = bit(ItemKind::Track);

const Field kFields[] = {
    {"name", Type::String, 1, 200, true, kAllItems | bit(ItemKind::Vault)},
    {"notes", Type::Text, 0, 100000, true, kAllItems},
    {"tags", Type::Tags, 0, 64, true, kAllItems},
    {"color", Type::Color, 0, 0, true, kAllItems},
    {"tempo", Type::Number, 20, 999, true, kProjectMix},
    {"key", Type::String, 0, 32, true, kProjectMix},
    {"time_signature", Type::TimeSignature, 0, 0, true, kProjectMix},
    {"gain_db", Type::Number, -96, 24, true, kTrack | bit(ItemKind::Mix)},
    {"pan", Type::Number, -1, 1, true, kTrack},
    {"muted", Type::Bool, 0, 0, true, kTrack},
    {"solo", Type::Bool, 0, 0, true, kTrack},
    {"created_at", Type::Timestamp, 0, 0, false, kAllItems | bit(ItemKind::Vault)},
    {"modified_at", Type::Timestamp, 0, 0, false, kAllItems | bit(ItemKind::Vault)},
    {"sample_rate", Type::Number, 8000, 384000, false, kTrack},
    {"channels", Type::Number, 1, 2, false, kTrack},
    {"frames", Type::Number, 0, 9.0e15, false, kTrack},
    {"duration_s", Type::Number, 0, 1.0e12, false, kTrack},
};

const Field* findField(ItemKind kind, std::string_view key)
{
    for (const Field& f : kFields) {
        if (key == f.key && (f.kinds & bit(kind)))
            return &f;
    }
    return nullptr;
}

QString typeProblem(const Field& f, const Json& v)
{
    switch (f.type) {
    case Type::String:
    case Type::Text: {
        if (!v.is_string())
            return QStringLiteral("must be text");
        const qsizetype len = fromStd(v.get<std::string>()).size();
        if (len < qsizetype(f.min))
            return QStringLiteral("must not be empty");
        if (len > qsizetype(f.max))
            return QStringLiteral("is longer than %1 characters").arg(f.max);
        return {};
    }
    case Type::Number: {
        if (!v.is_number())
            return QStringLiteral("must be a number");
        const double d = v.get<double>();
        if (!std::isfinite(d) || d < f.min || d > f.max)
            return QStringLiteral("must be between %1 and %2").arg(f.min).arg(f.max);
        return {};
    }
    case Type::Bool:
        return v.is_boolean() ? QString() : QStringLiteral("must be true or false");
    case Type::Tags: {
        if (!v.is_array())
            return QStringLiteral("must be a list of words");
        if (v.size() > size_t(f.max))
            return QStringLiteral("has more than %1 tags").arg(f.max);
        for (const auto& t : v) {
            if (!t.is_string() || t.get<std::string>().empty() || t.get<std::string>().size() > 100)
                return QStringLiteral("must be a list of words");
        }
        return {};
    }
    case Type::Color: {
        static const QRegularExpression re(QStringLiteral("^#[0-9a-fA-F]{6}$"));
        return v.is_string() && re.match(fromStd(v.get<std::string>())).hasMatch() ? QString()
                                                                                     : QStringLiteral("must be a colour like #ff8800");
    }
    case Type::TimeSignature: {
        static const QRegularExpression re(QStringLiteral("^([1-9]|[1-9][0-9])/(1|2|4|8|16|32)$"));
        return v.is_string() && re.match(fromStd(v.get<std::string>())).hasMatch() ? QString()
                                                                                     : QStringLiteral("must look like 4/4");
    }
    case Type::Timestamp:
        return v.is_string() && parseIsoTimestamp(fromStd(v.get<std::string>())).isValid()
                   ? QString()
                   : QStringLiteral("must be an ISO 8601 time");
    }
    return {};
}

} // namespace

QString kindName(ItemKind kind)
{
    switch (kind) {
    case ItemKind::Vault: return QStringLiteral("vault");
    case ItemKind::Collection: return QStringLiteral("collection");
    case ItemKind::Project: return QStringLiteral("project");
    case ItemKind::Mix: return QStringLiteral("mix");
    case ItemKind::Track: return QStringLiteral("track");
    }
    return {};
}

Status validateItem(const Json& obj, ItemKind kind, const QString& file, const QString& expectedId)
{
    auto fail
        = [&](const QString& what) { return makeError(QStringLiteral("%1: %2").arg(file, what), errc::corrupt_json); };
    if (!obj.is_object())
        return fail(QStringLiteral("%1 must be a JSON object").arg(kindName(kind)));
    const auto id = obj.find("id");
    if (id == obj.end())
        return fail(QStringLiteral("missing \"id\""));
    if (!id->is_string() || !isValidId(fromStd(id->get<std::string>())))
        return fail(QStringLiteral("\"id\" is not a valid id"));
    if (!expectedId.isEmpty() && fromStd(id->get<std::string>()) != expectedId)
        return fail(QStringLiteral("\"id\" %1 does not match its location (%2)")
                        .arg(fromStd(id->get<std::string>()), expectedId));
    if (const auto fmt = obj.find("format"); fmt != obj.end()) {
        if (!fmt->is_number_integer())
            return fail(QStringLiteral("\"format\" must be an integer"));
        if (fmt->get<long long>() > kFormatVersion)
            return fail(QStringLiteral("written by a newer Muze (format %1; this version reads %2)")
                            .arg(fmt->get<long long>())
                            .arg(kFormatVersion));
    }
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        const Field* f = findField(kind, it.key());
        if (!f)
            continue; // unknown fields are kept, not judged
        if (const QString problem = typeProblem(*f, it.value()); !problem.isEmpty())
            return fail(QStringLiteral("\"%1\" %2").arg(fromStd(it.key()), problem));
    }
    return {};
}

Status checkFieldValue(ItemKind kind, const QString& key, const Json& value)
{
    const Field* f = findField(kind, key.toStdString());
    if (!f)
        return makeError(QStringLiteral("a %1 has no field \"%2\" (editable: %3)")
                             .arg(kindName(kind), key, editableFieldsFor(kind).join(QStringLiteral(", "))),
            errc::bad_field);
    if (!f->editable)
        return makeError(QStringLiteral("\"%1\" is read-only").arg(key), errc::bad_field);
    if (const QString problem = typeProblem(*f, value); !problem.isEmpty())
        return makeError(QStringLiteral("\"%1\" %2").arg(key, problem), errc::bad_value);
    return {};
}

Result<Json> parseFieldValue(ItemKind kind, const QString& key, const QString& text)
{
    const Field* f = findField(kind, key.toStdString());
    Json value;
    if (f) {
        switch (f->type) {
        case Type::Number: {
            bool ok = false;
            const double d = text.trimmed().toDouble(&ok);
            if (!ok)
                return makeError(QStringLiteral("\"%1\" must be a number, not \"%2\"").arg(key, text), errc::bad_value);
            value = d;
            break;
        }
        case Type::Bool: {
            const QString t = text.trimmed().toLower();
            if (t == QLatin1String("true") || t == QLatin1String("yes") || t == QLatin1String("on") || t == QLatin1String("1"))
                value = true;
            else if (t == QLatin1String("false") || t == QLatin1String("no") || t == QLatin1String("off") || t == QLatin1String("0"))
                value = false;
            else
                return makeError(
                    QStringLiteral("\"%1\" must be true or false, not \"%2\"").arg(key, text), errc::bad_value);
            break;
        }
        case Type::Tags: {
            value = Json::array();
            for (const QString& tag : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                if (!tag.trimmed().isEmpty())
                    value.push_back(toStd(tag.trimmed()));
            }
            break;
        }
        default:
            value = toStd(text);
        }
    }
    if (Status s = checkFieldValue(kind, key, value); !s)
        return s.error();
    return value;
}

QStringList editableFieldsFor(ItemKind kind)
{
    QStringList out;
    for (const Field& f : kFields) {
        if (f.editable && (f.kinds & bit(kind)))
            out << QString::fromLatin1(f.key);
    }
    return out;
}

Json newItemObject(ItemKind kind, const QString& id, const QString& name)
{
    const std::string now = toStd(nowIso());
    Json obj = Json::object();
    obj["format"] = kFormatVersion;
    obj["id"] = toStd(id);
    obj["kind"] = toStd(kindName(kind));
    obj["name"] = toStd(name);
    obj["created_at"] = now;
    obj["modified_at"] = now;
    return obj;
}

} // namespace muze::model
