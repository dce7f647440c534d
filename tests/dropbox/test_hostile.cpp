// A hostile or broken server: a tiny fake speaking just enough HTTP, so the remote meets
// answers no honest Dropbox (and so no emulator) would give.
#include "catch.h"

#include <muze/auth/tokenmanager.h>
#include <muze/remote/contenthash.h>
#include <muze/remote/dropboxremote.h>

#include <QBuffer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

using namespace muze;
using namespace muze::remote;

namespace {

struct FakeReply {
    int status = 200;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// Answers each request (route = URL path) with handler(route); one request per connection.
class FakeDropbox {
public:
    std::function<FakeReply(const QByteArray& route)> handler;

    FakeDropbox()
    {
        REQUIRE(m_server.listen(QHostAddress::LocalHost, 0));
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                QObject::connect(s, &QTcpSocket::readyRead, s, [this, s] { onData(s); });
                QObject::connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort())); }

private:
    void onData(QTcpSocket* s)
    {
        QByteArray buf = s->property("buf").toByteArray() + s->readAll();
        s->setProperty("buf", buf);
        const qsizetype end = buf.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        qsizetype length = 0;
        for (const QByteArray& line : buf.left(end).split('\n')) {
            if (line.toLower().startsWith("content-length:"))
                length = line.mid(15).trimmed().toLongLong();
        }
        if (buf.size() < end + 4 + length)
            return;
        const QByteArray route = buf.left(buf.indexOf('\n')).split(' ').value(1);
        const FakeReply r = handler(route);
        QByteArray out = "HTTP/1.1 " + QByteArray::number(r.status) + " X\r\nConnection: close\r\n";
        for (const auto& [k, v] : r.headers)
            out += k + ": " + v + "\r\n";
        out += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n\r\n" + r.body;
        s->write(out);
        s->disconnectFromHost();
    }

    QTcpServer m_server;
};

class StaticStore : public auth::TokenStore {
public:
    Result<std::optional<auth::Tokens>> load() override
    {
        auth::Tokens t;
        t.accessToken = QStringLiteral("token");
        return std::optional<auth::Tokens>(t);
    }
    Status save(const auth::Tokens&) override { return {}; }
    Status remove() override { return {}; }
};

std::unique_ptr<DropboxRemote> remoteOn(const FakeDropbox& fake)
{
    auth::DropboxEndpoints e;
    e.api = e.content = e.notify = fake.url();
    auto tokens = std::make_shared<auth::TokenManager>(
        std::make_shared<StaticStore>(), [](const auth::Tokens&) -> Result<auth::Tokens> {
            return makeError(QStringLiteral("no refresh here"), QStringLiteral("auth"));
        });
    DropboxRemoteOptions o;
    o.folder = QStringLiteral("/Apps/Muze/V");
    o.client.backoffBaseMs = 10;
    return std::make_unique<DropboxRemote>(e, tokens, o);
}

QByteArray fileEntry(const char* lower, const char* display)
{
    return QByteArray(R"({".tag": "file", "name": "x", "id": "id:1", "rev": "0123456789a", "size": 1,)")
        + R"( "server_modified": "2026-01-01T00:00:00Z", "client_modified": "2026-01-01T00:00:00Z",)"
        + R"( "content_hash": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",)"
        + R"( "path_lower": ")" + lower + R"(", "path_display": ")" + display + "\"}";
}

} // namespace

TEST_CASE("entries a server places outside the vault folder or with hostile names are dropped")
{
    FakeDropbox fake;
    fake.handler = [](const QByteArray& route) {
        CHECK(route == "/2/files/list_folder");
        FakeReply r;
        r.headers = {{"Content-Type", "application/json"}};
        r.body = "{\"entries\": [" + fileEntry("/apps/muze/v/ok.json", "/Apps/Muze/V/ok.json") + ", "
            + fileEntry("/apps/muze/v/../../../etc/passwd", "/Apps/Muze/V/../../../etc/passwd") + ", "
            + fileEntry("/apps/other/x.json", "/Apps/Other/x.json") + ", "
            + fileEntry("/apps/muze/v/a\\\\b", "/Apps/Muze/V/a\\\\b") + ", "
            + fileEntry("/apps/muze/v/nul\\u0000.wav", "/Apps/Muze/V/nul\\u0000.wav") + ", "
            + fileEntry("/apps/muze/v/ok2.json", "/Apps/Muze/V/../V/ok2.json")
            + "], \"cursor\": \"c1\", \"has_more\": false}";
        return r;
    };
    auto remote = remoteOn(fake);
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());
    REQUIRE(listed->entries.size() == 1);
    CHECK(listed->entries[0].path == QStringLiteral("ok.json"));
    CHECK(remote->rejectedPaths().size() == 5);
}

TEST_CASE("a download answered with another file's metadata or wrong bytes is refused")
{
    FakeDropbox fake;
    QByteArray resultPath = "/apps/muze/v/other.wav";
    QByteArray body = "x";
    fake.handler = [&](const QByteArray&) {
        FakeReply r;
        r.headers = {{"Content-Type", "application/octet-stream"},
                     {"Dropbox-API-Result", fileEntry(resultPath.constData(), resultPath.constData())}};
        r.body = body;
        return r;
    };
    auto remote = remoteOn(fake);
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto s = remote->download(QStringLiteral("take.wav"), sink);
    REQUIRE(!s.ok());
    CHECK(s.error().code == QStringLiteral("hostile_path"));
    CHECK(sink.data().isEmpty());

    // Right path, but the bytes do not match the announced content_hash (of "" here).
    resultPath = "/apps/muze/v/take.wav";
    body = QByteArray(1, 'x');
    auto corrupt = remote->download(QStringLiteral("take.wav"), sink);
    REQUIRE(!corrupt.ok());
    CHECK(corrupt.error().code == QStringLiteral("corrupt"));
}

TEST_CASE("a take whose bytes differ from its content_hash by one byte is refused")
{
    // 9 MiB: past one 4 MiB hash block, so the bytes are hashed while they arrive.
    QByteArray take(9 * 1024 * 1024 + 123, '\0');
    for (qsizetype i = 0; i < take.size(); ++i)
        take[i] = char((i * 7919) >> 5);
    const QByteArray hash = contentHash(take).toLatin1();
    QByteArray body = take;
    FakeDropbox fake;
    fake.handler = [&](const QByteArray&) {
        FakeReply r;
        r.headers = {{"Content-Type", "application/octet-stream"},
                     {"Dropbox-API-Result",
                      R"({".tag": "file", "name": "take.wav", "id": "id:1", "rev": "0123456789a", "size": )"
                          + QByteArray::number(take.size()) + R"(, "content_hash": ")" + hash
                          + R"(", "server_modified": "2026-01-01T00:00:00Z", "client_modified": )"
                          + R"("2026-01-01T00:00:00Z", "path_lower": "/apps/muze/v/take.wav", )"
                          + R"("path_display": "/Apps/Muze/V/take.wav"})"}};
        r.body = body;
        return r;
    };
    auto remote = remoteOn(fake);

    QBuffer good;
    good.open(QIODevice::WriteOnly);
    REQUIRE(remote->download(QStringLiteral("take.wav"), good).ok());
    CHECK(good.data() == take);

    body[6 * 1024 * 1024 + 17] = char(body[6 * 1024 * 1024 + 17] ^ 0x40); // in the second block
    QBuffer bad;
    bad.open(QIODevice::WriteOnly);
    auto s = remote->download(QStringLiteral("take.wav"), bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == QStringLiteral("corrupt"));
    CHECK(s.error().message.contains(QStringLiteral("content hash mismatch")));
}
