// muze-dropbox-floor --path /bench/x.bin
// The ceiling a client built on Qt Network can reach for one download from the server: the
// file read with QNetworkAccessManager, and with a bare HTTP/1.1 request on a QSslSocket, both
// into a discarding buffer with no hashing and no sink. DropboxRemote::download cannot beat the
// first (it is built on it); the second is what a hand-written client on Qt's TLS would reach.
// Prints one JSON line. Server and token as muze-dropbox-bench (MUZE_DROPBOX_CONTENT_URL,
// MUZE_CA_CERTS, MUZE_BENCH_ACCESS_TOKEN).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUrl>

#include <cstdio>
#include <vector>

namespace {

QSslConfiguration tlsConfig()
{
    QSslConfiguration cfg = QSslConfiguration::defaultConfiguration();
    for (const QString& file : qEnvironmentVariable("MUZE_CA_CERTS").split(QLatin1Char(':'), Qt::SkipEmptyParts))
        cfg.addCaCertificates(QSslCertificate::fromPath(file));
    return cfg;
}

QByteArray apiArg(const QString& path)
{
    return "{\"path\": \"" + path.toUtf8() + "\"}";
}

// Bytes of the body read, or -1.
qint64 withNam(const QUrl& url, const QByteArray& token, const QString& path)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(url);
    req.setSslConfiguration(tlsConfig());
    req.setRawHeader("Authorization", "Bearer " + token);
    req.setRawHeader("Dropbox-API-Arg", apiArg(path));
    QNetworkReply* reply = nam.post(req, QByteArray());
    reply->setReadBufferSize(1 << 20);
    qint64 total = 0;
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::readyRead, &loop, [&] { total += reply->readAll().size(); });
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    const bool ok = reply->error() == QNetworkReply::NoError;
    reply->deleteLater();
    return ok ? total : -1;
}

qint64 withSocket(const QUrl& url, const QByteArray& token, const QString& path)
{
    QSslSocket socket;
    socket.setSslConfiguration(tlsConfig());
    socket.connectToHostEncrypted(url.host(), quint16(url.port(443)));
    if (!socket.waitForEncrypted(10000))
        return -1;
    socket.write("POST " + url.path().toUtf8() + " HTTP/1.1\r\nHost: " + url.host().toUtf8()
        + "\r\nAuthorization: Bearer " + token + "\r\nDropbox-API-Arg: " + apiArg(path)
        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    QByteArray head;
    qint64 length = -1;
    qint64 body = 0;
    std::vector<char> buffer(1 << 20);
    while (length < 0 || body < length) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(10000))
            break;
        if (length < 0) {
            head += socket.readAll();
            const qsizetype end = head.indexOf("\r\n\r\n");
            if (end < 0)
                continue;
            for (const QByteArray& line : head.left(end).split('\n'))
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            if (!head.startsWith("HTTP/1.1 200") || length < 0)
                return -1;
            body = head.size() - end - 4;
            continue;
        }
        body += socket.read(buffer.data(), qint64(buffer.size()));
    }
    return body == length ? body : -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--path"));
    const QByteArray token = qgetenv("MUZE_BENCH_ACCESS_TOKEN");
    QString base = qEnvironmentVariable("MUZE_DROPBOX_CONTENT_URL");
    while (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    if (at < 0 || at + 1 >= args.size() || token.isEmpty() || base.isEmpty()) {
        std::fprintf(
            stderr, "usage: MUZE_BENCH_ACCESS_TOKEN=T MUZE_DROPBOX_CONTENT_URL=U muze-dropbox-floor --path P\n");
        return 2;
    }
    const QString path = args.at(at + 1);
    QUrl url(base);
    url.setPath(url.path() + QStringLiteral("/2/files/download"));

    QElapsedTimer t;
    t.start();
    const qint64 namBytes = withNam(url, token, path);
    const double namSeconds = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    const qint64 socketBytes = withSocket(url, token, path);
    const double socketSeconds = double(t.nsecsElapsed()) / 1e9;
    if (namBytes <= 0 || socketBytes != namBytes) {
        std::fprintf(stderr, "download failed (%lld / %lld bytes)\n", static_cast<long long>(namBytes),
            static_cast<long long>(socketBytes));
        return 1;
    }
    const double mib = double(namBytes) / (1024.0 * 1024.0);
    std::printf("{\"bytes\": %lld, \"nam_s\": %.3f, \"nam_mib_s\": %.1f, \"socket_s\": %.3f, \"socket_mib_s\": %.1f}\n",
        static_cast<long long>(namBytes), namSeconds, mib / namSeconds, socketSeconds, mib / socketSeconds);
    return 0;
}
