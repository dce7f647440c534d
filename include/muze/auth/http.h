#pragma once
// Blocking HTTP over QNetworkAccessManager for code that runs on a worker thread (or a CLI):
// the call spins a local event loop until the exchange ends. Used by the token endpoint
// client and by the Dropbox remote.
//
// Threading: `nam` must live in the calling thread. `cancel` may be set from any thread.

#include <muze/util/result.h>

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QUrl>

#include <atomic>
#include <functional>

class QNetworkAccessManager;
class QNetworkRequest;

namespace muze::auth {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

struct HttpRequest {
    QUrl url;
    QByteArray verb = "POST";
    HttpHeaders headers;
    QByteArray body;
    int idleTimeoutMs = 60000; // no byte moved for this long: the exchange fails ("offline")
    int deadlineMs = -1;       // > 0: the exchange is abandoned after this long (code "timeout")
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;
    QByteArray body; // empty when a BodySink consumed a 2xx body
    QByteArray header(const QByteArray& name) const; // case-insensitive
};

/// Receives a 2xx body as it streams in (the head is complete). Return false to abort.
using BodySink = std::function<bool(const HttpResponse& head, const QByteArray& chunk)>;
/// Called as the request body goes out; return false to abort.
using UploadProgress = std::function<bool(qint64 sent, qint64 total)>;

struct HttpHooks {
    const std::atomic<bool>* cancel = nullptr;
    BodySink sink;
    UploadProgress uploadProgress;
};

/// Sends `request` and waits. Any HTTP answer (whatever its status) is a value; an Error only
/// when no complete answer came: "offline" (unreachable, dropped, idle timeout), "timeout"
/// (deadline), "cancelled" (cancel flag, or a hook returned false), "tls" (certificate).
Result<HttpResponse> sendBlocking(QNetworkAccessManager& nam, const HttpRequest& request, const HttpHooks& hooks = {});

/// Adds the certificates named by MUZE_CA_CERTS (PEM files separated by ':') to the
/// request's TLS configuration, on top of the system's.
void applyExtraCaCertificates(QNetworkRequest& request);

/// application/x-www-form-urlencoded body from name/value pairs (every reserved byte escaped).
QByteArray formEncode(const QList<QPair<QString, QString>>& fields);

} // namespace muze::auth
