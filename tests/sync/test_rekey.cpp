// Key rotation and re-encryption (issue 3: "rotate: new active key id; files move to it as
// they are next written, and a command re-encrypts the rest"). Engine scenarios on a folder
// remote, then the real muze-cli with the real keychain; kill -9 during keys reencrypt is in
// test_rekey_crash.cpp.
#include "catch.h"
#include "clidevice.h"
#include "devices.h"
#include "rekeytest.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>
#include <muze/sync/synccontroller.h>
#include <muze/sync/syncsettings.h>
#include <muze/vault/vaultrecord.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QtEndian>

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/keyring.h>
#include <muze/crypto/vaultkeys.h>

using namespace muze;
using namespace muze::test;
using namespace muze::sync;
using namespace muze::test::rekey;

TEST_CASE("rekey: after a rotation, re-encryption moves every remote file to the new key, cloud-only takes too")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Night drive"), timeAt(1)));
    a->write(kTake, wav(5));
    a->write(kTake2, wav(8, 660));
    a->sync();
    const quint32 oldKey = activeKeyOf(a->abs(kRing));

    // B keeps audio in the cloud until asked: its takes are cloud-only (their key unknown to
    // its journal), so re-encryption there has to work from the remote blobs.
    SyncSettings onDemand;
    onDemand.audioDownload = AudioDownload::OnDemand;
    Device b(w, QStringLiteral("B"), nullptr, onDemand);
    b.sync(); // the key ring only: B is locked
    b.rebuild(makeCipherCodec(keysFrom(b.abs(kRing))), onDemand);
    b.sync();
    REQUIRE(b.has(kMix));
    REQUIRE_FALSE(b.has(kTake));

    // A rotates. New writes use the new key at once; nothing else moved yet.
    const quint32 newKey = rotate(a->abs(kRing));
    REQUIRE(newKey != oldKey);
    a->rebuild(makeCipherCodec(keysFrom(a->abs(kRing))));
    a->write(QStringLiteral("collections/c1/notes.txt"), "written after the rotation");
    SyncReport ra = a->sync();
    CHECK(ra.reencrypted == 0);
    CHECK(ra.reencryptLeft == -1); // not asked to
    QMap<QString, quint32> ids = remoteKeyIds(w.remoteDir());
    CHECK(ids.value(QStringLiteral("collections/c1/notes.txt")) == newKey);
    CHECK(ids.value(kMix) == oldKey);
    CHECK(ids.value(kTake) == oldKey);

    // B picks up the rotated ring (the file written under the new key cannot open with the
    // keys B holds yet: a clear error, nothing written), then unlocks and re-encrypts everything.
    Result<SyncReport> early = b.trySync();
    REQUIRE(early.ok());
    CHECK(early->errors.join(QLatin1Char(' ')).contains(QStringLiteral("notes.txt")));
    CHECK_FALSE(b.has(QStringLiteral("collections/c1/notes.txt")));
    b.rebuild(makeCipherCodec(keysFrom(b.abs(kRing))), onDemand);
    const QByteArray mixBefore = b.read(kMix);
    SyncReport rb = b.sync(rekeyAll());
    CHECK(rb.reencryptLeft == 0);
    CHECK(rb.reencrypted == ids.size() - 1); // all but the file written after the rotation
    ids = remoteKeyIds(w.remoteDir());
    for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
        INFO(it.key().toStdString());
        CHECK(it.value() == newKey);
    }
    CHECK(b.read(kMix) == mixBefore);
    CHECK_FALSE(b.has(kTake)); // still cloud-only: re-encryption does not download takes for keeps

    // A reads everything back and holds the same bytes as before; B's next run has nothing left.
    const QByteArray take2 = a->read(kTake2);
    SyncReport again = a->sync(rekeyAll());
    CHECK(again.reencrypted == 0);
    CHECK(again.reencryptLeft == 0);
    CHECK(a->read(kTake2) == take2);
    CHECK(a->read(kTake) == wav(5));
    SyncOptions fetch = rekeyAll();
    fetch.download << kTake;
    SyncReport rb2 = b.sync(fetch);
    CHECK(rb2.reencrypted == 0);
    CHECK(b.read(kTake) == wav(5));
}

TEST_CASE("rekey: a budget moves a slice per run, and runs continue where the last stopped")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    for (int i = 0; i < 6; ++i)
        a->write(QStringLiteral("collections/c1/f%1.txt").arg(i), QByteArray(1000 + i, char('a' + i)));
    a->sync();
    const quint32 newKey = rotate(a->abs(kRing));
    a->rebuild(makeCipherCodec(keysFrom(a->abs(kRing))));
    a->sync(); // the ring goes up

    SyncOptions slice;
    slice.rekeyBudget = 1; // one file per run: the budget is checked before each file
    int runs = 0;
    int moved = 0;
    while (runs < 10) {
        const SyncReport r = a->sync(slice);
        ++runs;
        moved += r.reencrypted;
        CHECK(r.reencrypted <= 1);
        if (r.reencryptLeft == 0)
            break;
    }
    CHECK(moved == 6);
    CHECK(runs == 6);
    for (quint32 id : remoteKeyIds(w.remoteDir()))
        CHECK(id == newKey);
}

namespace {
// Network timing, not a mock: the first re-encrypting write of a path finds that another
// device wrote the path a moment earlier (the rev it updates is gone).
class RacingRemote : public ForwardingRemote {
public:
    RacingRemote(const QString& root, const QString& cache, QString path, QByteArray theirs)
        : ForwardingRemote(root, cache)
        , m_path(std::move(path))
        , m_theirs(std::move(theirs))
    {
    }
    Result<remote::RemoteEntry> upload(const QString& path, QIODevice& source, qint64 size,
        const remote::WriteSpec& spec, const remote::ProgressFn& progress) override
    {
        if (path == m_path && spec.mode == remote::WriteMode::Update && !m_raced) {
            m_raced = true;
            QBuffer other(&m_theirs);
            other.open(QIODevice::ReadOnly);
            REQUIRE(m_inner.upload(path, other, m_theirs.size(), {remote::WriteMode::Overwrite, {}, {}}, {}).ok());
        }
        return m_inner.upload(path, source, size, spec, progress);
    }

private:
    QString m_path;
    QByteArray m_theirs;
    bool m_raced = false;
};
} // namespace

TEST_CASE("rekey: a file another device writes during re-encryption keeps that device's version")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->write(QStringLiteral("collections/c1/lyrics.txt"), "verse one");
    a->sync();
    Device b(w, QStringLiteral("B"), makeCipherCodec(keysFrom(a->abs(kRing))));
    b.sync();
    REQUIRE(b.read(QStringLiteral("collections/c1/lyrics.txt")) == "verse one");

    // B's edit, encrypted by B (old key), is what lands on the remote while A re-encrypts.
    const QString lyrics = QStringLiteral("collections/c1/lyrics.txt");
    QByteArray theirs;
    {
        const QString tmpPlain = w.path(QStringLiteral("theirs.txt"));
        const QString tmpBlob = w.path(QStringLiteral("theirs.blob"));
        writeAll(tmpPlain, "verse two, from B");
        QFile in(tmpPlain), out(tmpBlob);
        REQUIRE(in.open(QIODevice::ReadOnly));
        REQUIRE(out.open(QIODevice::WriteOnly));
        REQUIRE(makeCipherCodec(keysFrom(a->abs(kRing)))->encode(in, in.size(), out, lyrics).ok());
        out.close();
        theirs = readAll(tmpBlob);
    }
    const quint32 newKey = rotate(a->abs(kRing));
    const QString ringA = a->abs(kRing);
    a.reset();
    Device racer(w, QStringLiteral("A"), makeCipherCodec(keysFrom(ringA)), {}, 0,
        [&](const QString& root, const QString& cache) {
            return std::make_unique<RacingRemote>(root, cache, lyrics, theirs);
        });
    SyncReport r = racer.sync(rekeyAll());
    CHECK(r.reencrypted == 0);
    CHECK(r.reencryptLeft == 1);
    // The next run brings B's words down (nothing lost), then moves them to the new key.
    r = racer.sync(rekeyAll());
    CHECK(racer.read(lyrics) == "verse two, from B");
    CHECK(r.reencryptLeft == 0);
    CHECK(remoteKeyIds(w.remoteDir()).value(lyrics) == newKey);
}

TEST_CASE("rekey: a device whose keys are older than a ring that arrives mid-run never moves files back")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->write(QStringLiteral("collections/c1/a.txt"), "one");
    a->write(QStringLiteral("collections/c1/b.txt"), "two");
    a->sync();
    Device b(w, QStringLiteral("B"), makeCipherCodec(keysFrom(a->abs(kRing))));
    b.sync();

    const quint32 newKey = rotate(a->abs(kRing));
    a->rebuild(makeCipherCodec(keysFrom(a->abs(kRing))));
    SyncReport ra = a->sync(rekeyAll());
    CHECK(ra.reencryptLeft == 0);

    // B still holds only the old key when its run starts; the new ring comes down in it.
    Result<SyncReport> rb = b.trySync(rekeyAll());
    REQUIRE(rb.ok());
    CHECK(rb->reencryptLeft == -1);
    CHECK(rb->reencrypted == 0);
    CHECK(rb->notes.join(QLatin1Char(' ')).contains(QStringLiteral("key ring changed")));
    CHECK(b.engine().codecOutdated());
    for (quint32 id : remoteKeyIds(w.remoteDir()))
        CHECK(id == newKey);
    // With the new keys (what the worker does when codecOutdated()), B catches up.
    b.rebuild(makeCipherCodec(keysFrom(b.abs(kRing))));
    SyncReport again = b.sync(rekeyAll());
    CHECK(again.reencryptLeft == 0);
    CHECK(b.read(QStringLiteral("collections/c1/b.txt")) == "two");
}

TEST_CASE("rekey: an engine that can make new keys picks up another device's rotation in the same run")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->write(QStringLiteral("collections/c1/a.txt"), "one");
    a->sync();
    Device b(w, QStringLiteral("B"), makeCipherCodec(keysFrom(a->abs(kRing))));
    b.sync();
    rotate(a->abs(kRing));
    a->rebuild(makeCipherCodec(keysFrom(a->abs(kRing))));
    a->write(QStringLiteral("collections/c1/a.txt"), "one, revised under the new key");
    a->sync(rekeyAll());

    // What the CLI and the worker give their engines: keys from the vault's current ring.
    int made = 0;
    b.engine().setCodecProvider([&]() -> Result<std::unique_ptr<ContentCodec>> {
        ++made;
        return makeCipherCodec(keysFrom(b.abs(kRing)));
    });
    const SyncReport r = b.sync(); // the ring first, new keys, then the file: no error
    CHECK(made >= 1); // B's engine was made before it had any ring, so it also refreshes once at the start
    CHECK(r.downloaded == 2);
    CHECK(b.read(QStringLiteral("collections/c1/a.txt")) == "one, revised under the new key");
    CHECK_FALSE(b.engine().codecOutdated());
}

TEST_CASE("rekey: muze-cli keys rotate, keys status and keys reencrypt with the real keychain")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const QString pw = dir.filePath(QStringLiteral("password"));
    writeAll(pw, "correct horse battery staple\n");
    // Each device its own keychain service, as two machines have two keychains.
    const QStringList envA{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-rekey-a")};
    const QStringList envB{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-rekey-b")};
    CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    REQUIRE(
        a.cli({QStringLiteral("keys"), QStringLiteral("init"), QStringLiteral("--password-file"), pw}, envA).exitCode
        == 0);
    REQUIRE(a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Album")}, envA).exitCode == 0);
    REQUIRE(
        a.cli({QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("Album"), QStringLiteral("Song")}, envA)
            .exitCode
        == 0);
    REQUIRE(
        a.cli({QStringLiteral("mix"), QStringLiteral("add"), QStringLiteral("Song"), QStringLiteral("Take one")}, envA)
            .exitCode
        == 0);
    const QString take = dir.filePath(QStringLiteral("take.wav"));
    writeAll(take, wav(10));
    REQUIRE(a.cli({QStringLiteral("track"), QStringLiteral("import"), QStringLiteral("Take one"), take}, envA).exitCode
        == 0);
    ProcessResult r = a.cli({QStringLiteral("sync")}, envA);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QMap<QString, quint32> before = remoteKeyIds(remote);
    REQUIRE(before.size() >= 5);

    r = a.cli({QStringLiteral("keys"), QStringLiteral("rotate")}, envA);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("keys reencrypt"));
    r = a.cli({QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("status")}, envA);
    REQUIRE(r.exitCode == 0);
    Json st = Json::parse(r.out.toStdString());
    const quint32 newKey = st["active_key_id"].get<quint32>();
    CHECK(st["files_on_older_keys"].get<int>() == before.size());
    CHECK(a.cli({QStringLiteral("keys"), QStringLiteral("status")}, envA)
              .out.contains("files stored under an older key"));

    r = a.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")}, envA);
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("every synced file is stored under the active key"));
    const QMap<QString, quint32> after = remoteKeyIds(remote);
    CHECK(after.keys() == before.keys());
    for (quint32 id : after)
        CHECK(id == newKey);
    st = Json::parse(
        a.cli({QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("status")}, envA).out.toStdString());
    CHECK(st["files_on_older_keys"].get<int>() == 0);

    // A second device: locked until its password, then it reads every re-encrypted file.
    CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    b.cli({QStringLiteral("sync")}, envB);
    r = b.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")}, envB);
    CHECK(r.exitCode == 1);
    CHECK(r.err.contains("locked"));
    REQUIRE(
        b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"), pw}, envB).exitCode
        == 0);
    r = b.cli({QStringLiteral("sync")}, envB);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(b.cli({QStringLiteral("ls")}, envB).out.contains("Take one"));
    QDirIterator it(a.vault + QStringLiteral("/collections"), QDir::Files, QDirIterator::Subdirectories);
    int compared = 0;
    while (it.hasNext()) {
        const QString f = it.next();
        const QString rel = QDir(a.vault).relativeFilePath(f);
        CHECK(readAll(b.file(rel)) == readAll(f));
        ++compared;
    }
    CHECK(compared >= 4);
    a.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envA);
    b.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envB);
}

TEST_CASE("rekey: the app's sync worker moves files to a rotated key by itself")
{
    TempDir dir;
    vault::VaultRecord v;
    v.id = QStringLiteral("rekey-worker-vault");
    v.name = QStringLiteral("Band");
    v.path = dir.filePath(QStringLiteral("vault"));
    v.remotePath = dir.filePath(QStringLiteral("remote"));
    v.encrypted = true;
    const crypto::MasterKeyStore store(QStringLiteral("muze-test-rekey-worker"));
    qputenv("MUZE_KEYCHAIN_SERVICE", store.service().toUtf8()); // what makeCodecForVault() reads
    REQUIRE(crypto::initVaultEncryption(v.path, v.id, kPassword, crypto::KdfParams::minimum(), store).ok());
    for (int i = 0; i < 4; ++i)
        writeAll(v.path + QStringLiteral("/collections/c1/f%1.txt").arg(i), QByteArray(5000, char('a' + i)));

    auto allUnder = [&](quint32 key) {
        const QMap<QString, quint32> ids = remoteKeyIds(v.remotePath);
        return ids.size() == 4 && std::all_of(ids.cbegin(), ids.cend(), [key](quint32 id) { return id == key; });
    };
    int finished = 0;
    {
        SyncController controller;
        QObject::connect(&controller, &SyncController::syncFinished, &controller,
            [&](const QString&, bool, const QString&) { ++finished; });
        controller.addVault(v, QStringLiteral("test-device"));
        const quint32 first = activeKeyOf(v.path + QLatin1Char('/') + kRing);
        REQUIRE(waitUntil([&] { return allUnder(first); }, 30000));

        // `keys rotate` (here or from muze-cli while the app runs): the worker notices the new
        // ring, makes new keys and moves every file over, without a command.
        Result<quint32> rotated = crypto::rotateVaultKey(v.path, v.id, store);
        REQUIRE(rotated.ok());
        controller.syncNow(v.id);
        CHECK(waitUntil([&] { return allUnder(*rotated); }, 30000));
        // The ring went up first: no device ever sees a file under a key it cannot find.
        CHECK(readAll(v.remotePath + QLatin1Char('/') + kRing).contains(QByteArray::number(*rotated)));
        controller.removeVault(v.id);
    }
    CHECK(finished >= 2);
    (void)crypto::lockVault(v.id, store);
    qunsetenv("MUZE_KEYCHAIN_SERVICE");
}
#endif
