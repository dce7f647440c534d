#include <muze/auth/http.h>

#include <muze/util/logging.h>

#include <QEventLoop>
#include <QFile>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>

namespace muze::auth {
namespace {

// Qt reports an HTTP error status as a content (2xx), protocol (3xx: a 400 is
// ProtocolInvalidOperationError) or server (4xx) error class; with a status read, each is a
// complete answer. Anything else (connection refused, closed mid-body, TLS, a garbled
// exchange) means no answer.
bool isHttpStatusError(QNetworkReply::NetworkError e)
{
    const int code = int(e);
    return code == 0 || (code >= 201 && code <= 499 && e != QNetworkReply::ProtocolFailure);
}

QList<QSslCertificate> loadExtraCaCertificates(const QString& spec)
{
    QList<QSslCertificate> certs;
    for (const QString& path : spec.split(QLatin1Char(':'), Qt::SkipEmptyParts)) {
        const QList<QSslCertificate> loaded = QSslCertificate::fromPath(path, QSsl::Pem);
        if (loaded.isEmpty())
            qCWarning(lcDropbox) << "MUZE_CA_CERTS: no PEM certificate in" << path;
        certs += loaded;
    }
    return certs;
}

struct ReplyDeleter {
    void operator()(QNetworkReply* r) const { r->deleteLater(); }
};

} // namespace

QByteArray HttpResponse::header(const QByteArray& name) const
{
    for (const auto& [key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void applyExtraCaCertificates(QNetworkRequest& request)
{
    if (request.url().scheme() != QLatin1String("https"))
        return;
    // Read once per value of MUZE_CA_CERTS (tests point it at a new CA now and then).
    static QMutex mutex;
    static QString cachedSpec;
    static QList<QSslCertificate> cached;
    QList<QSslCertificate> extra;
    {
        const QString spec = qEnvironmentVariable("MUZE_CA_CERTS");
        QMutexLocker lock(&mutex);
        if (spec != cachedSpec) {
            // With the system's CAs, read once too: reading them costs ~1 s per request.
            cached = loadExtraCaCertificates(spec);
            if (!cached.isEmpty())
                cached = QSslConfiguration::systemCaCertificates() + cached;
            cachedSpec = spec;
        }
        extra = cached;
    }
    if (extra.isEmpty())
        return;
    QSslConfiguration conf = request.sslConfiguration();
    conf.setCaCertificates(extra);
    request.setSslConfiguration(conf);
}

QByteArray formEncode(const QList<QPair<QString, QString>>& fields)
{
    QByteArray out;
    for (const auto& [name, value] : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(name) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

Result<HttpResponse> sendBlocking(QNetworkAccessManager& nam, const HttpRequest& request, const HttpHooks& hooks)
{
    if (hooks.cancel && hooks.cancel->load())
        return makeError(QStringLiteral("cancelled"), errc::cancelled);

    QNetworkRequest req(request.url);
    for (const auto& [name, value] : request.headers)
        req.setRawHeader(name, value);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    applyExtraCaCertificates(req);

    std::unique_ptr<QNetworkReply, ReplyDeleter> reply(nam.sendCustomRequest(req, request.verb, request.body));
    if (hooks.sink)
        reply->setReadBufferSize(1 << 20);

    enum class Abort { None, Idle, Deadline, Cancelled };
    Abort aborted = Abort::None;
    HttpResponse response;
    bool headRead = false;
    QEventLoop loop;
    QTimer idle;
    QTimer deadline;
    QTimer cancelPoll;

    auto abortWith = [&](Abort why) {
        if (aborted == Abort::None) {
            aborted = why;
            reply->abort();
        }
    };
    auto touch = [&] { idle.start(); };
    auto readHead = [&] {
        if (headRead)
            return;
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (!status.isValid())
            return;
        headRead = true;
        response.status = status.toInt();
        response.headers = reply->rawHeaderPairs();
    };
    auto drain = [&] {
        readHead();
        if (aborted != Abort::None || !headRead)
            return;
        const QByteArray chunk = reply->readAll();
        if (chunk.isEmpty())
            return;
        if (hooks.sink && response.status / 100 == 2) {
            if (!hooks.sink(response, chunk))
                abortWith(Abort::Cancelled);
        } else {
            response.body += chunk;
        }
    };

    idle.setSingleShot(true);
    idle.setInterval(request.idleTimeoutMs);
    QObject::connect(&idle, &QTimer::timeout, &loop, [&] { abortWith(Abort::Idle); });
    if (request.deadlineMs > 0) {
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &loop, [&] { abortWith(Abort::Deadline); });
        deadline.start(request.deadlineMs);
    }
    if (hooks.cancel) {
        QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
            if (hooks.cancel->load())
                abortWith(Abort::Cancelled);
        });
        cancelPoll.start(50);
    }
    QObject::connect(reply.get(), &QNetworkReply::metaDataChanged, &loop, [&] {
        touch();
        readHead();
    });
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        touch();
        drain();
    });
    QObject::connect(reply.get(), &QNetworkReply::downloadProgress, &loop, [&] { touch(); });
    QObject::connect(reply.get(), &QNetworkReply::uploadProgress, &loop, [&](qint64 sent, qint64 total) {
        touch();
        if (hooks.uploadProgress && aborted == Abort::None && !hooks.uploadProgress(sent, total))
            abortWith(Abort::Cancelled);
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    touch();
    if (!reply->isFinished())
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (aborted == Abort::None && isHttpStatusError(reply->error()))
        drain(); // whatever arrived together with `finished`

    const QString host = request.url.host();
    switch (aborted) {
    case Abort::Idle:
        return makeError(
            QStringLiteral("%1 did not answer for %2 s").arg(host).arg(request.idleTimeoutMs / 1000), errc::offline);
    case Abort::Deadline:
        return makeError(QStringLiteral("%1: no answer in time").arg(host), errc::timeout);
    case Abort::Cancelled:
        return makeError(QStringLiteral("cancelled"), errc::cancelled);
    case Abort::None:
        break;
    }
    readHead();
    const auto err = reply->error();
    if (headRead && isHttpStatusError(err))
        return response;
    if (err == QNetworkReply::SslHandshakeFailedError)
        return makeError(QStringLiteral("%1: TLS failed: %2").arg(host, reply->errorString()), errc::tls);
    return makeError(QStringLiteral("%1: %2").arg(host, reply->errorString()), errc::offline);
}

} // namespace muze::auth
