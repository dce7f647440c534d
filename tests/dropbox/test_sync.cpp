// The whole engine over Dropbox: two devices (config dirs) driving the real muze-cli against
// the emulator over TLS, plain and encrypted, with the official Python SDK as a third writer,
// and faults while they sync.
#include "catch.h"
#include "devices.h"
#include "emulator.h"

#include <muze/remote/contenthash.h>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QtEndian>

using namespace muze;
using muze::test::Emulator;
using namespace muze::test::dropbox;

TEST_CASE("two devices sync a vault through Dropbox and the official SDK writes in as a third")
{
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    const Band band = makeBand(a, dir);

    sync(a);
    sync(b);
    CHECK(b.cli({QStringLiteral("ls")}).out.contains("Main"));
    CHECK(syncedFiles(a) == syncedFiles(b));

    // Edits on both devices merge; the take went up in a session and came down intact.
    REQUIRE(a.cli({QStringLiteral("edit"), band.mid, QStringLiteral("name=Main (live)")}).exitCode == 0);
    REQUIRE(b.cli({QStringLiteral("edit"), band.mid, QStringLiteral("tempo=100")}).exitCode == 0);
    sync(a);
    sync(b);
    sync(a);
    const QByteArray mixA = test::readAll(a.file(band.mixFile));
    CHECK(mixA.contains("Main (live)"));
    CHECK(mixA.contains("100"));
    CHECK(mixA == test::readAll(b.file(band.mixFile)));
    CHECK(syncedFiles(a) == syncedFiles(b));

    // A third writer with the official SDK renames the collection on Dropbox itself.
    const QString collectionFile = QStringLiteral("collections/%1/collection.json").arg(band.cid);
    auto third = sdk(emu, token, QStringLiteral(R"PY(
import json, os, dropbox
from dropbox.files import WriteMode
dbx = dropbox.Dropbox(oauth2_access_token=os.environ["TOKEN"])
path = "/apps/muze/band/%1"
md, resp = dbx.files_download(path)
doc = json.loads(resp.content)
doc["name"] = "Songs (from the SDK)"
dbx.files_upload(json.dumps(doc, indent=2).encode() + b"\n", path, mode=WriteMode.update(md.rev))
)PY").arg(collectionFile));
    INFO(third.err.toStdString());
    REQUIRE(third.exitCode == 0);
    sync(a);
    sync(b);
    CHECK(test::readAll(a.file(collectionFile)).contains("Songs (from the SDK)"));
    CHECK(b.cli({QStringLiteral("ls")}).out.contains("Songs (from the SDK)"));
    CHECK(syncedFiles(a) == syncedFiles(b));

    // Each device listed itself in the vault's device list, which went through Dropbox.
    const auto listed = a.cli({QStringLiteral("--json"), QStringLiteral("devices")});
    REQUIRE(listed.exitCode == 0);
    const Json devices = Json::parse(listed.out.toStdString())["devices"];
    REQUIRE(devices.size() == 2);
    CHECK(devices[0]["name"] != devices[1]["name"]);
    auto onDropbox = sdk(emu, token, QStringLiteral(R"PY(
import os, dropbox
dbx = dropbox.Dropbox(oauth2_access_token=os.environ["TOKEN"])
print(sorted(e.name for e in dbx.files_list_folder("/apps/muze/band/.muze/devices").entries))
)PY"));
    INFO(onDropbox.err.toStdString());
    CHECK(onDropbox.out.contains("a0000dev.json"));
    CHECK(onDropbox.out.contains("b0000dev.json"));
}

TEST_CASE("an encrypted vault syncs through Dropbox and Dropbox only ever sees ciphertext")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    test::writeAll(dir.filePath(QStringLiteral("password")), "correct horse battery staple\n");
    const Device a = makeDevice(emu, dir, QStringLiteral("A"),
                                {QStringLiteral("--encrypt"), QStringLiteral("--password-file"), dir.filePath(QStringLiteral("password"))});
    const Band band = makeBand(a, dir);
    sync(a);

    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    auto locked = b.cli({QStringLiteral("sync")}); // brings the key ring; the files wait for the password
    CHECK(locked.err.contains("locked"));
    auto unlock = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"),
                         dir.filePath(QStringLiteral("password"))});
    INFO(unlock.err.toStdString());
    REQUIRE(unlock.exitCode == 0);
    sync(b);
    CHECK(test::readAll(b.file(band.mixFile)) == test::readAll(a.file(band.mixFile)));
    REQUIRE(b.cli({QStringLiteral("edit"), band.mid, QStringLiteral("tempo=90")}).exitCode == 0);
    sync(b);
    sync(a);
    CHECK(test::readAll(a.file(band.mixFile)).contains("90"));

    // What the emulator stores for the mix and the take is not the plaintext.
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Band"));
    auto listed = remote->listChanges(QString());
    REQUIRE(listed.ok());
    int checked = 0;
    for (const remote::RemoteEntry& e : listed->entries) {
        if (e.isFolder || !QFile::exists(a.file(e.path)))
            continue;
        const QByteArray plain = test::readAll(a.file(e.path));
        if (!e.path.endsWith(QLatin1String(".json")) && !e.path.endsWith(QLatin1String(".wav")))
            continue;
        if (e.path.startsWith(QLatin1String(".muze")) || e.path == QLatin1String("vault.json"))
            continue;
        CHECK(e.contentHash != remote::contentHash(plain));
        ++checked;
    }
    CHECK(checked >= 3);

    // Key rotation, then every file on Dropbox is re-encrypted under the new key (upload
    // sessions for the take included), and B still reads everything.
    auto rotated = a.cli({QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("rotate")});
    INFO(rotated.err.toStdString());
    REQUIRE(rotated.exitCode == 0);
    const quint32 newKey = Json::parse(rotated.out.toStdString())["active_key_id"].get<quint32>();
    auto reencrypt = a.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")});
    INFO(reencrypt.out.toStdString() << reencrypt.err.toStdString());
    REQUIRE(reencrypt.exitCode == 0);
    auto relisted = remote->listChanges(QString());
    REQUIRE(relisted.ok());
    int moved = 0;
    for (const remote::RemoteEntry& e : relisted->entries) {
        if (e.isFolder || e.path == QLatin1String(".muze/keyring.json"))
            continue;
        QByteArray head;
        QBuffer sink(&head);
        sink.open(QIODevice::WriteOnly);
        REQUIRE(remote->download(e.path, sink, 0, 16).ok());
        INFO(e.path.toStdString());
        REQUIRE(head.startsWith("MUZE-ENC"));
        CHECK(qFromLittleEndian<quint32>(head.constData() + 12) == newKey);
        ++moved;
    }
    CHECK(moved >= 4);
    sync(b);
    CHECK(test::readAll(b.file(band.mixFile)) == test::readAll(a.file(band.mixFile)));
    CHECK(syncedFiles(a) == syncedFiles(b));
}

TEST_CASE("sync converges through dropped transfers and 429 storms and 5xx and token expiry and a cursor reset")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    sync(b);
    const Band band = makeBand(a, dir);

    // Device A uploads through a drop in its upload session, a 429 storm and server errors.
    emu.addFault(Json{{"kind", "drop_request"}, {"route", "upload_session/append_v2"}, {"after_bytes", 20000}});
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "upload_session/append_v2"}});
    emu.addFault(Json{{"kind", "rate_limit"}, {"route", "files/upload"}, {"count", 4}, {"retry_after", 1},
                      {"reason", "too_many_write_operations"}});
    emu.addFault(Json{{"kind", "server_error"}, {"route", "files/list_folder"}, {"count", 2}, {"status", 503}});
    sync(a);
    CHECK(emu.admin("GET", QStringLiteral("faults")).dump().find("kind") == std::string::npos); // every fault was met

    // Device B downloads through a cut connection, with its token expired and its cursor reset.
    emu.expireTokens();
    emu.resetCursors();
    emu.addFault(Json{{"kind", "drop_response"}, {"route", "files/download"}, {"after_bytes", 60000}});
    emu.addFault(Json{{"kind", "server_error"}, {"route", "files/download"}, {"status", 500}});
    sync(b);
    CHECK(syncedFiles(a) == syncedFiles(b));
    bool takeFound = false;
    for (const auto& [path, bytes] : syncedFiles(b).asKeyValueRange())
        takeFound |= path.endsWith(QLatin1String(".wav")) && bytes == band.take;
    CHECK(takeFound);

    // And a second round of edits still converges both ways.
    REQUIRE(b.cli({QStringLiteral("edit"), band.mid, QStringLiteral("name=After the storm")}).exitCode == 0);
    emu.addFault(Json{{"kind", "rate_limit"}, {"count", 3}, {"retry_after", 1}});
    sync(b);
    sync(a);
    CHECK(test::readAll(a.file(band.mixFile)).contains("After the storm"));
    CHECK(syncedFiles(a) == syncedFiles(b));
}

TEST_CASE("a take recorded over on two devices through Dropbox: conflicts shows both, keep both makes two tracks")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    const Band band = makeBand(a, dir);
    sync(a);
    sync(b);
    const Json mix = Json::parse(test::readAll(a.file(band.mixFile)).toStdString());
    const QString take = QStringLiteral("collections/%1/projects/%2/audio/%3.wav")
                             .arg(band.cid, band.pid, QString::fromStdString(mix["tracks"][0]["id"].get<std::string>()));
    // Both record over the take; B's is newer, so B's stays at the path.
    const QByteArray takeA = test::makeWav(48000, 2, 16, 96000, 330), takeB = test::makeWav(48000, 2, 16, 120000, 550);
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-600);
    for (const auto& [d, bytes, t] : {std::tuple{&a, takeA, t0}, std::tuple{&b, takeB, t0.addSecs(60)}}) {
        test::writeAll(d->file(take), bytes);
        QFile f(d->file(take));
        REQUIRE(f.open(QIODevice::ReadWrite));
        REQUIRE(f.setFileTime(t, QFileDevice::FileModificationTime));
    }
    sync(a);
    sync(b);
    sync(a);

    auto r = a.cli({QStringLiteral("--json"), QStringLiteral("conflicts")});
    REQUIRE(r.exitCode == 0);
    const Json list = Json::parse(r.out.toStdString())["conflicts"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["kind"] == "file");
    CHECK(list[0]["in_use"] == "theirs");
    CHECK(list[0]["theirs"]["device"] == "B");
    CHECK(test::readAll(a.file(QString::fromStdString(list[0]["mine"]["file"].get<std::string>()))) == takeA);
    r = a.cli({QStringLiteral("conflicts"), QStringLiteral("resolve"), QString::fromStdString(list[0]["id"].get<std::string>()),
               QStringLiteral("--keep"), QStringLiteral("both")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    sync(a);
    sync(b);
    CHECK(syncedFiles(a) == syncedFiles(b));
    const Json onB = Json::parse(test::readAll(b.file(band.mixFile)).toStdString());
    REQUIRE(onB["tracks"].size() == 2);
    CHECK(onB["tracks"][1]["name"] == "take (A)");
    CHECK(test::readAll(b.file(take)) == takeB);
    CHECK(b.cli({QStringLiteral("conflicts")}).out.contains("No conflicts"));
}
