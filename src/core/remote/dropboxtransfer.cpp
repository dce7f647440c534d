// DropboxRemote's transfers: streaming, resumable downloads and uploads (single request or
// upload session), each checked against Dropbox's content_hash.
#include <muze/remote/dropboxremote.h>

#include "dropboxdetail.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/dropboxparse.h>
#include <muze/util/logging.h>

#include <QIODevice>

#include <algorithm>
#include <optional>

namespace muze::remote {
namespace {

// Exactly `n` bytes from `source`, however few each read hands over (the engine's throttled,
// hashing devices give at most 1 MiB, or rate/8 under a bandwidth limit, per read).
Result<QByteArray> readExactly(QIODevice& source, qint64 n, const QString& serverPath)
{
    QByteArray data(n, Qt::Uninitialized);
    qint64 got = 0;
    while (got < n) {
        const qint64 r = source.read(data.data() + got, n - got);
        if (r <= 0)
            return makeError(QStringLiteral("cannot read the %1 bytes to upload to %2: %3 after %4 bytes")
                                 .arg(n)
                                 .arg(serverPath, r < 0 ? source.errorString() : QStringLiteral("the file ended"))
                                 .arg(got),
                errc::io);
        got += r;
    }
    return data;
}

// Whether Dropbox's path_lower names `path`: Dropbox lower-cases by its own rule, so the two
// are compared case-folded, never by lower-casing ours (İ, ẞ and final Σ differ).
bool samePath(const QString& pathLower, const QString& path)
{
    return pathLower.normalized(QString::NormalizationForm_C)
               .compare(path.normalized(QString::NormalizationForm_C), Qt::CaseInsensitive)
        == 0;
}

} // namespace

namespace detail {

static Json writeMode(const WriteSpec& spec)
{
    switch (spec.mode) {
    case WriteMode::Add:
        return "add";
    case WriteMode::Overwrite:
        return "overwrite";
    case WriteMode::Update:
        return Json{{".tag", "update"}, {"update", toStd(spec.rev)}};
    }
    return "add";
}

Json dropboxCommit(const QString& serverPath, const WriteSpec& spec)
{
    Json arg = {{"path", toStd(serverPath)}, {"mode", writeMode(spec)}, {"autorename", false}, {"mute", true}};
    if (spec.clientModified.isValid())
        arg["client_modified"] = toStd(spec.clientModified.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ")));
    return arg;
}

QString withFoldersOf(const QString& known, const QString& server)
{
    const qsizetype k = known.lastIndexOf(QLatin1Char('/'));
    const qsizetype s = server.lastIndexOf(QLatin1Char('/'));
    if (known.count(QLatin1Char('/')) != server.count(QLatin1Char('/')))
        return server;
    return known.left(k + 1) + server.mid(s + 1);
}

} // namespace detail

using detail::withFoldersOf;

Status DropboxRemote::download(const QString& path, QIODevice& sink, qint64 offset, qint64 length,
                               const ProgressFn& progress)
{
    auto server = m_paths.toServer(path);
    if (!server)
        return server.error();
    if (path.isEmpty() || offset < 0)
        return makeError(QStringLiteral("cannot download \"%1\"").arg(path), errc::io);
    if (length == 0)
        return {};
    const bool wholeFile = offset == 0 && length < 0;

    QString rev;          // pinned by the first answer: a resume must read the same version
    qint64 fileSize = -1;
    QString expectedHash;
    qint64 delivered = 0; // bytes written to `sink`
    ContentHasher hasher;                              // small files: inline
    std::optional<BackgroundContentHasher> background; // takes: hashed while the next bytes arrive

    for (int attempt = 0;; ++attempt) {
        const qint64 start = offset + delivered;
        auth::HttpHeaders headers;
        if (start > 0 || length >= 0) {
            QByteArray range = "bytes=" + QByteArray::number(start) + '-';
            if (length >= 0)
                range += QByteArray::number(offset + length - 1);
            headers.append({"Range", range});
        }
        Json arg = {{"path", toStd(*server)}};
        if (!rev.isEmpty())
            arg["rev"] = toStd(rev);

        bool headChecked = false;
        qint64 skip = 0;
        Error sinkError;
        auto checkHead = [&](const Json& md, int status, const QByteArray& contentRange) -> bool {
            headChecked = true;
            if (!samePath(jsonString(md, "path_lower"), *server)) {
                sinkError = makeError(QStringLiteral("Dropbox answered with another file (%1) for %2")
                                          .arg(jsonString(md, "path_lower"), *server),
                    errc::hostile_path);
                return false;
            }
            const QString mdRev = jsonString(md, "rev");
            if (rev.isEmpty()) {
                rev = mdRev;
                fileSize = jsonInteger(md, "size", -1, -1, qint64(1) << 53);
                expectedHash = jsonString(md, "content_hash");
            } else if (mdRev != rev) {
                sinkError
                    = makeError(QStringLiteral("%1 changed on Dropbox during the download").arg(path), errc::conflict);
                return false;
            }
            if (status == 206) {
                if (dropboxContentRangeStart(contentRange) != start) {
                    sinkError
                        = makeError(QStringLiteral("Dropbox sent the wrong range of %1").arg(path), errc::corrupt);
                    return false;
                }
            } else {
                skip = start; // the server ignored the Range: drop what we already have
            }
            return true;
        };
        auto write = [&](const auth::HttpResponse& head, const QByteArray& chunk) -> bool {
            if (!headChecked) {
                auto md = parseJson(head.header("Dropbox-API-Result"), QStringLiteral("Dropbox-API-Result"));
                if (!md || !checkHead(*md, head.status, head.header("Content-Range"))) {
                    if (!md)
                        sinkError = md.error();
                    return false;
                }
            }
            QByteArrayView data(chunk);
            if (skip > 0) {
                const qint64 drop = std::min<qint64>(skip, data.size());
                data = data.sliced(drop);
                skip -= drop;
            }
            if (length >= 0)
                data = data.first(std::min<qint64>(data.size(), length - delivered));
            if (data.isEmpty())
                return true;
            if (sink.write(data.data(), data.size()) != data.size()) {
                sinkError = makeError(QStringLiteral("cannot write %1: %2").arg(path, sink.errorString()), errc::io);
                return false;
            }
            if (wholeFile && fileSize > kContentHashBlockSize) {
                if (!background)
                    background.emplace();
                background->addData(chunk, data.data() - chunk.constData(), data.size());
            } else if (wholeFile) {
                hasher.addData(data);
            }
            delivered += data.size();
            const qint64 total = length >= 0 ? length : fileSize - offset;
            if (progress && !progress(delivered, total)) {
                sinkError = makeError(QStringLiteral("cancelled"), errc::cancelled);
                return false;
            }
            return true;
        };

        auto result = m_client.download(QStringLiteral("files/download"), arg, headers, write);
        if (!sinkError.message.isEmpty())
            return sinkError;
        if (result) {
            if (!headChecked && !checkHead(*result, 200, {}))
                return sinkError;
            break;
        }
        if (result.error().is(errc::offline) && attempt < m_options.resumeAttempts) {
            qCInfo(lcDropbox) << "download of" << path << "interrupted at byte" << offset + delivered << "- resuming";
            if (Status s = m_client.pause(std::min(250 << std::min(attempt, 6), 10000)); !s)
                return s;
            continue;
        }
        return failed<bool>(result.error()).error();
    }

    const qint64 expected = length >= 0 ? std::min(length, fileSize - offset) : fileSize - offset;
    if (fileSize >= 0 && delivered != expected)
        return makeError(QStringLiteral("%1: got %2 of %3 bytes from Dropbox").arg(path).arg(delivered).arg(expected),
            errc::corrupt);
    if (wholeFile) {
        const QString got = background ? background->finish() : hasher.finish();
        if (got != expectedHash)
            return makeError(
                QStringLiteral("%1: content hash mismatch (Dropbox says %2, received %3)").arg(path, expectedHash, got),
                errc::corrupt);
    }
    return {};
}

Result<RemoteEntry> DropboxRemote::upload(const QString& path, QIODevice& source, qint64 size, const WriteSpec& spec,
                                          const ProgressFn& progress)
{
    auto server = m_paths.toServer(path);
    if (!server)
        return server.error();
    if (path.isEmpty() || size < 0)
        return makeError(QStringLiteral("cannot upload to \"%1\"").arg(path), errc::io);
    if (spec.mode == WriteMode::Update && spec.rev.isEmpty())
        return makeError(QStringLiteral("update of %1 without a rev").arg(path), errc::io);
    const Json commit = detail::dropboxCommit(*server, spec);
    auto entry = size <= m_options.sessionThreshold ? uploadSmall(*server, source, size, commit, progress)
                                                    : uploadSession(*server, source, size, commit, progress);
    if (entry) // Dropbox vouches for the last component's casing only: the folders are as this device spells them
        entry->path = withFoldersOf(path, entry->path);
    return entry;
}

Result<RemoteEntry> DropboxRemote::checkUploaded(const QString& serverPath, const Result<Json>& answer,
                                                 const QString& expectedHash, const Json& commit)
{
    if (!answer) {
        // A write that already landed (its answer was lost and the retry found it) or an equal
        // file written elsewhere: equal content is never a conflict.
        if (answer.error().isAnyOf({errc::conflict, errc::not_found})) {
            auto md = m_client.rpc(QStringLiteral("files/get_metadata"), Json{{"path", toStd(serverPath)}});
            if (md && jsonString(*md, ".tag") == QLatin1String("file")
                && jsonString(*md, "content_hash") == expectedHash) {
                qCInfo(lcDropbox) << serverPath << "already holds these bytes; mode"
                                  << QString::fromStdString(commit.value("mode", Json()).dump());
                return entryFromMetadata(*md);
            }
        }
        return failed<RemoteEntry>(answer.error());
    }
    auto entry = entryFromMetadata(*answer);
    if (!entry)
        return entry;
    if (!samePath(jsonString(*answer, "path_lower"), serverPath))
        return makeError(QStringLiteral("Dropbox stored %1 at %2").arg(serverPath, jsonString(*answer, "path_lower")),
            errc::corrupt);
    if (entry->contentHash != expectedHash)
        return makeError(QStringLiteral("%1: content hash mismatch after upload (sent %2, Dropbox has %3)")
                             .arg(serverPath, expectedHash, entry->contentHash),
            errc::corrupt);
    return entry;
}

Result<RemoteEntry> DropboxRemote::uploadSmall(const QString& serverPath, QIODevice& source, qint64 size,
                                               const Json& commit, const ProgressFn& progress)
{
    auto read = readExactly(source, size, serverPath);
    if (!read)
        return read.error();
    const QByteArray data = *read;
    const QString hash = contentHash(data);
    Json arg = commit;
    arg["content_hash"] = toStd(hash);
    auth::UploadProgress sent;
    if (progress)
        sent = [&](qint64 done, qint64) { return progress(done, size); };
    return checkUploaded(serverPath, m_client.upload(QStringLiteral("files/upload"), arg, data, sent), hash, commit);
}

Result<RemoteEntry> DropboxRemote::uploadSession(const QString& serverPath, QIODevice& source, qint64 size,
                                                 const Json& commit, const ProgressFn& progress)
{
    const bool seekable = !source.isSequential();
    const qint64 base = seekable ? source.pos() : 0;
    const qint64 chunk = m_options.chunkSize;
    ContentHasher whole;
    qint64 hashedUpTo = 0; // every byte enters the whole-file hash once, however often it is sent
    qint64 readPos = 0;   // where `source` stands
    QByteArray held;      // the last chunk sent, [heldAt, readPos): a resume that goes back into
    qint64 heldAt = 0;    // it needs no seek, so a sequential source works too

    auto readChunk = [&](qint64 at, qint64 n) -> Result<QByteArray> {
        QByteArray data;
        if (at >= heldAt && at <= readPos) {
            data = held.mid(at - heldAt, std::min(n, readPos - at));
        } else if (!seekable || !source.seek(base + at)) {
            return makeError(
                QStringLiteral("cannot go back to byte %1 of the upload to %2").arg(at).arg(serverPath), errc::io);
        } else {
            readPos = at;
        }
        auto rest = readExactly(source, n - data.size(), serverPath);
        if (!rest)
            return rest.error();
        data += *rest;
        held = data;
        heldAt = at;
        readPos = at + n;
        if (readPos > hashedUpTo) {
            whole.addData(QByteArrayView(data).sliced(hashedUpTo - at));
            hashedUpTo = readPos;
        }
        return data;
    };
    auto report = [&](qint64 done) { return !progress || progress(done, size); };
    auto cancelled = [] { return makeError(QStringLiteral("cancelled"), errc::cancelled); };

    auto first = readChunk(0, std::min(chunk, size));
    if (!first)
        return first.error();
    auto started = m_client.upload(QStringLiteral("files/upload_session/start"),
                                   Json{{"close", false}, {"content_hash", toStd(contentHash(*first))}}, *first);
    if (!started)
        return failed<RemoteEntry>(started.error());
    const QString sessionId = jsonString(*started, "session_id");
    if (sessionId.isEmpty())
        return makeError(QStringLiteral("Dropbox started no upload session"), errc::corrupt);
    qint64 offset = first->size();
    if (!report(offset))
        return cancelled();

    // Every byte goes through start/append_v2, each with the hash of its own payload; finish
    // carries none. (Whether finish's content_hash covers its payload or the whole file is
    // ambiguous in Dropbox's docs; the whole file is checked against the answer instead.)
    int resumes = 0;
    while (true) {
        const qint64 n = std::min(chunk, size - offset);
        const bool last = n == 0;
        auto data = readChunk(offset, n);
        if (!data)
            return data.error();
        const Json cursor = {{"session_id", toStd(sessionId)}, {"offset", offset}};
        Result<Json> r = last ? m_client.upload(QStringLiteral("files/upload_session/finish"),
                                                Json{{"cursor", cursor}, {"commit", commit}}, QByteArray())
                              : m_client.upload(QStringLiteral("files/upload_session/append_v2"),
                                                Json{{"cursor", cursor}, {"close", false},
                                                     {"content_hash", toStd(contentHash(*data))}},
                                                *data);
        if (r) {
            if (last)
                return checkUploaded(serverPath, r, whole.finish(), commit);
            offset += n;
            if (!report(offset))
                return cancelled();
            continue;
        }
        if (r.error().is(errc::incorrect_offset) && resumes < m_options.resumeAttempts * 4) {
            const qint64 correct = dropboxCorrectOffset(m_client.lastError().error);
            if (correct < 0 || correct > size)
                return makeError(
                    QStringLiteral("Dropbox reported an impossible offset for %1").arg(serverPath), errc::corrupt);
            qCInfo(lcDropbox) << "upload session of" << serverPath << "resumes at byte" << correct << "(we were at"
                              << offset << ")";
            ++resumes;
            offset = correct;
            continue;
        }
        if (last) {
            // The finish may have committed before its answer was lost: compare what is there.
            if (hashedUpTo != size)
                return failed<RemoteEntry>(r.error());
            return checkUploaded(serverPath, r, whole.finish(), commit);
        }
        return failed<RemoteEntry>(r.error());
    }
}

} // namespace muze::remote
