#include "instancerouter.h"

#include <muze/auth/dropboxconfig.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QtEndian>

namespace muze::gui {
namespace {

constexpr quint32 kMaxMessage = 64 * 1024;

QByteArray encode(const QStringList& arguments)
{
    Json array = Json::array();
    for (const QString& a : arguments)
        array.push_back(toStd(a));
    const QByteArray body = QByteArray::fromStdString(array.dump());
    QByteArray head(4, Qt::Uninitialized);
    qToBigEndian<quint32>(quint32(body.size()), head.data());
    return head + body;
}

} // namespace

QList<QUrl> appSchemeUrls(const QStringList& arguments)
{
    QList<QUrl> urls;
    for (const QString& a : arguments) {
        const QUrl url(a, QUrl::StrictMode);
        if (url.isValid() && url.scheme().compare(auth::kAppScheme, Qt::CaseInsensitive) == 0)
            urls << url;
    }
    return urls;
}

InstanceRouter::InstanceRouter(QString key, QObject* parent)
    : QObject(parent)
    , m_name(std::move(key))
{
}

InstanceRouter::~InstanceRouter() = default;

QString InstanceRouter::keyFor(const QString& configDir)
{
    const QString dir = configDir.isEmpty() ? qEnvironmentVariable("MUZE_CONFIG_DIR") : configDir;
    const QString who = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
    const QByteArray id = (who + QLatin1Char('\n') + (dir.isEmpty() ? QString() : QDir(dir).absolutePath())).toUtf8();
    return QStringLiteral("muze-")
        + QString::fromLatin1(QCryptographicHash::hash(id, QCryptographicHash::Sha256).toHex().left(20));
}

bool InstanceRouter::forwardToRunning(const QStringList& arguments, int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_name);
    if (!socket.waitForConnected(timeoutMs))
        return false;
    socket.write(encode(arguments));
    if (!socket.waitForBytesWritten(timeoutMs))
        return false;
    QByteArray answer;
    while (!answer.contains('\n') && socket.waitForReadyRead(timeoutMs))
        answer += socket.readAll();
    return answer.startsWith("ok");
}

Status InstanceRouter::listen()
{
    if (isListening())
        return {};
    // A live instance answers; a socket left by a crashed one does not and is taken over.
    // (Ask first: with access options Qt binds elsewhere and renames over the old socket.)
    QLocalSocket probe;
    probe.connectToServer(m_name);
    if (probe.waitForConnected(500))
        return makeError(QStringLiteral("another Muze is running for these settings"), errc::busy);
    delete m_server;
    m_server = new QLocalServer(this);
    m_server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!m_server->listen(m_name)) {
        QLocalServer::removeServer(m_name);
        if (!m_server->listen(m_name))
            return makeError(
                QStringLiteral("cannot listen for other launches of Muze: %1").arg(m_server->errorString()), errc::io);
    }
    connect(m_server, &QLocalServer::newConnection, this, &InstanceRouter::onConnection);
    return {};
}

bool InstanceRouter::isListening() const
{
    return m_server && m_server->isListening();
}

void InstanceRouter::openUrl(const QUrl& url)
{
    if (url.scheme().compare(auth::kAppScheme, Qt::CaseInsensitive) == 0)
        Q_EMIT urlReceived(url);
}

void InstanceRouter::onConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QLocalSocket::readyRead, this, [this, socket] { onData(socket); });
    }
}

void InstanceRouter::onData(QLocalSocket* socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    if (buffer.size() < 4)
        return;
    const quint32 size = qFromBigEndian<quint32>(buffer.constData());
    if (size > kMaxMessage) {
        socket->abort();
        return;
    }
    if (quint32(buffer.size()) < 4 + size)
        return;
    auto json = parseJson(buffer.mid(4, size), QStringLiteral("a message from another launch"));
    QStringList arguments;
    if (json && json->is_array()) {
        for (const Json& item : *json)
            if (item.is_string())
                arguments << QString::fromStdString(item.get<std::string>());
    }
    socket->write(json && json->is_array() ? "ok\n" : "bad\n");
    socket->flush();
    socket->disconnectFromServer();
    if (!json || !json->is_array())
        return;
    qCInfo(lcGui) << "another launch handed over" << arguments.size() << "argument(s)";
    Q_EMIT argumentsReceived(arguments);
    for (const QUrl& url : appSchemeUrls(arguments))
        Q_EMIT urlReceived(url);
}

} // namespace muze::gui
