// Takes of every size reach Dropbox streamed from the file as the sync engine hands it over
// (a sequential ThrottledDevice that gives at most 1 MiB, or rate/8 under a bandwidth limit,
// per read): single requests and upload sessions around every boundary, checked by the
// content_hash Dropbox reports and by downloading the bytes back.
#include "catch.h"
#include "devices.h"
#include "emulator.h"

#include <muze/remote/contenthash.h>
#include <muze/sync/throttle.h>

#include <QBuffer>
#include <QFile>

using namespace muze;
using namespace muze::remote;
using muze::test::Emulator;
using muze::test::randomBytes;

namespace {

constexpr qint64 MiB = 1024LL * 1024;

// Writes `size` bytes to a file, uploads it through a ThrottledDevice (as the engine does) and
// checks what Dropbox holds afterwards.
void uploadAndCheck(DropboxRemote& remote, const test::TempDir& dir, qint64 size, sync::RateLimiter* limiter)
{
    const QString name = QStringLiteral("take-%1%2.wav").arg(size).arg(limiter ? QStringLiteral("-limited") : QString());
    const QByteArray bytes = randomBytes(size, quint32(size) + 7);
    test::writeAll(dir.filePath(name), bytes);
    QFile file(dir.filePath(name));
    REQUIRE(file.open(QIODevice::ReadOnly));
    sync::ThrottledDevice source(file, limiter);

    INFO("size " << size << (limiter ? " with a bandwidth limit" : ""));
    auto uploaded = remote.upload(name, source, size, WriteSpec{});
    INFO((uploaded ? std::string() : uploaded.errorString().toStdString()));
    REQUIRE(uploaded.ok());
    const QString localHash = contentHash(bytes);
    CHECK(uploaded->contentHash == localHash);
    CHECK(uploaded->size == size);

    auto stat = remote.stat(name); // what Dropbox reports now, not what the upload answered
    REQUIRE(stat.ok());
    CHECK(stat->contentHash == localHash);
    CHECK(stat->size == size);

    QByteArray back;
    QBuffer sink(&back);
    sink.open(QIODevice::WriteOnly);
    REQUIRE(remote.download(name, sink).ok());
    CHECK(back == bytes);
}

} // namespace

TEST_CASE("takes of every size upload streamed from the file, with and without a bandwidth limit")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;

    SECTION("no limit: reads of 1 MiB")
    {
        DropboxRemoteOptions o;
        o.sessionThreshold = 6 * MiB;
        o.chunkSize = 4 * MiB;
        auto remote = emu.remote(QStringLiteral("/Apps/Muze/Sizes"), o);
        for (qint64 size : {qint64(0), qint64(1), MiB - 1, MiB, MiB + 1, 4 * MiB - 1, 4 * MiB, 4 * MiB + 1,
                            6 * MiB - 1, 6 * MiB, 6 * MiB + 1, 13 * MiB + 5})
            uploadAndCheck(*remote, dir, size, nullptr);
    }
    SECTION("4 MiB/s: reads of 512 KiB")
    {
        sync::RateLimiter limiter(4 * MiB);
        REQUIRE(limiter.chunkLimit() == 512 * 1024LL);
        DropboxRemoteOptions o;
        o.sessionThreshold = 2 * MiB;
        o.chunkSize = MiB;
        auto remote = emu.remote(QStringLiteral("/Apps/Muze/Sizes"), o);
        for (qint64 size : {qint64(0), qint64(1), 512 * 1024 - 1LL, 512 * 1024 + 1LL, MiB + 1, 2 * MiB - 1, 2 * MiB,
                            2 * MiB + 1, 3 * MiB + 7})
            uploadAndCheck(*remote, dir, size, &limiter);
    }
}

TEST_CASE("a take over 150 MiB goes up in an upload session with the default threshold and chunks")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Big"), DropboxRemoteOptions{});
    uploadAndCheck(*remote, dir, 150 * MiB + 1, nullptr);
}

TEST_CASE("real-sized takes sync between two devices, with and without a bandwidth limit, and the SDK sees their hashes")
{
    using namespace muze::test::dropbox;
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    // The app's own sizes: one request up to 16 MiB, 32 MiB session chunks beyond.
    const QStringList real = {QStringLiteral("MUZE_DROPBOX_SESSION_THRESHOLD=16777216"),
                              QStringLiteral("MUZE_DROPBOX_CHUNK_SIZE=33554432")};
    const Device a = makeDevice(emu, dir, QStringLiteral("A"), {}, real);
    const Device b = makeDevice(emu, dir, QStringLiteral("B"), {}, real);
    const bool limited = GENERATE(false, true);
    INFO((limited ? "with" : "without") << " a bandwidth limit");
    if (limited) { // 8 MiB/s: reads of 1 MiB / 8
        for (const Device* d : {&a, &b})
            test::writeAll(d->vault + QStringLiteral("/.muze-state/sync-settings.json"), "{\"bandwidth_kbps\": 8192}\n");
    }

    // A 6-second stereo take (1.1 MB), then a 5 MB one in the same mix.
    const Band band = makeBand(a, dir, test::makeWav(48000, 2, 16, 6 * 48000));
    const QByteArray second = test::makeWav(48000, 2, 16, 27 * 48000, 220.0);
    test::writeAll(dir.filePath(QStringLiteral("second.wav")), second);
    auto imported = a.cli({QStringLiteral("track"), QStringLiteral("import"), band.mid, dir.filePath(QStringLiteral("second.wav"))});
    INFO(imported.err.toStdString());
    REQUIRE(imported.exitCode == 0);
    test::dropbox::sync(a);
    test::dropbox::sync(b);
    const auto files = syncedFiles(a);
    CHECK(files == syncedFiles(b));
    int takes = 0;
    for (const auto& [path, bytes] : files.asKeyValueRange())
        takes += path.endsWith(QLatin1String(".wav")) && (bytes == band.take || bytes == second);
    CHECK(takes == 2);

    // A third device, the official SDK, sees every file with the content_hash of its bytes.
    const Json seen = sdkFiles(emu, token);
    int checked = 0;
    for (const auto& [path, bytes] : files.asKeyValueRange()) {
        INFO(path.toStdString());
        const std::string key = path.toStdString();
        REQUIRE(seen.contains(key));
        CHECK(QString::fromStdString(seen[key][1].get<std::string>()) == contentHash(bytes));
        ++checked;
    }
    CHECK(checked >= 4);
}
