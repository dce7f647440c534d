#pragma once
// JSON in and out of files with limits: size, nesting depth, and errors that name the file.

#include <muze/util/result.h>

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>

namespace muze {

using Json = nlohmann::ordered_json;

constexpr qint64 kMaxJsonFileBytes = 16 * 1024 * 1024;
constexpr int kMaxJsonDepth = 64;

/// Parses a JSON document; `what` names the source in error messages (usually a file path).
/// Rejects documents nested deeper than kMaxJsonDepth and numbers that overflow a double.
Result<Json> parseJson(const QByteArray& bytes, const QString& what);

/// Reads and parses a JSON file (size-limited); the top level must be an object.
Result<Json> readJsonObjectFile(const QString& path);

/// Serialises with two-space indent and a trailing newline (stable, diff-friendly).
QByteArray dumpJson(const Json& json);

/// Atomically writes `json` to `path`.
Status writeJsonFile(const QString& path, const Json& json);

inline std::string toStd(const QString& s) { return s.toStdString(); }
inline QString fromStd(const std::string& s) { return QString::fromStdString(s); }

/// Typed field access that never throws: a missing key or a wrong type gives `fallback`.
QString jsonString(const Json& obj, const char* key, const QString& fallback = {});
double jsonNumber(const Json& obj, const char* key, double fallback = 0.0);
bool jsonBool(const Json& obj, const char* key, bool fallback = false);
/// A whole number from untrusted JSON: clamped to [lo, hi] (a cast of 1e300 would be undefined
/// behaviour); `fallback` when missing, not a number or NaN.
qint64 jsonInteger(const Json& obj, const char* key, qint64 fallback, qint64 lo, qint64 hi);

} // namespace muze
