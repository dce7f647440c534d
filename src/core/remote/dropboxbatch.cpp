// DropboxRemote::uploadBatch: many small files in one commit, the way Dropbox wants them.
// Each round: upload_session/start_batch opens one session per file, the files' bytes go up
// in parallel (one append_v2 with close=true each, its content_hash checked by the server),
// then upload_session/finish_batch_v2 commits up to 1,000 of them in one write and answers
// one success or failure per entry, in order. An entry is confirmed only by its own success
// (path and content_hash checked as for a single upload); an entry refused with
// too_many_write_operations goes again in the next round with a fresh session.
#include <muze/remote/dropboxremote.h>

#include "dropboxdetail.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/dropboxparse.h>
#include <muze/util/logging.h>

#include <algorithm>

namespace muze::remote {
namespace {

// "path/conflict/file" from a union such as {".tag": "path", "path": {".tag": "conflict", ...}}.
QString tagPath(const Json& u)
{
    if (!u.is_object())
        return {};
    const QString tag = jsonString(u, ".tag");
    const auto inner = u.find(tag.toStdString());
    if (tag.isEmpty() || inner == u.end() || !inner->is_object())
        return tag;
    const QString rest = tagPath(*inner);
    return rest.isEmpty() ? tag : tag + QLatin1Char('/') + rest;
}

bool stopsTheBatch(const Error& e)
{
    return e.isAnyOf({errc::offline, errc::cancelled, errc::auth, errc::timeout});
}

} // namespace

struct DropboxRemote::BatchRound {
    const std::vector<BatchItem>& items;
    const std::vector<QString>& servers;
    const std::vector<QString>& hashes;
    std::vector<Result<RemoteEntry>>& out;
    std::vector<size_t> indices; // this round's items (at most kDropboxBatchEntries)
    std::vector<size_t> again;   // refused for now (too_many_write_operations): the next round
};

Status DropboxRemote::commitBatchRound(BatchRound& round)
{
    const int n = int(round.indices.size());
    auto started = m_client.rpc(QStringLiteral("files/upload_session/start_batch"), Json{{"num_sessions", n}});
    if (!started)
        return failed<bool>(started.error()).error();
    const Json ids = started->value("session_ids", Json::array());
    if (!ids.is_array() || int(ids.size()) != n)
        return makeError(
            QStringLiteral("Dropbox started %1 upload sessions for %2 files").arg(ids.size()).arg(n), errc::corrupt);

    std::vector<Json> args;
    std::vector<QByteArray> data;
    for (int k = 0; k < n; ++k) {
        const size_t i = round.indices[k];
        args.push_back(Json{{"cursor", {{"session_id", ids[k]}, {"offset", 0}}}, {"close", true},
                            {"content_hash", toStd(round.hashes[i])}});
        data.push_back(round.items[i].data);
    }
    const std::vector<Result<Json>> appended =
        m_client.uploadMany(QStringLiteral("files/upload_session/append_v2"), args, data, m_options.batchParallel);
    args.clear();
    data.clear();

    Json entries = Json::array();
    std::vector<size_t> sent; // items in `entries`, in order
    for (int k = 0; k < n; ++k) {
        const size_t i = round.indices[k];
        if (!appended[k]) {
            if (stopsTheBatch(appended[k].error()))
                return appended[k].error();
            round.out[i] = failed<RemoteEntry>(appended[k].error()); // this file alone
            continue;
        }
        entries.push_back(Json{{"cursor", {{"session_id", ids[k]}, {"offset", round.items[i].data.size()}}},
                               {"commit", detail::dropboxCommit(round.servers[i], round.items[i].spec)}});
        sent.push_back(i);
    }
    if (sent.empty())
        return {};

    auto finished = m_client.rpc(QStringLiteral("files/upload_session/finish_batch_v2"), Json{{"entries", entries}});
    if (!finished)
        return failed<bool>(finished.error()).error();
    const Json results = finished->value("entries", Json::array());
    if (!results.is_array() || results.size() != sent.size())
        return makeError(
            QStringLiteral("Dropbox answered %1 results for a batch of %2 files").arg(results.size()).arg(sent.size()),
            errc::corrupt);
    int committed = 0;
    for (size_t k = 0; k < sent.size(); ++k) {
        const size_t i = sent[k];
        const Json& r = results[k];
        const Json& commit = entries[k]["commit"];
        if (jsonString(r, ".tag") == QLatin1String("success")) {
            Json md = r;
            md[".tag"] = "file"; // a union member's fields sit beside its tag
            round.out[i] = checkUploaded(round.servers[i], Result<Json>(md), round.hashes[i], commit);
        } else {
            const QString summary = tagPath(r.value("failure", Json()));
            Error e = makeError(QStringLiteral("Dropbox files/upload_session/finish_batch_v2: %1 (%2)")
                                    .arg(summary.isEmpty() ? QStringLiteral("failure") : summary, round.items[i].path),
                                dropboxErrorCode(summary));
            if (e.is(errc::rate_limited)) {
                round.out[i] = e;
                round.again.push_back(i);
                continue;
            }
            // A conflict with the very bytes sent (a commit whose answer was lost) is no conflict.
            round.out[i] = checkUploaded(round.servers[i], Result<Json>(e), round.hashes[i], commit);
        }
        if (round.out[i]) {
            round.out[i]->path = detail::withFoldersOf(round.items[i].path, round.out[i]->path);
            ++committed;
        }
    }
    qCInfo(lcDropbox) << "batch of" << n << "files:" << committed << "committed," << round.again.size()
                      << "refused for now," << int(sent.size()) - committed - int(round.again.size()) << "failed";
    return {};
}

std::vector<Result<RemoteEntry>> DropboxRemote::uploadBatch(const std::vector<BatchItem>& items)
{
    std::vector<Result<RemoteEntry>> out(
        items.size(), Result<RemoteEntry>(makeError(QStringLiteral("not sent"), errc::io)));
    std::vector<QString> servers(items.size());
    std::vector<QString> hashes(items.size());
    std::vector<size_t> todo;
    for (size_t i = 0; i < items.size(); ++i) {
        const BatchItem& item = items[i];
        auto server = m_paths.toServer(item.path);
        if (!server) {
            out[i] = server.error();
            continue;
        }
        if (item.path.isEmpty() || item.data.size() > kDropboxMaxRequestBytes
            || (item.spec.mode == WriteMode::Update && item.spec.rev.isEmpty())) {
            out[i] = makeError(QStringLiteral("cannot upload \"%1\" in a batch").arg(item.path), errc::io);
            continue;
        }
        servers[i] = *server;
        hashes[i] = contentHash(item.data);
        todo.push_back(i);
    }

    for (int attempt = 0; !todo.empty() && attempt <= m_options.batchRetries; ++attempt) {
        if (attempt > 0) {
            const qint64 wait = std::min<qint64>(qint64(m_options.client.backoffBaseMs) << (attempt - 1),
                                                 m_options.client.backoffMaxMs);
            if (Status s = m_client.pause(int(std::max<qint64>(wait, 1))); !s) {
                for (size_t i : todo)
                    out[i] = s.error();
                return out;
            }
        }
        std::vector<size_t> again;
        for (size_t at = 0; at < todo.size(); at += kDropboxBatchEntries) {
            const auto first = todo.begin() + qsizetype(at);
            const auto last = todo.begin() + qsizetype(std::min(todo.size(), at + kDropboxBatchEntries));
            BatchRound round{items, servers, hashes, out, std::vector<size_t>(first, last), {}};
            if (Status s = commitBatchRound(round); !s) {
                // Nothing of this round or later is known to be committed (a file already
                // committed without our knowing is recognised by its bytes next time).
                for (auto it = first; it != todo.end(); ++it)
                    out[*it] = s.error();
                for (size_t i : again)
                    out[i] = s.error();
                return out;
            }
            again.insert(again.end(), round.again.begin(), round.again.end());
        }
        todo = std::move(again);
    }
    return out; // entries still refused keep their too_many_write_operations error
}

} // namespace muze::remote
