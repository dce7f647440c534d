#pragma once
// Non-throwing typed reads of the JSON files this module parses (key ring, search index).

#include <muze/util/json.h>

#include <QByteArray>
#include <QString>

#include <optional>

namespace muze::crypto::fields {

inline std::optional<quint64> unsignedField(const Json& obj, const char* key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number_integer())
        return std::nullopt;
    if (it->is_number_unsigned())
        return it->get<quint64>();
    const qint64 v = it->get<qint64>(); // built in memory as a signed value
    return v < 0 ? std::nullopt : std::optional<quint64>(quint64(v));
}

inline QString stringField(const Json& obj, const char* key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return {};
    return QString::fromStdString(it->get<std::string>());
}

/// Standard base64 with padding (RFC 4648 §4); nullopt when missing or malformed.
inline std::optional<QByteArray> base64Field(const Json& obj, const char* key)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_string())
        return std::nullopt;
    const std::string& text = it->get_ref<const std::string&>();
    auto decoded = QByteArray::fromBase64Encoding(QByteArray::fromStdString(text), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return *decoded;
}

} // namespace muze::crypto::fields
