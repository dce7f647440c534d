#include <muze/auth/oauthpkce.h>

#include <muze/auth/http.h>
#include <muze/auth/pkce.h>
#include <muze/util/clock.h>
#include <muze/util/logging.h>

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

namespace muze::auth {
namespace {

constexpr qsizetype kMaxRequestHead = 16 * 1024;

QByteArray page(const QString& title, const QString& text)
{
    const QString html = QStringLiteral(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>%1</title></head>"
        "<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>")
                             .arg(title.toHtmlEscaped(), text.toHtmlEscaped());
    return html.toUtf8();
}

void respond(QTcpSocket* socket, int status, const QByteArray& body)
{
    if (!socket)
        return;
    const QByteArray reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Bad Request";
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    head += "Content-Type: text/html; charset=utf-8\r\nCache-Control: no-store\r\nConnection: close\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    socket->write(head + body);
    socket->flush();
    socket->waitForBytesWritten(1000); // loopback: immediate; the caller may exit right after
    socket->disconnectFromHost();
}

// Form-style query: '+' is a space (Dropbox's error_description uses it).
QString queryItem(const QUrlQuery& query, const char* name)
{
    QString raw = query.queryItemValue(QString::fromLatin1(name), QUrl::FullyEncoded);
    raw.replace(QLatin1Char('+'), QLatin1String("%20"));
    return QUrl::fromPercentEncoding(raw.toLatin1());
}

} // namespace

OAuthPkce::OAuthPkce(Options options, QObject* parent) : QObject(parent), m_options(std::move(options)) {}

OAuthPkce::~OAuthPkce() = default;

Status OAuthPkce::start()
{
    if (m_options.appKey.isEmpty())
        return makeError(QStringLiteral("no Dropbox app key (set MUZE_DROPBOX_APP_KEY or the dropbox/app_key setting)"),
            errc::config);
    m_verifier = newCodeVerifier();
    m_state = newOAuthState();
    m_result.reset();
    m_codeReceived = false;
    m_fallbackReason.clear();
    m_mode = m_options.redirect;
    delete m_server;
    m_server = nullptr;
    if (!m_nam)
        m_nam = new QNetworkAccessManager(this);
    m_started = true;
    if (m_mode != Redirect::Loopback)
        return {};
    m_server = new QTcpServer(this);
    if (!m_server->listen(QHostAddress::LocalHost, m_options.port)) {
        const QString why = QStringLiteral("cannot listen on 127.0.0.1:%1 for the sign-in redirect: %2")
                                .arg(m_options.port)
                                .arg(m_server->errorString());
        delete m_server;
        m_server = nullptr;
        if (!m_options.pasteWhenPortBusy)
            return makeError(why, errc::io);
        // Dropbox accepts only the registered redirect URI, so another port would be refused:
        // sign in without a redirect instead (Dropbox shows a code to paste).
        m_mode = Redirect::Paste;
        m_fallbackReason = why;
        qCInfo(lcAuth) << why << "- signing in with a pasted code instead";
        return {};
    }
    connect(m_server, &QTcpServer::newConnection, this, &OAuthPkce::onConnection);
    return {};
}

quint16 OAuthPkce::port() const { return m_server ? m_server->serverPort() : m_options.port; }

QUrl OAuthPkce::redirectUri() const
{
    if (m_mode == Redirect::Paste)
        return {};
    if (m_mode == Redirect::AppScheme)
        return QUrl(kAppSchemeRedirect);
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(QStringLiteral("127.0.0.1"));
    url.setPort(port());
    url.setPath(kRedirectPath);
    return url;
}

QUrl OAuthPkce::authorizeUrl() const
{
    QUrl url = m_options.endpoints.authorize;
    QUrlQuery q;
    auto add = [&q](const char* name, const QString& value) {
        q.addQueryItem(QString::fromLatin1(name), QString::fromLatin1(QUrl::toPercentEncoding(value)));
    };
    add("client_id", m_options.appKey);
    add("response_type", QStringLiteral("code"));
    add("code_challenge", codeChallengeS256(m_verifier));
    add("code_challenge_method", QStringLiteral("S256"));
    add("token_access_type", QStringLiteral("offline"));
    if (m_mode != Redirect::Paste) { // without a redirect Dropbox shows the code; no state travels
        add("redirect_uri", redirectUri().toString());
        add("state", m_state);
    }
    if (m_options.forceReauthentication)
        add("force_reauthentication", QStringLiteral("true"));
    url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

void OAuthPkce::submitCode(const QString& code)
{
    if (m_mode != Redirect::Paste || m_codeReceived || isFinished())
        return;
    const QString trimmed = code.trimmed();
    if (trimmed.isEmpty()) {
        finish(makeError(QStringLiteral("no code was pasted: sign-in abandoned"), errc::auth));
        return;
    }
    m_codeReceived = true;
    Q_EMIT redirectReceived();
    exchangeCode(trimmed);
}

bool OAuthPkce::handleRedirect(const QUrl& url)
{
    const QUrl expected(kAppSchemeRedirect);
    if (m_mode != Redirect::AppScheme || !m_started || m_codeReceived || isFinished()
        || url.scheme().compare(expected.scheme(), Qt::CaseInsensitive) != 0
        || url.host().compare(expected.host(), Qt::CaseInsensitive) != 0 || (!url.path().isEmpty() && url.path() != QLatin1String("/")))
        return false;
    const QUrlQuery query(url);
    QString why;
    const QString code = takeRedirect([&query](const char* name) { return queryItem(query, name); }, &why);
    if (code.isEmpty()) {
        if (!isFinished())
            finish(makeError(why, errc::auth));
        return true;
    }
    exchangeCode(code);
    return true;
}

QString OAuthPkce::takeRedirect(const std::function<QString(const char*)>& item, QString* why)
{
    if (item("state") != m_state) {
        *why = QStringLiteral("The sign-in answer did not match this request (state mismatch).");
        finish(makeError(QStringLiteral("the redirect's state did not match: sign-in abandoned"), errc::auth));
        return {};
    }
    if (const QString error = item("error"); !error.isEmpty()) {
        *why = item("error_description").isEmpty() ? error : item("error_description");
        finish(makeError(QStringLiteral("Dropbox sign-in was not approved: %1").arg(*why), errc::auth));
        return {};
    }
    const QString code = item("code");
    if (code.isEmpty()) {
        *why = QStringLiteral("No authorization code.");
        return {};
    }
    m_codeReceived = true;
    Q_EMIT redirectReceived();
    return code;
}

void OAuthPkce::onConnection()
{
    while (QTcpSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onSocketData(socket); });
    }
}

void OAuthPkce::onSocketData(QTcpSocket* socket)
{
    QByteArray head = socket->property("head").toByteArray() + socket->readAll();
    socket->setProperty("head", head);
    if (!head.contains("\r\n\r\n")) {
        if (head.size() > kMaxRequestHead)
            respond(socket, 400, page(QStringLiteral("Bad request"), QStringLiteral("Request too large.")));
        return;
    }
    const QList<QByteArray> requestLine = head.left(head.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3 || requestLine[0] != "GET") {
        respond(socket, 400, page(QStringLiteral("Bad request"), QStringLiteral("Expected a GET request.")));
        return;
    }
    const QUrl target(QString::fromLatin1(requestLine[1]));
    if (target.path() != kRedirectPath || m_codeReceived || isFinished()) {
        respond(socket, 404, page(QStringLiteral("Not found"), QStringLiteral("Nothing here.")));
        return;
    }
    const QUrlQuery query(target);
    QString why;
    const QString code = takeRedirect([&query](const char* name) { return queryItem(query, name); }, &why);
    if (code.isEmpty()) {
        if (isFinished() && m_result->error().message.contains(QLatin1String("not approved")))
            respond(socket, 200, page(QStringLiteral("Muze was not connected"), why));
        else
            respond(socket, 400, page(QStringLiteral("Sign-in failed"), why));
        return;
    }
    socket->setProperty("waiting", true);
    connect(this, &OAuthPkce::finished, socket, [this, socket] {
        if (m_result && m_result->ok())
            respond(socket, 200, page(QStringLiteral("Muze is connected to Dropbox"),
                                      QStringLiteral("You can close this tab and return to Muze.")));
        else
            respond(socket, 200, page(QStringLiteral("Muze was not connected"),
                                      m_result ? m_result->errorString() : QString()));
    });
    exchangeCode(code);
}

void OAuthPkce::exchangeCode(const QString& code)
{
    QNetworkRequest req(m_options.endpoints.token());
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
    applyExtraCaCertificates(req);
    QList<QPair<QString, QString>> fields = {{QStringLiteral("code"), code},
                                             {QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                             {QStringLiteral("code_verifier"), m_verifier},
                                             {QStringLiteral("client_id"), m_options.appKey}};
    if (m_mode != Redirect::Paste) // must equal the one the authorize request named
        fields.append({QStringLiteral("redirect_uri"), redirectUri().toString()});
    const QByteArray body = formEncode(fields);
    QNetworkReply* reply = m_nam->post(req, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray data = reply->readAll();
        if (status == 0) {
            finish(makeError(QStringLiteral("cannot reach Dropbox to finish the sign-in: %1").arg(reply->errorString()),
                errc::offline));
            return;
        }
        auto json = parseJson(data, QStringLiteral("the token endpoint's answer"));
        if (status != 200 || !json) {
            const QString err = json ? jsonString(*json, "error_description", jsonString(*json, "error")) : QString();
            finish(makeError(QStringLiteral("Dropbox refused the sign-in: %1")
                                 .arg(err.isEmpty() ? QStringLiteral("HTTP %1").arg(status) : err),
                errc::auth));
            return;
        }
        Tokens previous;
        previous.appKey = m_options.appKey;
        finish(Tokens::fromTokenResponse(*json, clock().now(), previous));
    });
}

void OAuthPkce::finish(Result<Tokens> result)
{
    if (m_result)
        return;
    m_result = std::move(result);
    if (m_server)
        m_server->close();
    if (m_result->ok())
        qCInfo(lcAuth) << "signed in to Dropbox, account" << (*m_result)->accountId;
    else
        qCInfo(lcAuth) << "sign-in failed:" << m_result->errorString();
    Q_EMIT finished();
}

void OAuthPkce::cancel()
{
    finish(makeError(QStringLiteral("sign-in cancelled"), errc::cancelled));
}

Result<Tokens> OAuthPkce::result() const
{
    if (!m_result)
        return makeError(QStringLiteral("sign-in still running"), errc::pending);
    return *m_result;
}

Result<Tokens> OAuthPkce::waitForTokens(int timeoutMs)
{
    if (!m_started)
        if (Status s = start(); !s)
            return s.error();
    if (!m_result) {
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop,
            [this] { finish(makeError(QStringLiteral("no answer from the browser in time"), errc::timeout)); });
        connect(this, &OAuthPkce::finished, &loop, &QEventLoop::quit);
        timer.start(timeoutMs);
        loop.exec();
    }
    return *m_result;
}

} // namespace muze::auth
