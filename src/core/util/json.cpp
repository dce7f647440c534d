#include <muze/util/json.h>

#include <muze/util/fileio.h>

#include <QRegularExpression>

#include <cmath>

namespace muze {

namespace {

// Depth is checked before parsing so a hostile file of a million '[' never reaches the parser.
bool depthWithin(const QByteArray& bytes, int limit)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : bytes) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        else if (c == '{' || c == '[') {
            if (++depth > limit)
                return false;
        } else if (c == '}' || c == ']')
            --depth;
    }
    return true;
}

} // namespace

Result<Json> parseJson(const QByteArray& bytes, const QString& what)
{
    if (bytes.size() > kMaxJsonFileBytes)
        return makeError(QStringLiteral("%1: JSON document too large").arg(what), errc::corrupt_json);
    if (!depthWithin(bytes, kMaxJsonDepth))
        return makeError(
            QStringLiteral("%1: JSON nested deeper than %2 levels").arg(what).arg(kMaxJsonDepth), errc::corrupt_json);
    try {
        Json json = Json::parse(bytes.constBegin(), bytes.constEnd());
        return json;
    } catch (const Json::exception& e) {
        // Compiled once: a pattern per failed parse made refusing junk cost milliseconds.
        static const QRegularExpression prefix(QStringLiteral("^\\[json\\.exception\\.[a-z_]+\\.\\d+\\] "));
        QString detail = QString::fromUtf8(e.what());
        detail.remove(prefix);
        return makeError(QStringLiteral("%1: invalid JSON (%2)").arg(what, detail), errc::corrupt_json);
    }
}

Result<Json> readJsonObjectFile(const QString& path)
{
    auto bytes = readFileLimited(path, kMaxJsonFileBytes);
    if (!bytes)
        return bytes.error();
    auto json = parseJson(*bytes, path);
    if (!json)
        return json.error();
    if (!json->is_object())
        return makeError(QStringLiteral("%1: expected a JSON object at the top level").arg(path), errc::corrupt_json);
    return json;
}

QByteArray dumpJson(const Json& json)
{
    const std::string text = json.dump(2, ' ', false, Json::error_handler_t::replace);
    QByteArray out(text.data(), qsizetype(text.size()));
    out.append('\n');
    return out;
}

Status writeJsonFile(const QString& path, const Json& json) { return writeFileAtomic(path, dumpJson(json)); }

QString jsonString(const Json& obj, const char* key, const QString& fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? fromStd(it->get<std::string>()) : fallback;
}

double jsonNumber(const Json& obj, const char* key, double fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number())
        return fallback;
    const double v = it->get<double>();
    return std::isfinite(v) ? v : fallback;
}

bool jsonBool(const Json& obj, const char* key, bool fallback)
{
    if (!obj.is_object())
        return fallback;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

qint64 jsonInteger(const Json& obj, const char* key, qint64 fallback, qint64 lo, qint64 hi)
{
    const double v = jsonNumber(obj, key, std::nan(""));
    if (std::isnan(v))
        return fallback;
    if (v <= double(lo))
        return lo;
    if (v >= double(hi))
        return hi;
    return qint64(v);
}

} // namespace muze
