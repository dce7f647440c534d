#include <muze/remote/dropboxclient.h>

#include <muze/auth/tokenmanager.h>
#include <muze/remote/dropboxparse.h>
#include <muze/remote/dropboxpaths.h>
#include <muze/util/logging.h>

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <optional>

namespace muze::remote {
namespace {

QString describe(const QString& route, const QString& text) { return QStringLiteral("Dropbox %1: %2").arg(route, text); }

} // namespace

DropboxClient::DropboxClient(auth::DropboxEndpoints endpoints, std::shared_ptr<auth::TokenManager> tokens,
                             DropboxClientOptions options, const std::atomic<bool>* cancel)
    : m_endpoints(std::move(endpoints)),
      m_tokens(std::move(tokens)),
      m_options(options),
      m_cancel(cancel),
      m_nam(std::make_unique<QNetworkAccessManager>())
{
    m_nam->setAutoDeleteReplies(false);
}

DropboxClient::~DropboxClient() = default;

int DropboxClient::backoffMs(int attempt) const
{
    const qint64 base = qint64(m_options.backoffBaseMs) << std::min(attempt - 1, 16);
    const qint64 capped = std::min<qint64>(base, m_options.backoffMaxMs);
    // Full jitter in [capped/2, capped]: clients that failed together do not retry together.
    return int(capped / 2 + QRandomGenerator::global()->bounded(int(capped / 2) + 1));
}

Status DropboxClient::pause(int ms)
{
    if (ms <= 0)
        return {};
    QEventLoop loop;
    QTimer done;
    QTimer poll;
    done.setSingleShot(true);
    QObject::connect(&done, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (m_cancel && m_cancel->load())
            loop.quit();
    });
    done.start(ms);
    poll.start(50);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (m_cancel && m_cancel->load())
        return makeError(QStringLiteral("cancelled"), errc::cancelled);
    return {};
}

Error DropboxClient::errorFromResponse(const Call& call, const auth::HttpResponse& r)
{
    return dropboxErrorFromResponse(call.route, r.status, r.body, m_retryAfter, &m_lastError);
}

Result<auth::HttpResponse> DropboxClient::execute(const Call& call, const auth::HttpHooks& hooks, bool* bodyStarted)
{
    m_retryAfter = 0;
    bool refreshed = false;
    for (int attempt = 1;; ++attempt) {
        auth::HttpRequest req;
        switch (call.host) {
        case Host::Api:
            req.url = m_endpoints.apiRoute(call.route);
            break;
        case Host::Content:
            req.url = m_endpoints.contentRoute(call.route);
            break;
        case Host::Notify:
            req.url = m_endpoints.notifyRoute(call.route);
            break;
        }
        req.headers = call.headers;
        req.body = call.body;
        req.idleTimeoutMs = m_options.idleTimeoutMs;
        req.deadlineMs = call.deadlineMs;
        if (call.deadlineMs > 0) // a longpoll is silent until its deadline
            req.idleTimeoutMs = std::max(req.idleTimeoutMs, call.deadlineMs + 5000);
        if (call.authenticated) {
            auto token = m_tokens->accessToken();
            if (!token)
                return token.error();
            req.headers.append({"Authorization", "Bearer " + token->toUtf8()});
        }
        ++m_stats.requests;
        auto reply = auth::sendBlocking(*m_nam, req, hooks);
        const bool last = attempt >= m_options.maxAttempts;

        if (!reply) {
            const QString code = reply.error().code;
            if (code != errc::offline || last || (bodyStarted && *bodyStarted && !call.retryDroppedAfterBody))
                return makeError(describe(call.route, reply.errorString()), code);
            qCInfo(lcDropbox) << call.route << "attempt" << attempt << "failed:" << reply.errorString();
        } else if (reply->status / 100 == 2) {
            return reply;
        } else if (reply->status == 401) {
            Error e = errorFromResponse(call, *reply);
            const bool expired = m_lastError.summary.startsWith(QLatin1String("expired_access_token"));
            if (!expired || refreshed || !call.authenticated)
                return e;
            refreshed = true;
            ++m_stats.refreshes;
            qCInfo(lcDropbox) << call.route << ": access token expired, refreshing";
            if (auto fresh = m_tokens->refreshNow(); !fresh)
                return fresh.error();
            --attempt; // the refresh is not a failed attempt
            continue;
        } else {
            auto body = parseJson(reply->body, QStringLiteral("Dropbox's error"));
            const QString summary = body && body->is_object() ? jsonString(*body, "error_summary") : QString();
            const bool tooMany = reply->status == 429
                || (reply->status == 409 && summary.contains(QLatin1String("too_many_write_operations")));
            if (tooMany) {
                ++m_stats.rateLimited;
                const int wait = dropboxRetryAfter(reply->header("Retry-After"), body ? &*body : nullptr);
                m_retryAfter = std::max(wait, 1);
                if (last || wait > m_options.maxRetryAfterSeconds) {
                    Error e = errorFromResponse(call, *reply);
                    e.code = errc::rate_limited;
                    return e;
                }
                qCInfo(lcDropbox) << call.route << "rate limited; waiting" << wait << "s";
                ++m_stats.retries;
                if (Status s = pause(wait > 0 ? wait * 1000 : backoffMs(attempt)); !s)
                    return s.error();
                continue;
            }
            if (reply->status < 500 || last)
                return errorFromResponse(call, *reply);
            qCInfo(lcDropbox) << call.route << "attempt" << attempt << ": server error" << reply->status;
            if (const int wait = dropboxRetryAfter(reply->header("Retry-After"), nullptr); wait > 0 && wait <= m_options.maxRetryAfterSeconds) {
                ++m_stats.retries;
                if (Status s = pause(wait * 1000); !s)
                    return s.error();
                continue;
            }
        }
        ++m_stats.retries;
        if (Status s = pause(backoffMs(attempt)); !s)
            return s.error();
    }
}

Result<Json> DropboxClient::rpc(const QString& route, const Json& arg)
{
    Call call;
    call.route = route;
    call.headers = {{"Content-Type", "application/json"}};
    call.body = QByteArray::fromStdString(arg.dump(-1, ' ', false, Json::error_handler_t::replace));
    auth::HttpHooks hooks;
    hooks.cancel = m_cancel;
    auto reply = execute(call, hooks);
    if (!reply)
        return reply.error();
    return parseJson(reply->body, describe(route, QStringLiteral("answer")));
}

Result<Json> DropboxClient::upload(const QString& route, const Json& arg, const QByteArray& data,
                                   const auth::UploadProgress& progress)
{
    Call call;
    call.host = Host::Content;
    call.route = route;
    call.headers = {{"Content-Type", "application/octet-stream"}, {"Dropbox-API-Arg", dropboxApiArg(arg)}};
    call.body = data;
    auth::HttpHooks hooks;
    hooks.cancel = m_cancel;
    hooks.uploadProgress = progress;
    auto reply = execute(call, hooks);
    if (!reply)
        return reply.error();
    return parseJson(reply->body, describe(route, QStringLiteral("answer")));
}

Result<Json> DropboxClient::download(const QString& route, const Json& arg, const auth::HttpHeaders& extraHeaders,
                                     const auth::BodySink& sink)
{
    Call call;
    call.host = Host::Content;
    call.route = route;
    call.headers = extraHeaders;
    call.headers.append({"Dropbox-API-Arg", dropboxApiArg(arg)});
    call.retryDroppedAfterBody = false;
    bool bodyStarted = false;
    Json metadata;
    std::optional<Error> metadataError;
    auth::HttpHooks hooks;
    hooks.cancel = m_cancel;
    hooks.sink = [&](const auth::HttpResponse& head, const QByteArray& chunk) {
        if (!bodyStarted) {
            bodyStarted = true;
            auto parsed = parseDropboxApiResult(head.header("Dropbox-API-Result"), route);
            if (!parsed) {
                metadataError = parsed.error();
                return false;
            }
            metadata = *parsed;
        }
        return sink(head, chunk);
    };
    auto reply = execute(call, hooks, &bodyStarted);
    if (metadataError)
        return *metadataError;
    if (!reply)
        return reply.error();
    if (!bodyStarted) { // an empty file: the head alone carries the metadata
        auto parsed = parseDropboxApiResult(reply->header("Dropbox-API-Result"), route);
        if (!parsed)
            return parsed.error();
        metadata = *parsed;
    }
    return metadata;
}

Result<Json> DropboxClient::notify(const QString& route, const Json& arg, int deadlineMs)
{
    Call call;
    call.host = Host::Notify;
    call.route = route;
    call.headers = {{"Content-Type", "application/json"}};
    call.body = QByteArray::fromStdString(arg.dump(-1, ' ', false, Json::error_handler_t::replace));
    call.authenticated = false;
    call.deadlineMs = deadlineMs;
    auth::HttpHooks hooks;
    hooks.cancel = m_cancel;
    auto reply = execute(call, hooks);
    if (!reply)
        return reply.error();
    return parseJson(reply->body, describe(route, QStringLiteral("answer")));
}

} // namespace muze::remote
