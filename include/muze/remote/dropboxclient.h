#pragma once
// The Dropbox API v2 on the wire (DESIGN.md §5): RPC calls on the api host with a JSON body,
// upload/download calls on the content host with their argument in Dropbox-API-Arg and the
// download's metadata in Dropbox-API-Result, longpoll on the notify host without auth.
//
// Every call retries what is worth retrying: 429 and too_many_write_operations after the
// server's Retry-After, 5xx and dropped connections with exponential backoff (jittered), a
// 401 expired_access_token once after refreshing the token. Errors keep the RemoteStore codes
// ("not_found", "conflict", "offline", "rate_limited", "auth", "insufficient_space", "io",
// "cancelled"), plus "reset" (a cursor Dropbox no longer accepts) and "incorrect_offset".
//
// Threading: created, used and destroyed on one thread (its QNetworkAccessManager lives
// there); calls block that thread. `cancel` may be set from any thread.

#include <muze/auth/dropboxconfig.h>
#include <muze/auth/http.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <atomic>
#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace muze::auth {
class TokenManager;
}

namespace muze::remote {

struct DropboxClientOptions {
    int maxAttempts = 6;             // per call, for transient failures
    int backoffBaseMs = 500;         // first retry delay; doubles per attempt (jittered)
    int backoffMaxMs = 30000;
    int maxRetryAfterSeconds = 120;  // a longer Retry-After ends the call with "rate_limited"
    int idleTimeoutMs = 90000;       // no byte moved for this long: the connection is dead
};

/// What the last failed call said (status, error_summary, the "error" union).
struct DropboxApiError {
    int status = 0;
    QString summary;
    Json error;
};

/// Counters for tests and benches.
struct DropboxClientStats {
    int requests = 0;
    int retries = 0;
    int refreshes = 0;
    int rateLimited = 0;
};

class DropboxClient {
public:
    DropboxClient(auth::DropboxEndpoints endpoints, std::shared_ptr<auth::TokenManager> tokens,
                  DropboxClientOptions options = {}, const std::atomic<bool>* cancel = nullptr);
    ~DropboxClient();
    DropboxClient(const DropboxClient&) = delete;
    DropboxClient& operator=(const DropboxClient&) = delete;

    /// POST <api>/2/<route> with `arg` as JSON (null → "null"); returns the JSON answer.
    Result<Json> rpc(const QString& route, const Json& arg = nullptr);
    /// POST <content>/2/<route> with `data` as the body; returns the JSON answer.
    Result<Json> upload(const QString& route, const Json& arg, const QByteArray& data,
                        const auth::UploadProgress& progress = {});
    /// upload() of many requests to one route, up to `parallel` in flight at once; one result
    /// per request, in order. A request that gets no 2xx answer is sent again alone through
    /// upload(), with its retries, token refresh and error mapping (dropboxparallel.cpp).
    std::vector<Result<Json>> uploadMany(const QString& route, const std::vector<Json>& args,
                                         const std::vector<QByteArray>& data, int parallel);
    /// POST <content>/2/<route>; the body streams into `sink` (once the head is in), the
    /// metadata from Dropbox-API-Result is returned. A connection dropped after the first body
    /// byte is not retried here ("offline"): the caller resumes with a Range.
    Result<Json> download(const QString& route, const Json& arg, const auth::HttpHeaders& extraHeaders,
                          const auth::BodySink& sink);
    /// POST <notify>/2/<route> without auth, abandoned after `deadlineMs` ("timeout").
    Result<Json> notify(const QString& route, const Json& arg, int deadlineMs);

    const DropboxApiError& lastError() const { return m_lastError; }
    /// Seconds Dropbox asked to wait when the last call ended "rate_limited".
    int retryAfterSeconds() const { return m_retryAfter; }
    const DropboxClientStats& stats() const { return m_stats; }
    const auth::DropboxEndpoints& endpoints() const { return m_endpoints; }
    QNetworkAccessManager& network() { return *m_nam; }
    const std::atomic<bool>* cancelFlag() const { return m_cancel; }

    /// Sleeps `ms` unless cancelled (processing this thread's events meanwhile).
    Status pause(int ms);

private:
    enum class Host { Api, Content, Notify };
    struct Call {
        Host host = Host::Api;
        QString route;
        auth::HttpHeaders headers;
        QByteArray body;
        bool authenticated = true;
        bool retryDroppedAfterBody = true;
        int deadlineMs = -1;
    };
    Result<auth::HttpResponse> execute(const Call& call, const auth::HttpHooks& hooks, bool* bodyStarted = nullptr);
    Error errorFromResponse(const Call& call, const auth::HttpResponse& response);
    int backoffMs(int attempt) const;

    auth::DropboxEndpoints m_endpoints;
    std::shared_ptr<auth::TokenManager> m_tokens;
    DropboxClientOptions m_options;
    const std::atomic<bool>* m_cancel;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    DropboxApiError m_lastError;
    DropboxClientStats m_stats;
    int m_retryAfter = 0;
};

} // namespace muze::remote
