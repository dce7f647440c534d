// DropboxRemote against the emulator over TLS: the RemoteStore contract, sessions, and faults.
#include "catch.h"
#include "emulator.h"

#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/remote/contenthash.h>
#include <muze/remote/dropboxremote.h>
#include <muze/sync/remotefactory.h>
#include <muze/vault/vaultrecord.h>

#include <QBuffer>
#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QThread>

using namespace muze;
using namespace muze::remote;
using muze::test::Emulator;
using muze::test::randomBytes;

namespace {

Result<RemoteEntry> put(RemoteStore& r, const QString& path, const QByteArray& data, WriteSpec spec = {},
                        const ProgressFn& progress = {})
{
    QBuffer buf;
    buf.setData(data);
    buf.open(QIODevice::ReadOnly);
    auto e = r.upload(path, buf, data.size(), spec, progress);
    if (!e)
        UNSCOPED_INFO("upload " << path.toStdString() << ": " << e.errorString().toStdString());
    return e;
}

Result<QByteArray> get(RemoteStore& r, const QString& path, qint64 offset = 0, qint64 length = -1,
                       const ProgressFn& progress = {})
{
    QBuffer buf;
    buf.open(QIODevice::WriteOnly);
    if (Status s = r.download(path, buf, offset, length, progress); !s) {
        UNSCOPED_INFO("download " << path.toStdString() << ": " << s.errorString().toStdString());
        return s.error();
    }
    return buf.data();
}

WriteSpec mode(WriteMode m, const QString& rev = {})
{
    WriteSpec s;
    s.mode = m;
    s.rev = rev;
    return s;
}

const RemoteEntry* find(const ChangeSet& c, const QString& path)
{
    for (const RemoteEntry& e : c.entries) {
        if (e.path == path)
            return &e;
    }
    return nullptr;
}

DropboxRemoteOptions smallSessions()
{
    DropboxRemoteOptions o;
    o.sessionThreshold = 64 * 1024;
    o.chunkSize = 100 * 1024;
    return o;
}

} // namespace

TEST_CASE("the Dropbox remote keeps the RemoteStore contract")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Round"));
    REQUIRE(remote->makeFolder(QString()).ok());
    REQUIRE(remote->makeFolder(QString()).ok()); // an existing folder is fine

    const QByteArray v1 = "{\"title\": \"first\"}\n";
    auto e1 = put(*remote, QStringLiteral("collections/c1/collection.json"), v1);
    REQUIRE(e1.ok());
    CHECK(e1->path == QStringLiteral("collections/c1/collection.json"));
    CHECK(e1->contentHash == contentHash(v1));
    CHECK(e1->size == v1.size());
    CHECK(!e1->rev.isEmpty());
    CHECK(*get(*remote, e1->path) == v1);

    // Case-insensitive, case-preserving; NFC and non-ASCII through Dropbox-API-Arg.
    auto st = remote->stat(QStringLiteral("COLLECTIONS/C1/Collection.JSON"));
    REQUIRE(st.ok());
    CHECK(st->path == QStringLiteral("collections/c1/collection.json"));
    const QString fancy = QStringLiteral("audio/Caf\u00e9 \U0001F3B8 take.wav");
    const QByteArray wav = randomBytes(5000, 1);
    REQUIRE(put(*remote, QStringLiteral("audio/Cafe\u0301 \U0001F3B8 take.wav"), wav).ok());
    CHECK(*get(*remote, fancy) == wav);

    auto all = remote->listChanges(QString());
    REQUIRE(all.ok());
    CHECK(all->complete);
    CHECK(!all->cursor.isEmpty());
    REQUIRE(find(*all, QStringLiteral("collections/c1/collection.json")));
    REQUIRE(find(*all, fancy));
    CHECK(find(*all, QStringLiteral("collections"))->isFolder);
    CHECK(!find(*all, QString())); // the vault folder itself is not an entry

    // update(rev): the journal's rev wins, a stale rev is a conflict, equal content is not.
    const QByteArray v2 = "{\"title\": \"second\"}\n";
    auto e2 = put(*remote, e1->path, v2, mode(WriteMode::Update, e1->rev));
    REQUIRE(e2.ok());
    CHECK(e2->rev != e1->rev);
    auto stale = put(*remote, e1->path, "{\"title\": \"third\"}\n", mode(WriteMode::Update, e1->rev));
    REQUIRE(!stale.ok());
    CHECK(stale.error().code == QStringLiteral("conflict"));
    auto same = put(*remote, e1->path, v2, mode(WriteMode::Update, e1->rev));
    REQUIRE(same.ok());
    CHECK(same->rev == e2->rev);
    auto added = put(*remote, e1->path, "other", mode(WriteMode::Add));
    REQUIRE(!added.ok());
    CHECK(added.error().code == QStringLiteral("conflict"));
    REQUIRE(put(*remote, e1->path, v1, mode(WriteMode::Overwrite)).ok());

    // Changes since the cursor, including deletions; a stale rev does not delete.
    auto current = remote->stat(e1->path);
    REQUIRE(current.ok());
    auto refused = remote->remove(e1->path, e1->rev);
    REQUIRE(!refused.ok());
    CHECK(refused.error().code == QStringLiteral("conflict"));
    REQUIRE(remote->remove(e1->path, current->rev).ok());
    auto gone = remote->stat(e1->path);
    REQUIRE(!gone.ok());
    CHECK(gone.error().code == QStringLiteral("not_found"));
    auto missing = get(*remote, e1->path);
    REQUIRE(!missing.ok());
    CHECK(missing.error().code == QStringLiteral("not_found"));

    auto changes = remote->listChanges(all->cursor);
    REQUIRE(changes.ok());
    CHECK(!changes->complete);
    const RemoteEntry* del = find(*changes, e1->path);
    REQUIRE(del);
    CHECK(del->deleted);

    auto space = remote->spaceUsage();
    REQUIRE(space.ok());
    CHECK(space->used >= wav.size());
    CHECK(space->allocated > space->used);

    // Ranged reads.
    CHECK(*get(*remote, fancy, 100, 50) == wav.mid(100, 50));
    CHECK(*get(*remote, fancy, 4990) == wav.mid(4990));
    // Hostile paths never leave the process.
    CHECK(put(*remote, QStringLiteral("../escape.json"), "x").error().code == QStringLiteral("hostile_path"));
    CHECK(get(*remote, QStringLiteral("a/../../b")).error().code == QStringLiteral("hostile_path"));
}

TEST_CASE("files above the threshold go through an upload session and keep client_modified")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Big"), smallSessions());
    const QByteArray data = randomBytes(1024 * 1024 + 123, 2);
    const int before = remote->client().stats().requests;
    qint64 lastProgress = 0;
    WriteSpec spec;
    spec.clientModified = QDateTime(QDate(2026, 3, 4), QTime(5, 6, 7), Qt::UTC);
    auto e = put(*remote, QStringLiteral("audio/big.wav"), data, spec, [&](qint64 done, qint64 total) {
        CHECK(total == data.size());
        CHECK(done >= lastProgress);
        lastProgress = done;
        return true;
    });
    REQUIRE(e.ok());
    CHECK(lastProgress == data.size());
    CHECK(e->contentHash == contentHash(data));
    CHECK(e->clientModified == spec.clientModified);
    CHECK(remote->client().stats().requests - before >= 11); // start + 9 appends + finish
    CHECK(*get(*remote, QStringLiteral("audio/big.wav")) == data);
}

TEST_CASE("a dropped connection in the middle of a session upload resumes at correct_offset")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Drop"), smallSessions());
    const QByteArray data = randomBytes(700 * 1024 + 5, 3);
    // Cut mid-request (nothing stored), cut after storing (the answer is lost: the retry hears
    // incorrect_offset), and lose the finish's answer (the file is committed already).
    emu.addFault(Json{{"kind", "drop_request"}, {"route", "upload_session/append_v2"}, {"after_bytes", 30000}});
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "upload_session/append_v2"}, {"count", 2}});
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "upload_session/finish"}});
    auto e = put(*remote, QStringLiteral("audio/resumed.wav"), data);
    REQUIRE(e.ok());
    CHECK(e->contentHash == contentHash(data));
    CHECK(remote->client().stats().retries >= 3);
    CHECK(*get(*remote, QStringLiteral("audio/resumed.wav")) == data);
    CHECK(emu.admin("GET", QStringLiteral("faults")).dump().find("drop") == std::string::npos); // all were hit

    // The same for a single-request upload whose answer is lost: the retry finds the bytes there.
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "files/upload"}});
    auto small = put(*remote, QStringLiteral("mix.json"), "{\"gain\": 1}");
    REQUIRE(small.ok());
    CHECK(small->contentHash == contentHash("{\"gain\": 1}"));
}

TEST_CASE("a dropped download resumes with a Range at the byte it reached")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Down"));
    const QByteArray data = randomBytes(3 * 1024 * 1024 + 17, 4);
    REQUIRE(put(*remote, QStringLiteral("audio/long.wav"), data).ok());
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "files/download"}, {"after_bytes", 1000000}, {"count", 2}});
    auto got = get(*remote, QStringLiteral("audio/long.wav"));
    REQUIRE(got.ok());
    CHECK(got->size() == data.size());
    CHECK(*got == data);

    // A range that is cut is resumed inside the range.
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "files/download"}, {"after_bytes", 5000}});
    auto part = get(*remote, QStringLiteral("audio/long.wav"), 100000, 20000);
    REQUIRE(part.ok());
    CHECK(*part == data.mid(100000, 20000));
}

TEST_CASE("429 storms and 5xx answers are waited out and a long Retry-After is reported")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Busy"));
    emu.addFault(Json{{"kind", "rate_limit"}, {"route", "files/upload"}, {"count", 2}, {"retry_after", 1}});
    emu.addFault(Json{{"kind", "rate_limit"}, {"route", "files/upload"}, {"count", 1}, {"retry_after", 1},
                      {"reason", "too_many_write_operations"}});
    QElapsedTimer timer;
    timer.start();
    auto e = put(*remote, QStringLiteral("a.json"), "{}");
    REQUIRE(e.ok());
    CHECK(timer.elapsed() >= 2500); // three waits of Retry-After: 1
    CHECK(remote->client().stats().rateLimited == 3);

    emu.addFault(Json{{"kind", "server_error"}, {"route", "files/list_folder"}, {"count", 2}, {"status", 500}});
    emu.addFault(Json{{"kind", "server_error"}, {"route", "files/download"}, {"count", 1}, {"status", 503}});
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());
    CHECK(find(*listed, QStringLiteral("a.json")));
    CHECK(*get(*remote, QStringLiteral("a.json")) == QByteArray("{}"));

    // Past the retry budget: "offline" for 5xx, "rate_limited" with the server's wait for 429.
    emu.addFault(Json{{"kind", "server_error"}, {"route", "files/get_metadata"}, {"count", nullptr}});
    auto down = remote->stat(QStringLiteral("a.json"));
    REQUIRE(!down.ok());
    CHECK(down.error().code == QStringLiteral("offline"));
    emu.clearFaults();
    emu.addFault(Json{{"kind", "rate_limit"}, {"route", "files/get_metadata"}, {"retry_after", 300}});
    auto limited = remote->stat(QStringLiteral("a.json"));
    REQUIRE(!limited.ok());
    CHECK(limited.error().code == QStringLiteral("rate_limited"));
    CHECK(remote->retryAfterSeconds() == 300);
    CHECK(remote->stat(QStringLiteral("a.json")).ok());
}

TEST_CASE("an access token that expires mid-transfer is refreshed and the transfer goes on")
{
    Emulator emu;
    const Json first = emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Expire"), smallSessions());
    const QByteArray data = randomBytes(500 * 1024, 5);
    bool expired = false;
    auto up = put(*remote, QStringLiteral("audio/x.wav"), data, {}, [&](qint64 done, qint64) {
        if (!expired && done > 0) { // between two session requests
            emu.expireTokens();
            expired = true;
        }
        return true;
    });
    REQUIRE(up.ok());
    CHECK(remote->client().stats().refreshes == 1);

    // A download cut mid-body whose resume meets an expired token.
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "files/download"}, {"after_bytes", 200000}});
    bool expiredAgain = false;
    auto down = get(*remote, QStringLiteral("audio/x.wav"), 0, -1, [&](qint64 done, qint64) {
        if (!expiredAgain && done > 0) {
            emu.expireTokens();
            expiredAgain = true;
        }
        return true;
    });
    REQUIRE(down.ok());
    CHECK(*down == data);
    CHECK(remote->client().stats().refreshes == 2);

    // The refreshed token was saved to the keychain.
    auto stored = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    CHECK((*stored)->accessToken != QString::fromStdString(first["access_token"].get<std::string>()));
    CHECK((*stored)->refreshToken == QString::fromStdString(first["refresh_token"].get<std::string>()));
}

TEST_CASE("short-lived tokens are refreshed before they expire and a revoked sign-in asks to connect again")
{
    test::EmulatorOptions o;
    o.tokenTtl = 4;
    Emulator emu(o);
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Ttl"));
    REQUIRE(remote->makeFolder(QString()).ok());
    QThread::sleep(4);
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());
    CHECK(remote->client().stats().refreshes == 0); // refreshed ahead of time, never a 401

    // Revoke everything (another device signed out): the remote says "auth".
    auto fresh = emu.remote(QStringLiteral("/Apps/Muze/Ttl"));
    auto tokens = auth::KeychainTokenStore(emu.appKey()).load();
    REQUIRE(tokens.ok());
    QNetworkAccessManager nam;
    REQUIRE(auth::revokeToken(nam, emu.endpoints(), (*tokens)->accessToken).ok());
    auto denied = fresh->listChanges(QString());
    REQUIRE(!denied.ok());
    CHECK(denied.error().code == QStringLiteral("auth"));
}

TEST_CASE("a cursor reset gives a complete relisting")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Reset"));
    REQUIRE(put(*remote, QStringLiteral("one.json"), "1").ok());
    auto first = remote->listChanges(QString());
    REQUIRE(first.ok());
    REQUIRE(put(*remote, QStringLiteral("two.json"), "2").ok());
    emu.resetCursors();
    auto again = remote->listChanges(first->cursor);
    REQUIRE(again.ok());
    CHECK(again->complete);
    CHECK(find(*again, QStringLiteral("one.json")));
    CHECK(find(*again, QStringLiteral("two.json")));
    auto after = remote->listChanges(again->cursor);
    REQUIRE(after.ok());
    CHECK(after->entries.empty());
}

TEST_CASE("longpoll wakes on a change from another client and honours backoff")
{
    Emulator emu;
    emu.signIn();
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Poll"));
    REQUIRE(remote->makeFolder(QString()).ok());
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());

    QElapsedTimer timer;
    timer.start();
    auto quiet = remote->waitForChanges(listed->cursor, 1);
    REQUIRE(quiet.ok());
    CHECK(!*quiet);
    CHECK(timer.elapsed() < 4000);

    // Another device writes while we wait.
    QThread* writer = QThread::create([&emu] {
        QThread::msleep(700);
        auto other = emu.remote(QStringLiteral("/Apps/Muze/Poll"));
        QBuffer buf;
        buf.setData("new");
        buf.open(QIODevice::ReadOnly);
        other->upload(QStringLiteral("news.json"), buf, 3, {}).ok();
    });
    writer->start();
    timer.restart();
    auto woke = remote->waitForChanges(listed->cursor, 20);
    writer->wait();
    delete writer;
    REQUIRE(woke.ok());
    CHECK(*woke);
    CHECK(timer.elapsed() < 10000);
    auto news = remote->listChanges(listed->cursor);
    REQUIRE(news.ok());
    CHECK(find(*news, QStringLiteral("news.json")));

    emu.addFault(Json{{"kind", "backoff"}, {"seconds", 2}});
    REQUIRE(remote->waitForChanges(news->cursor, 1).ok());
    timer.restart();
    REQUIRE(remote->waitForChanges(news->cursor, 3).ok());
    CHECK(timer.elapsed() >= 1800); // waited out the backoff before polling again
}

TEST_CASE("the remote of a Dropbox vault record is built from the environment")
{
    Emulator emu; // sets MUZE_DROPBOX_* and MUZE_CA_CERTS for this process
    vault::VaultRecord record;
    record.name = QStringLiteral("Band");
    record.provider = vault::Provider::Dropbox;
    record.dropboxFolderPath = QStringLiteral("/Apps/Muze/Band");

    auto signedOut = sync::createRemote(record);
    REQUIRE(!signedOut.ok());
    CHECK(signedOut.error().code == QStringLiteral("auth"));

    emu.signIn();
    REQUIRE(ensureDropboxFolder(record.dropboxFolderPath).ok());
    auto remote = sync::createRemote(record);
    REQUIRE(remote.ok());
    CHECK((*remote)->kind() == QStringLiteral("dropbox"));
    auto listed = (*remote)->listChanges(QString());
    REQUIRE(listed.ok());
    CHECK(listed->complete);
    CHECK(listed->entries.empty());

    // A vault whose folder was never made (created offline): its first listing makes it.
    record.dropboxFolderPath = QStringLiteral("/Apps/Muze/Fresh");
    auto fresh = sync::createRemote(record);
    REQUIRE(fresh.ok());
    auto first = (*fresh)->listChanges(QString());
    REQUIRE(first.ok());
    CHECK(first->complete);
    auto made = (*fresh)->stat(QString());
    REQUIRE(made.ok());
    CHECK(made->isFolder);

    record.dropboxFolderPath.clear();
    CHECK(sync::createRemote(record).error().code == QStringLiteral("config"));
}
