// DropboxClient::uploadMany: the data of a batch's files goes up several requests at once
// (Dropbox recommends uploading a batch's files in parallel; only the commit is a write).
// The fast path sends each request once over this thread's QNetworkAccessManager; anything
// but a 2xx answer goes again through upload(), which owns retries, Retry-After, token
// refresh and the mapping of errors, so the two paths cannot disagree about an answer.
#include <muze/remote/dropboxclient.h>

#include <muze/auth/tokenmanager.h>
#include <muze/remote/dropboxpaths.h>
#include <muze/util/logging.h>

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

#include <algorithm>
#include <functional>

namespace muze::remote {

std::vector<Result<Json>> DropboxClient::uploadMany(const QString& route, const std::vector<Json>& args,
                                                    const std::vector<QByteArray>& data, int parallel)
{
    const size_t n = std::min(args.size(), data.size());
    std::vector<Result<Json>> out(n, Result<Json>(makeError(QStringLiteral("not sent"), errc::io)));
    std::vector<bool> answered(n, false);
    auto token = m_tokens->accessToken();
    if (token && n > 0 && !(m_cancel && m_cancel->load())) {
        QEventLoop loop;
        QTimer idle;
        QTimer cancelPoll;
        size_t next = 0;
        int inFlight = 0;
        bool stop = false;
        std::vector<QNetworkReply*> replies(n, nullptr);
        std::function<void()> launch;
        launch = [&] {
            while (!stop && inFlight < std::max(parallel, 1) && next < n) {
                const size_t i = next++;
                QNetworkRequest req(m_endpoints.contentRoute(route));
                req.setRawHeader("Authorization", "Bearer " + token->toUtf8());
                req.setRawHeader("Content-Type", "application/octet-stream");
                req.setRawHeader("Dropbox-API-Arg", dropboxApiArg(args[i]));
                req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
                auth::applyExtraCaCertificates(req);
                ++m_stats.requests;
                ++inFlight;
                QNetworkReply* reply = m_nam->post(req, data[i]);
                replies[i] = reply;
                QObject::connect(reply, &QNetworkReply::uploadProgress, &loop, [&] { idle.start(); });
                QObject::connect(reply, &QNetworkReply::finished, &loop, [&, i, reply] {
                    idle.start();
                    --inFlight;
                    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                    if (reply->error() == QNetworkReply::NoError && status / 100 == 2) {
                        const QByteArray body = reply->readAll();
                        out[i] = parseJson(body.isEmpty() ? QByteArray("null") : body,
                                           QStringLiteral("Dropbox %1: answer").arg(route));
                        answered[i] = true;
                    }
                    launch();
                    if (inFlight == 0 && (stop || next >= n))
                        loop.quit();
                });
            }
        };
        idle.setSingleShot(true);
        idle.setInterval(m_options.idleTimeoutMs);
        auto abortAll = [&] {
            stop = true;
            for (QNetworkReply* r : replies) {
                if (r && !r->isFinished())
                    r->abort();
            }
        };
        QObject::connect(&idle, &QTimer::timeout, &loop, abortAll); // those go again through upload()
        QObject::connect(&cancelPoll, &QTimer::timeout, &loop, [&] {
            if (m_cancel && m_cancel->load())
                abortAll();
        });
        cancelPoll.start(50);
        idle.start();
        launch();
        if (inFlight > 0)
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        for (QNetworkReply* r : replies) {
            if (r)
                r->deleteLater();
        }
    }
    for (size_t i = 0; i < n; ++i) {
        if (answered[i])
            continue;
        if (m_cancel && m_cancel->load()) {
            out[i] = makeError(QStringLiteral("cancelled"), errc::cancelled);
            continue;
        }
        out[i] = upload(route, args[i], data[i]);
    }
    return out;
}

} // namespace muze::remote
