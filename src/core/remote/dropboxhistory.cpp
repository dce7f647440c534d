// Dropbox keeps every revision of a file (also after a delete) for its plan's retention:
// list_revisions lists them newest first, a `rev:` path downloads one, restore makes one
// current again. Nothing here is stored by Muze, so prune() has nothing to do.
#include "dropboxhistory.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/dropboxremote.h>
#include <muze/util/clock.h>
#include <muze/util/logging.h>

#include <QRegularExpression>

#include <algorithm>

namespace muze::remote {

namespace {

constexpr int kMaxRevisions = 100; // Dropbox's largest list_revisions limit

class DropboxHistory final : public RemoteHistory {
public:
    explicit DropboxHistory(DropboxRemote& remote)
        : m_remote(remote)
    {
    }

    Result<std::vector<RemoteVersion>> listVersions(const QString& path) override
    {
        Result<QString> server = m_remote.paths().toServer(path);
        if (!server)
            return server.error();
        Result<Json> answer = m_remote.client().rpc(QStringLiteral("files/list_revisions"),
            Json{{"path", toStd(*server)}, {"mode", "path"}, {"limit", kMaxRevisions}});
        if (!answer)
            return answer.error();
        const bool isDeleted = answer->value("is_deleted", false);
        const QDateTime serverDeleted = parseIsoTimestamp(jsonString(*answer, "server_deleted"));
        std::vector<RemoteVersion> out; // newest first while building
        const auto entries = answer->find("entries");
        if (entries == answer->end() || !entries->is_array())
            return makeError(QStringLiteral("Dropbox sent malformed revisions for %1").arg(path), errc::corrupt);
        QDateTime newer = isDeleted ? serverDeleted : QDateTime();
        for (const Json& md : *entries) {
            RemoteVersion v;
            v.path = path;
            v.rev = jsonString(md, "rev");
            v.size = jsonInteger(md, "size", 0, 0, qint64(1) << 53);
            v.modified = parseIsoTimestamp(jsonString(md, "server_modified"));
            v.contentHash = jsonString(md, "content_hash");
            v.replaced = newer;
            v.current = out.empty() && !isDeleted;
            v.deleted = out.empty() && isDeleted;
            if (v.rev.isEmpty())
                return makeError(
                    QStringLiteral("Dropbox sent a revision of %1 without a rev").arg(path), errc::corrupt);
            newer = v.modified;
            out.push_back(v);
        }
        if (out.empty())
            return makeError(QStringLiteral("Dropbox keeps no version of %1").arg(path), errc::not_found);
        std::reverse(out.begin(), out.end());
        return out;
    }

    Status downloadVersion(const QString& path, const QString& rev, QIODevice& sink) override
    {
        static const QRegularExpression revPattern(QStringLiteral("^[0-9a-f]{9,}$"));
        if (!revPattern.match(rev).hasMatch())
            return makeError(QStringLiteral("%1 has no version %2").arg(path, rev), errc::not_found);
        ContentHasher hasher;
        QString expected;
        Error sinkError;
        auto write = [&](const auth::HttpResponse& head, const QByteArray& chunk) -> bool {
            if (expected.isEmpty()) {
                auto md = parseJson(head.header("Dropbox-API-Result"), QStringLiteral("Dropbox-API-Result"));
                expected = md ? jsonString(*md, "content_hash") : QString();
                if (!md || jsonString(*md, "rev") != rev) {
                    sinkError
                        = makeError(QStringLiteral("Dropbox sent another version of %1").arg(path), errc::corrupt);
                    return false;
                }
            }
            if (sink.write(chunk.constData(), chunk.size()) != chunk.size()) {
                sinkError = makeError(QStringLiteral("Cannot store version %1 of %2").arg(rev, path), errc::io);
                return false;
            }
            hasher.addData(chunk);
            return true;
        };
        Result<Json> md = m_remote.client().download(
            QStringLiteral("files/download"), Json{{"path", toStd(QStringLiteral("rev:") + rev)}}, {}, write);
        if (!sinkError.message.isEmpty())
            return sinkError;
        if (!md)
            return md.error();
        if (expected.isEmpty())
            expected = jsonString(*md, "content_hash");
        if (hasher.finish() != expected)
            return makeError(QStringLiteral("Version %1 of %2 arrived damaged (content hash mismatch)").arg(rev, path),
                errc::corrupt);
        return {};
    }

    Result<RemoteEntry> restoreVersion(const QString& path, const QString& rev) override
    {
        Result<QString> server = m_remote.paths().toServer(path);
        if (!server)
            return server.error();
        Result<Json> md = m_remote.client().rpc(
            QStringLiteral("files/restore"), Json{{"path", toStd(*server)}, {"rev", toStd(rev)}});
        if (!md)
            return md.error();
        RemoteEntry e;
        e.path = path;
        e.size = jsonInteger(*md, "size", 0, 0, qint64(1) << 53);
        e.rev = jsonString(*md, "rev");
        e.contentHash = jsonString(*md, "content_hash");
        e.modified = parseIsoTimestamp(jsonString(*md, "server_modified"));
        e.clientModified = parseIsoTimestamp(jsonString(*md, "client_modified"));
        return e;
    }

    Result<std::vector<DeletedFile>> listDeleted(const QString& folder) override
    {
        Result<QString> server = m_remote.paths().toServer(folder);
        if (!server)
            return server.error();
        std::vector<QString> gone;
        Result<Json> page = m_remote.client().rpc(QStringLiteral("files/list_folder"),
            Json{{"path", toStd(*server)}, {"recursive", true}, {"include_deleted", true}});
        for (;;) {
            if (!page)
                return page.error();
            for (const Json& md : page->value("entries", Json::array())) {
                if (jsonString(md, ".tag") != QLatin1String("deleted"))
                    continue;
                Result<QString> rel
                    = m_remote.paths().toRelative(jsonString(md, "path_lower"), jsonString(md, "path_display"));
                if (rel && !rel->isEmpty())
                    gone.push_back(*rel);
            }
            if (!page->value("has_more", false))
                break;
            page = m_remote.client().rpc(
                QStringLiteral("files/list_folder/continue"), Json{{"cursor", page->value("cursor", "")}});
        }
        std::vector<DeletedFile> out;
        for (const QString& rel : gone) {
            Result<std::vector<RemoteVersion>> versions = listVersions(rel);
            if (!versions) {
                if (versions.error().isAnyOf({errc::not_found, errc::io}))
                    continue; // a deleted folder, or nothing kept
                return versions.error();
            }
            const RemoteVersion& last = versions->back();
            if (!last.deleted)
                continue;
            out.push_back(DeletedFile{rel, last.replaced, last});
        }
        std::sort(out.begin(), out.end(), [](const DeletedFile& a, const DeletedFile& b) {
            return a.deletedAt != b.deletedAt ? a.deletedAt > b.deletedAt : a.path < b.path;
        });
        return out;
    }

    Result<int> prune(const QDateTime& cutoff) override
    {
        Q_UNUSED(cutoff);
        return 0; // Dropbox applies its own retention
    }
    bool providerRetention() const override { return true; }

private:
    DropboxRemote& m_remote;
};

} // namespace

std::unique_ptr<RemoteHistory> makeDropboxHistory(DropboxRemote& remote)
{
    return std::make_unique<DropboxHistory>(remote);
}

} // namespace muze::remote
