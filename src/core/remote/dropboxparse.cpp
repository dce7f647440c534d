#include <muze/remote/dropboxparse.h>

#include <muze/util/clock.h>

namespace muze::remote {
namespace {

QString describe(const QString& route, const QString& text) { return QStringLiteral("Dropbox %1: %2").arg(route, text); }

} // namespace

Result<RemoteEntry> dropboxEntryFromMetadata(const Json& md, const DropboxPathMapper& paths)
{
    if (!md.is_object())
        return makeError(QStringLiteral("Dropbox sent malformed metadata"), errc::corrupt);
    // Unions carry ".tag"; FileMetadata as a struct (upload and finish answers) does not.
    const QString tag = jsonString(md, ".tag", md.contains("rev") ? QStringLiteral("file") : QString());
    auto rel = paths.toRelative(jsonString(md, "path_lower"), jsonString(md, "path_display"));
    if (!rel)
        return rel.error();
    RemoteEntry e;
    e.path = *rel;
    e.isFolder = tag == QLatin1String("folder");
    e.deleted = tag == QLatin1String("deleted");
    if (!e.isFolder && !e.deleted && tag != QLatin1String("file"))
        return makeError(QStringLiteral("Dropbox sent an entry of unknown kind \"%1\"").arg(tag), errc::corrupt);
    e.size = jsonInteger(md, "size", 0, 0, qint64(1) << 53);
    e.rev = jsonString(md, "rev");
    e.contentHash = jsonString(md, "content_hash");
    e.modified = parseIsoTimestamp(jsonString(md, "server_modified"));
    e.clientModified = parseIsoTimestamp(jsonString(md, "client_modified"));
    // The mirror's key is Dropbox's own path_lower (never a local lower-casing: İ, ẞ, Σ differ).
    if (auto lower = paths.toRelative(jsonString(md, "path_lower"), QString()); lower)
        e.pathLower = *lower;
    e.id = jsonString(md, "id");
    return e;
}

Status dropboxAddPage(const Json& page, const DropboxPathMapper& paths, ChangeSet& out, QStringList& rejected)
{
    if (!page.is_object() || !page.contains("entries") || !page["entries"].is_array())
        return makeError(QStringLiteral("Dropbox sent a malformed listing"), errc::corrupt);
    for (const Json& md : page["entries"]) {
        auto e = dropboxEntryFromMetadata(md, paths);
        if (!e) {
            if (!e.error().is(errc::hostile_path))
                return e.error();
            rejected << jsonString(md, "path_lower");
            continue;
        }
        if (e->path.isEmpty())
            continue; // the vault folder itself
        out.entries.push_back(std::move(*e));
    }
    out.cursor = jsonString(page, "cursor");
    return {};
}

QString dropboxErrorCode(const QString& summary)
{
    static const std::pair<const char*, ErrorCode> table[] = {
        {"incorrect_offset", errc::incorrect_offset},
        {"not_found", errc::not_found},
        {"conflict", errc::conflict},
        {"insufficient_space", errc::insufficient_space},
        {"content_hash_mismatch", errc::corrupt},
        {"too_many_write_operations", errc::rate_limited},
        {"too_many_requests", errc::rate_limited},
    };
    if (summary.startsWith(QLatin1String("reset")))
        return errc::reset;
    for (const auto& [needle, code] : table) {
        if (summary.contains(QLatin1String(needle)))
            return code;
    }
    return errc::io;
}

Error dropboxErrorFromResponse(const QString& route, int status, const QByteArray& body, int retryAfterSeconds,
                               DropboxApiError* details)
{
    DropboxApiError said;
    said.status = status;
    auto json = parseJson(body, QStringLiteral("Dropbox's error"));
    if (json && json->is_object()) {
        said.summary = jsonString(*json, "error_summary");
        said.error = json->value("error", Json());
    }
    const QString text = said.summary.isEmpty() ? QString::fromUtf8(body.left(300)).trimmed() : said.summary;
    const QString code = dropboxErrorCode(said.summary);
    if (details)
        *details = std::move(said);
    switch (status) {
    case 400:
        return makeError(describe(route, QStringLiteral("bad request: %1").arg(text)), errc::io);
    case 401:
        return makeError(
            describe(route, QStringLiteral("not signed in (%1): connect Dropbox again").arg(text)), errc::auth);
    case 403:
        return makeError(describe(route, QStringLiteral("access denied: %1").arg(text)), errc::io);
    case 409:
        return makeError(describe(route, text), code);
    case 429:
        return makeError(
            describe(route, QStringLiteral("rate limited, retry in %1 s").arg(retryAfterSeconds)), errc::rate_limited);
    default:
        break;
    }
    if (status >= 500)
        return makeError(describe(route, QStringLiteral("server error %1").arg(status)), errc::offline);
    return makeError(describe(route, QStringLiteral("HTTP %1: %2").arg(status).arg(text)), errc::io);
}

int dropboxRetryAfter(const QByteArray& header, const Json* body)
{
    bool ok = false;
    const int seconds = header.trimmed().toInt(&ok);
    if (ok && seconds >= 0)
        return seconds;
    if (body && body->is_object())
        return int(jsonInteger(*body, "retry_after",
                               jsonInteger(body->value("error", Json::object()), "retry_after", 0, 0, 86400), 0, 86400));
    return 0;
}

Result<Json> parseDropboxApiResult(const QByteArray& header, const QString& route)
{
    auto parsed = parseJson(header, describe(route, QStringLiteral("result header")));
    if (!parsed)
        return makeError(describe(route, parsed.errorString()), errc::corrupt);
    if (!parsed->is_object())
        return makeError(describe(route, QStringLiteral("no Dropbox-API-Result")), errc::corrupt);
    return parsed;
}

qint64 dropboxCorrectOffset(const Json& error)
{
    if (error.is_object()) {
        if (auto it = error.find("correct_offset"); it != error.end() && it->is_number_integer())
            return it->get<qint64>();
        for (const auto& [key, value] : error.items()) {
            if (const qint64 found = dropboxCorrectOffset(value); found >= 0)
                return found;
        }
    }
    return -1;
}

qint64 dropboxContentRangeStart(const QByteArray& value)
{
    const QByteArray v = value.trimmed();
    if (!v.startsWith("bytes "))
        return -1;
    bool ok = false;
    const qint64 start = v.mid(6, v.indexOf('-') - 6).toLongLong(&ok);
    return ok ? start : -1;
}

} // namespace muze::remote
