#include "emulator.h"

#include <muze/auth/http.h>
#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/util/clock.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QThread>

#include <stdexcept>

namespace muze::test {
namespace {

// One CA for the whole test process (the fixture reuses the files in its TLS dir).
QString tlsDir()
{
    static TempDir dir;
    return dir.path();
}

} // namespace

Emulator::Emulator(EmulatorOptions options) : m_options(options), m_appKey(QStringLiteral("muze-test-") + newId())
{
    QStringList args = {sourcePath(QStringLiteral("tests/emulator/emulator_fixture.py")), QStringLiteral("start"),
                        QStringLiteral("--data"), m_data.filePath(QStringLiteral("account")),
                        QStringLiteral("--tls-dir"), tlsDir(),
                        QStringLiteral("--app-key"), m_appKey,
                        QStringLiteral("--longpoll-min"), QString::number(options.longpollMin),
                        QStringLiteral("--longpoll-jitter"), QString::number(options.longpollJitter),
                        QStringLiteral("--log"), m_data.filePath(QStringLiteral("emulator.log"))};
    // Muze's loopback sign-in address, "registered" for the app as in the App Console.
    args << QStringLiteral("--redirect-uri")
         << QStringLiteral("http://127.0.0.1:%1%2").arg(auth::kDefaultRedirectPort).arg(auth::kRedirectPath);
    if (options.tokenTtl > 0)
        args << QStringLiteral("--token-ttl") << QString::number(options.tokenTtl);
    if (options.autoApprove)
        args << QStringLiteral("--auto-approve");
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setProgram(QStringLiteral("python3"));
    m_process.setArguments(args);
    m_process.start();
    if (!m_process.waitForStarted(10000))
        throw std::runtime_error("cannot start the Dropbox emulator fixture");
    QByteArray line;
    while (!line.contains('\n')) {
        if (!m_process.waitForReadyRead(30000))
            throw std::runtime_error("the Dropbox emulator did not start: " + m_process.readAllStandardError().toStdString());
        line += m_process.readAllStandardOutput();
    }
    auto info = parseJson(line.left(line.indexOf('\n')), QStringLiteral("emulator fixture"));
    if (!info)
        throw std::runtime_error(info.errorString().toStdString());
    m_baseUrl = jsonString(*info, "base_url");
    m_caCert = jsonString(*info, "ca_cert");
    m_env = info->value("env", Json::object());
    m_env["MUZE_DROPBOX_APP_KEY"] = toStd(m_appKey);
    for (const auto& [name, value] : m_env.items())
        qputenv(name.c_str(), QByteArray::fromStdString(value.get<std::string>()));
}

Emulator::~Emulator()
{
    m_process.terminate();
    if (!m_process.waitForFinished(10000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    auth::KeychainTokenStore(m_appKey).remove().ok();
}

QString Emulator::serverCert() const { return QFileInfo(m_caCert).dir().filePath(QStringLiteral("server.crt")); }

QStringList Emulator::env() const
{
    QStringList out;
    for (const auto& [name, value] : m_env.items())
        out << QString::fromStdString(name) + QLatin1Char('=') + QString::fromStdString(value.get<std::string>());
    return out;
}

auth::DropboxEndpoints Emulator::endpoints() const
{
    auth::DropboxEndpoints e;
    e.api = e.content = e.notify = QUrl(m_baseUrl);
    e.authorize = QUrl(m_baseUrl + QStringLiteral("/oauth2/authorize"));
    return e;
}

Json Emulator::admin(const QByteArray& method, const QString& name, const Json& body)
{
    Result<auth::HttpResponse> reply = makeError(QStringLiteral("not run"));
    QThread* thread = QThread::create([&] {
        QNetworkAccessManager nam;
        auth::HttpRequest req;
        req.url = QUrl(m_baseUrl + QStringLiteral("/__admin/") + name);
        req.verb = method;
        req.headers = {{"Content-Type", "application/json"}};
        if (!body.is_null())
            req.body = QByteArray::fromStdString(body.dump());
        reply = auth::sendBlocking(nam, req);
    });
    thread->start();
    thread->wait();
    delete thread;
    if (!reply || reply->status != 200)
        throw std::runtime_error("emulator admin " + name.toStdString() + " failed: "
                                 + (reply ? QString::fromUtf8(reply->body) : reply.errorString()).toStdString());
    auto json = parseJson(reply->body.isEmpty() ? QByteArray("null") : reply->body, name);
    return json ? *json : Json();
}

void Emulator::allowRedirectUri(const QString& uri)
{
    admin("POST", QStringLiteral("redirect_uris"), Json{{"uris", Json::array({toStd(uri)})}});
}

Json Emulator::signIn()
{
    const Json answer = admin("POST", QStringLiteral("token"), Json{{"offline", true}, {"client_id", toStd(m_appKey)}});
    auth::Tokens previous;
    previous.appKey = m_appKey;
    auto tokens = auth::Tokens::fromTokenResponse(answer, clock().now(), previous);
    if (!tokens)
        throw std::runtime_error(tokens.errorString().toStdString());
    if (Status s = auth::KeychainTokenStore(m_appKey).save(*tokens); !s)
        throw std::runtime_error(s.errorString().toStdString());
    return answer;
}

void Emulator::signOut() { auth::KeychainTokenStore(m_appKey).remove().ok(); }

std::unique_ptr<remote::DropboxRemote> Emulator::remote(const QString& folder, remote::DropboxRemoteOptions options)
{
    options.folder = folder;
    options.client.backoffBaseMs = 20;
    options.client.backoffMaxMs = 500;
    options.longpollMinSeconds = m_options.longpollMin;
    return std::make_unique<remote::DropboxRemote>(endpoints(), auth::keychainTokenManager(m_appKey, endpoints()),
                                                   options);
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray out(size, Qt::Uninitialized);
    quint32 x = seed * 2654435761u + 1;
    for (qint64 i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out[i] = char(x & 0xff);
    }
    return out;
}

} // namespace muze::test
