// A take over Dropbox's 150 MiB request limit between two devices through the strict emulator,
// plain and encrypted: it goes up in an upload session (a small threshold keeps the test
// quick, the chunks are real-sized) and comes down whole; the official SDK, as a third
// device, sees every file with the content_hash both devices' journals recorded for it, which
// is the hash of the bytes they hold in a plain vault (of the ciphertext in an encrypted one).
#include "catch.h"
#include "devices.h"
#include "emulator.h"

#include <muze/remote/contenthash.h>
#include <muze/sync/journal.h>

#include <QFile>

using namespace muze;
using namespace muze::test::dropbox;
using muze::test::Emulator;

TEST_CASE("a take over 150 MiB syncs between two devices through upload sessions, plain and encrypted")
{
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    const bool encrypted = GENERATE(false, true);
    INFO((encrypted ? "encrypted" : "plain") << " vault");
    const QStringList sizes = {QStringLiteral("MUZE_DROPBOX_SESSION_THRESHOLD=65536"),
                               QStringLiteral("MUZE_DROPBOX_CHUNK_SIZE=33554432")};
    QStringList create;
    if (encrypted) {
        test::writeAll(dir.filePath(QStringLiteral("password")), "correct horse battery staple\n");
        create = {QStringLiteral("--encrypt"), QStringLiteral("--password-file"), dir.filePath(QStringLiteral("password"))};
    }
    const Device a = makeDevice(emu, dir, QStringLiteral("A"), create, sizes);
    const Band band = makeBand(a, dir);
    test::dropbox::sync(a);
    const Device b = makeDevice(emu, dir, QStringLiteral("B"), {}, sizes);
    if (encrypted) {
        (void)b.cli({QStringLiteral("sync")}); // the key ring first
        auto unlock = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"),
                             dir.filePath(QStringLiteral("password"))});
        INFO(unlock.err.toStdString());
        REQUIRE(unlock.exitCode == 0);
    }
    test::dropbox::sync(b);

    // A records over the take: 13 minutes of stereo, just over 150 MiB.
    const Json mix = Json::parse(test::readAll(a.file(band.mixFile)).toStdString());
    const QString take = QStringLiteral("collections/%1/projects/%2/audio/%3.wav")
                             .arg(band.cid, band.pid, QString::fromStdString(mix["tracks"][0]["id"].get<std::string>()));
    const int frames = int((150LL * 1024 * 1024) / 4) + 1000;
    const QByteArray big = test::makeWav(48000, 2, 16, frames, 220.0);
    REQUIRE(big.size() > 150LL * 1024 * 1024);
    test::writeAll(a.file(take), big);
    test::dropbox::sync(a);
    test::dropbox::sync(b);
    CHECK(QFile(b.file(take)).size() == big.size());
    CHECK(test::readAll(b.file(take)) == big);
    const auto files = syncedFiles(a);
    CHECK(files == syncedFiles(b));

    // The SDK sees every file with the hash both journals recorded for what is stored.
    auto rowsOf = [](const Device& d) {
        auto journal = sync::Journal::open(d.vault);
        REQUIRE(journal.ok());
        auto rows = (*journal)->rows();
        REQUIRE(rows.ok());
        return *rows;
    };
    const auto rowsA = rowsOf(a);
    const auto rowsB = rowsOf(b);
    const Json seen = sdkFiles(emu, token);
    int checked = 0;
    for (const auto& [path, bytes] : files.asKeyValueRange()) {
        INFO(path.toStdString());
        const std::string key = path.toStdString();
        REQUIRE(seen.contains(key));
        const QString stored = QString::fromStdString(seen[key][1].get<std::string>());
        CHECK(stored == rowsA.value(path).remoteHash);
        CHECK(stored == rowsB.value(path).remoteHash);
        if (!encrypted || path == QLatin1String(".muze/keyring.json"))
            CHECK(stored == remote::contentHash(bytes));
        else if (path == take)
            CHECK(stored != remote::contentHash(bytes)); // Dropbox holds ciphertext only
        ++checked;
    }
    CHECK(checked >= 4);
}
