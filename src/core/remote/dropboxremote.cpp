#include <muze/remote/dropboxremote.h>

#include <muze/auth/tokenmanager.h>
#include <muze/remote/dropboxparse.h>
#include <muze/util/clock.h>
#include <muze/util/logging.h>

#include <algorithm>

namespace muze::remote {
namespace {

qint64 envBytes(const char* name, qint64 fallback)
{
    bool ok = false;
    const qint64 v = qEnvironmentVariable(name).toLongLong(&ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

DropboxRemoteOptions DropboxRemoteOptions::fromEnvironment(const QString& folder)
{
    DropboxRemoteOptions o;
    o.folder = folder;
    o.sessionThreshold = envBytes("MUZE_DROPBOX_SESSION_THRESHOLD", o.sessionThreshold);
    o.chunkSize = envBytes("MUZE_DROPBOX_CHUNK_SIZE", o.chunkSize);
    o.longpollMinSeconds = int(std::min<qint64>(envBytes("MUZE_DROPBOX_LONGPOLL_MIN", o.longpollMinSeconds), 480));
    if (const qint64 backoff = envBytes("MUZE_DROPBOX_BACKOFF_MS", 0); backoff > 0)
        o.client.backoffBaseMs = int(std::min<qint64>(backoff, 60000));
    if (qEnvironmentVariable("MUZE_DROPBOX_BATCH") == QLatin1String("0"))
        o.batch = false;
    return o;
}

DropboxRemote::DropboxRemote(auth::DropboxEndpoints endpoints, std::shared_ptr<auth::TokenManager> tokens,
                             DropboxRemoteOptions options)
    : m_options(std::move(options)),
      m_paths(m_options.folder),
      m_client(std::move(endpoints), std::move(tokens), m_options.client, &m_cancelled)
{
    m_options.sessionThreshold = std::clamp<qint64>(m_options.sessionThreshold, 0, kDropboxMaxRequestBytes);
    m_options.chunkSize = std::clamp<qint64>(m_options.chunkSize, 1, kDropboxMaxRequestBytes);
}

DropboxRemote::~DropboxRemote() = default;

template <typename T>
Result<T> DropboxRemote::failed(const Error& e)
{
    m_retryAfter = e.is(errc::rate_limited) ? m_client.retryAfterSeconds() : 0;
    return e;
}
// dropboxtransfer.cpp uses these too: instantiated here, or an optimised build inlines them
// away and that file's calls do not link.
template Result<bool> DropboxRemote::failed<bool>(const Error&);
template Result<RemoteEntry> DropboxRemote::failed<RemoteEntry>(const Error&);

Result<RemoteEntry> DropboxRemote::entryFromMetadata(const Json& md) const
{
    return dropboxEntryFromMetadata(md, m_paths);
}

Status DropboxRemote::addPage(const Json& page, ChangeSet& out)
{
    const qsizetype before = m_rejected.size();
    Status s = dropboxAddPage(page, m_paths, out, m_rejected);
    for (qsizetype i = before; i < m_rejected.size(); ++i)
        qCWarning(lcDropbox) << "dropping entry outside the vault or malformed:" << m_rejected[i];
    return s;
}

Result<ChangeSet> DropboxRemote::listAll(bool firstListing)
{
    ChangeSet out;
    out.complete = true;
    Json arg = {{"path", toStd(m_paths.folder())}, {"recursive", true}, {"include_deleted", false}};
    auto page = m_client.rpc(QStringLiteral("files/list_folder"), arg);
    if (!page && page.error().is(errc::not_found) && firstListing) {
        // A vault's first sync makes its folder (vault create could not: offline, signed out).
        // After a reset a missing folder stays an error: the user deleted it.
        if (Status made = makeFolder(QString()); !made)
            return made.error();
        page = m_client.rpc(QStringLiteral("files/list_folder"), arg);
    }
    while (true) {
        if (!page) {
            Error e = page.error();
            if (e.is(errc::not_found))
                e.message = QStringLiteral("the Dropbox folder %1 does not exist").arg(m_paths.folder());
            return failed<ChangeSet>(e);
        }
        if (Status s = addPage(*page, out); !s)
            return s.error();
        if (!jsonBool(*page, "has_more"))
            return out;
        page = m_client.rpc(QStringLiteral("files/list_folder/continue"), Json{{"cursor", toStd(out.cursor)}});
        if (!page && page.error().is(errc::reset)) { // reset while paging: start over
            out = ChangeSet();
            out.complete = true;
            page = m_client.rpc(QStringLiteral("files/list_folder"), arg);
        }
    }
}

Result<ChangeSet> DropboxRemote::listChanges(const QString& cursor)
{
    if (cursor.isEmpty())
        return listAll(true);
    ChangeSet out;
    QString next = cursor;
    while (true) {
        auto page = m_client.rpc(QStringLiteral("files/list_folder/continue"), Json{{"cursor", toStd(next)}});
        if (!page) {
            if (page.error().is(errc::reset)) {
                qCInfo(lcDropbox) << "cursor reset by Dropbox: listing" << m_paths.folder() << "again";
                return listAll(false);
            }
            return failed<ChangeSet>(page.error());
        }
        if (Status s = addPage(*page, out); !s)
            return s.error();
        next = out.cursor;
        if (!jsonBool(*page, "has_more"))
            return out;
    }
}

Result<RemoteEntry> DropboxRemote::stat(const QString& path)
{
    auto server = m_paths.toServer(path);
    if (!server)
        return server.error();
    if (server->isEmpty()) { // the root of the whole Dropbox has no metadata
        RemoteEntry root;
        root.isFolder = true;
        return root;
    }
    auto md = m_client.rpc(QStringLiteral("files/get_metadata"), Json{{"path", toStd(*server)}});
    if (!md)
        return failed<RemoteEntry>(md.error());
    return entryFromMetadata(*md);
}

Status DropboxRemote::remove(const QString& path, const QString& rev)
{
    auto server = m_paths.toServer(path);
    if (!server)
        return server.error();
    if (path.isEmpty())
        return makeError(QStringLiteral("refusing to delete the vault folder"), errc::hostile_path);
    Json arg = {{"path", toStd(*server)}};
    if (!rev.isEmpty())
        arg["parent_rev"] = toStd(rev);
    auto r = m_client.rpc(QStringLiteral("files/delete_v2"), arg);
    if (!r)
        return failed<Json>(r.error()).error();
    return {};
}

Status DropboxRemote::makeFolder(const QString& path)
{
    auto server = m_paths.toServer(path);
    if (!server)
        return server.error();
    if (server->isEmpty())
        return {};
    auto r = m_client.rpc(QStringLiteral("files/create_folder_v2"), Json{{"path", toStd(*server)}, {"autorename", false}});
    if (!r) {
        if (r.error().is(errc::conflict) && m_client.lastError().summary.contains(QLatin1String("conflict/folder")))
            return {}; // already there
        return failed<Json>(r.error()).error();
    }
    return {};
}

Result<bool> DropboxRemote::waitForChanges(const QString& cursor, int timeoutSeconds)
{
    const QDateTime deadline = QDateTime::currentDateTimeUtc().addSecs(std::max(timeoutSeconds, 0));
    auto msLeft = [&] { return QDateTime::currentDateTimeUtc().msecsTo(deadline); };
    if (m_longpollBackoffUntil.isValid()) { // Dropbox asked us not to poll again before then
        const qint64 backoff = QDateTime::currentDateTimeUtc().msecsTo(m_longpollBackoffUntil);
        if (backoff > 0) {
            if (Status s = m_client.pause(int(std::min(backoff, std::max<qint64>(msLeft(), 0)))); !s)
                return s.error();
        }
        m_longpollBackoffUntil = QDateTime();
    }
    const qint64 left = msLeft();
    if (left <= 0)
        return false;
    // Dropbox answers a quiet longpoll up to 90 s (random jitter) after its timeout, and may
    // hold any answer that long: the request is given up only after timeout + jitter, or a
    // change reported late would be taken for "no news".
    const int serverTimeout = int(std::clamp<qint64>(left / 1000, m_options.longpollMinSeconds, 480));
    const int waitMs = (serverTimeout + std::max(m_options.longpollJitterSeconds, 0)) * 1000 + 2000;
    auto r = m_client.notify(QStringLiteral("files/list_folder/longpoll"),
                             Json{{"cursor", toStd(cursor)}, {"timeout", serverTimeout}}, waitMs);
    if (!r) {
        if (r.error().is(errc::timeout))
            return false;
        if (r.error().is(errc::reset))
            return true; // listChanges will relist
        return failed<bool>(r.error());
    }
    if (const int backoff = int(jsonInteger(*r, "backoff", 0, 0, 3600)); backoff > 0)
        m_longpollBackoffUntil = QDateTime::currentDateTimeUtc().addSecs(backoff);
    return jsonBool(*r, "changes");
}

Result<SpaceUsage> DropboxRemote::spaceUsage()
{
    auto r = m_client.rpc(QStringLiteral("users/get_space_usage"));
    if (!r)
        return failed<SpaceUsage>(r.error());
    SpaceUsage u;
    u.used = jsonInteger(*r, "used", 0, 0, qint64(1) << 62);
    const Json alloc = r->value("allocation", Json::object());
    u.allocated = jsonInteger(alloc, "allocated", -1, -1, qint64(1) << 62);
    return u;
}

Result<std::unique_ptr<RemoteStore>> createDropboxRemote(const QString& folderPath)
{
    if (folderPath.trimmed().isEmpty())
        return makeError(QStringLiteral("no Dropbox folder given"), errc::config);
    const QString appKey = auth::dropboxAppKey();
    if (appKey.isEmpty())
        return makeError(QStringLiteral("no Dropbox app key (set MUZE_DROPBOX_APP_KEY or the dropbox/app_key setting)"),
            errc::config);
    auto stored = auth::KeychainTokenStore(appKey).load();
    if (!stored)
        return stored.error();
    if (!stored->has_value())
        return makeError(
            QStringLiteral("this device is not connected to Dropbox (run \"muze-cli dropbox connect\")"), errc::auth);
    const auth::DropboxEndpoints endpoints = auth::DropboxEndpoints::fromEnvironment();
    auto tokens = auth::keychainTokenManager(appKey, endpoints);
    std::unique_ptr<RemoteStore> remote = std::make_unique<DropboxRemote>(
        endpoints, std::move(tokens), DropboxRemoteOptions::fromEnvironment(folderPath));
    return remote;
}

Status ensureDropboxFolder(const QString& folderPath)
{
    auto remote = createDropboxRemote(folderPath);
    if (!remote)
        return remote.error();
    return (*remote)->makeFolder(QString());
}

} // namespace muze::remote
