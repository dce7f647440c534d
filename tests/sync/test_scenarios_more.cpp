// Golden scenarios, part 2: safety rails, hostile remotes, offline, three devices, selective
// sync, encryption.
#include "catch.h"
#include "devices.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/syncpaths.h>

#include <QBuffer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/keyring.h>
#endif

using namespace muze;
using namespace muze::test;
using namespace muze::sync;

namespace {
const QString kMix = QStringLiteral("collections/c1/projects/p1/mixes/m1.json");
const QString kTake = QStringLiteral("collections/c1/projects/p1/audio/t1.wav");

QByteArray wav(int tenths, double freq = 440) { return makeWav(8000, 1, 16, 800 * tenths, freq); }

// A folder remote whose listings also carry names no remote should ever send.
class HostileRemote : public ForwardingRemote {
public:
    using ForwardingRemote::ForwardingRemote;
    Result<remote::ChangeSet> listChanges(const QString& cursor) override
    {
        Result<remote::ChangeSet> set = m_inner.listChanges(cursor);
        if (set) {
            for (const QString& bad : {QStringLiteral("../escape.txt"), QStringLiteral("/tmp/muze-evil.txt"),
                                       QStringLiteral("a/../../escape.txt"), QStringLiteral(".muze-state/journal.sqlite"),
                                       QStringLiteral("x/Cafe\u0301.txt"), QString(300, QLatin1Char('n')),
                                       QStringLiteral("nul\u0000byte"), QStringLiteral("back\\slash"),
                                       QStringLiteral("x/take.wav.recording")}) {
                set->entries.push_back({bad, false, false, 4, QStringLiteral("r"), QStringLiteral("h"), {}, {}, {}, {}});
            }
        }
        return set;
    }
    Result<remote::RemoteEntry> upload(const QString& p, QIODevice& s, qint64 n, const remote::WriteSpec& w,
                                       const remote::ProgressFn& f) override
    {
        if (beforeUpload) {
            auto hook = std::move(beforeUpload);
            beforeUpload = nullptr;
            hook(p);
        }
        return m_inner.upload(p, s, n, w, f);
    }

    std::function<void(const QString&)> beforeUpload;
};

void seedSix(Device& a, Device& b)
{
    for (int i = 0; i < 6; ++i)
        a.write(QStringLiteral("audio/t%1.wav").arg(i), wav(1, 100 + i));
    a.sync();
    b.sync();
}
} // namespace

TEST_CASE("scenario: a mass delete is refused without --force and done with it")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seedSix(a, b);
    for (int i = 0; i < 5; ++i)
        a.remove(QStringLiteral("audio/t%1.wav").arg(i));
    SyncReport r = a.sync();
    CHECK(r.massDeleteRefused);
    CHECK(r.message.contains(QStringLiteral("--force")));
    CHECK(QDir(w.remoteDir() + QStringLiteral("/audio")).entryList(QDir::Files).size() == 6);
    SyncOptions force;
    force.force = true;
    r = a.sync(force);
    CHECK(r.deletedRemote == 5);
    // The other device's pass would delete 5 of its 6 files: refused there too until forced.
    CHECK(b.sync().massDeleteRefused);
    CHECK(b.sync(force).deletedLocal == 5);
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: a remote emptied by another tool trips the rail instead of wiping the device")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seedSix(a, b);
    QDir(w.remoteDir() + QStringLiteral("/audio")).removeRecursively();
    const SyncReport r = a.sync();
    CHECK(r.massDeleteRefused);
    CHECK(a.files().size() == 6);
}

TEST_CASE("scenario: an unplugged or unmounted remote is offline, never 'everything was deleted'")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    seedSix(a, b);
    a.write(QStringLiteral("audio/new.wav"), wav(2));
    REQUIRE(QDir().rename(w.remoteDir(), w.path(QStringLiteral("unplugged"))));
    Result<SyncReport> r = a.trySync();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == QStringLiteral("offline"));
    CHECK(a.files().size() == 7);
    // The queue persists: status says pending without any network.
    Result<std::vector<FileStatus>> st = a.engine().status();
    REQUIRE(st.ok());
    bool pending = false;
    for (const FileStatus& s : *st)
        pending |= s.path == QStringLiteral("audio/new.wav") && s.state == FileState::Pending;
    CHECK(pending);
    // An empty folder where the remote was (a mount point): still offline, not a wipe.
    QDir().mkpath(w.remoteDir());
    CHECK(a.trySync().error().code == QStringLiteral("offline"));
    QDir(w.remoteDir()).removeRecursively();
    // Plugged back in: resumes.
    REQUIRE(QDir().rename(w.path(QStringLiteral("unplugged")), w.remoteDir()));
    CHECK(a.sync().uploaded == 1);
    b.sync();
    requireSameFiles({&a, &b});
}

TEST_CASE("scenario: hostile remote names are refused and nothing outside the vault is touched")
{
    World w;
    RemoteFactory hostile = [](const QString& root, const QString& cache) {
        return std::make_unique<HostileRemote>(root, cache);
    };
    Device a(w, QStringLiteral("A")), evil(w, QStringLiteral("E"), makePlainCodec(), {}, 0, hostile);
    a.write(QStringLiteral("ok.txt"), "fine");
    a.sync();
    const SyncReport r = evil.sync();
    CHECK(r.downloaded == 1);
    CHECK(r.rejected.size() == 8); // the recording marker is simply ignored
    CHECK(evil.files() == QStringList{QStringLiteral("ok.txt")});
    CHECK_FALSE(QFile::exists(w.path(QStringLiteral("escape.txt"))));
    CHECK_FALSE(QFile::exists(QStringLiteral("/tmp/muze-evil.txt")));
    CHECK(QFile::exists(evil.abs(QStringLiteral(".muze-state/journal.sqlite"))));
    CHECK(evil.sync().converged);
}

TEST_CASE("scenario: a symlink in the vault is never followed, in either direction")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    writeAll(w.path(QStringLiteral("outside/secret.txt")), "secret");
    QDir().mkpath(b.abs(QStringLiteral("c")));
    REQUIRE(QFile::link(w.path(QStringLiteral("outside")), b.abs(QStringLiteral("c/link"))));
    b.sync();
    CHECK_FALSE(QFile::exists(w.remoteDir() + QStringLiteral("/c/link/secret.txt")));
    a.write(QStringLiteral("c/link/planted.txt"), "x");
    a.sync();
    Result<SyncReport> r = b.trySync();
    REQUIRE(r.ok());
    CHECK(r->errors.size() == 1);
    CHECK_FALSE(QFile::exists(w.path(QStringLiteral("outside/planted.txt"))));
}

TEST_CASE("scenario: three devices editing concurrently converge")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B")), c(w, QStringLiteral("C"));
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1), {trackJson(QStringLiteral("t1"), QStringLiteral("Take"))}));
    a.write(kTake, wav(3));
    a.sync();
    b.sync();
    c.sync();
    Json ja = a.readJson(kMix);
    ja["name"] = "Song v2";
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tempo"] = 100;
    b.writeJson(kMix, jb);
    Json jc = c.readJson(kMix);
    jc["tracks"].push_back(trackJson(QStringLiteral("t9"), QStringLiteral("Bass")));
    c.writeJson(kMix, jc);
    c.write(QStringLiteral("collections/c1/projects/p1/audio/t9.wav"), wav(4, 55));
    a.sync();
    b.sync();
    c.sync();
    a.sync();
    b.sync();
    requireSameFiles({&a, &b, &c});
    const Json m = c.readJson(kMix);
    CHECK(m["name"] == "Song v2");
    CHECK(m["tempo"] == 100);
    CHECK(m["tracks"].size() == 2);
    CHECK(ConflictStore(a.root()).list().empty());
}

TEST_CASE("scenario: a remote change landing between listing and upload becomes a merge, not an overwrite")
{
    World w;
    RemoteFactory racy = [](const QString& root, const QString& cache) { return std::make_unique<HostileRemote>(root, cache); };
    Device a(w, QStringLiteral("A"), makePlainCodec(), {}, 0, racy), b(w, QStringLiteral("B"));
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a.sync();
    b.sync();
    Json ja = a.readJson(kMix);
    ja["name"] = "A's title";
    a.writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tempo"] = 77;
    b.writeJson(kMix, jb);
    // B's upload lands just after A listed the remote.
    auto* remote = dynamic_cast<HostileRemote*>(&a.engine().remote());
    REQUIRE(remote);
    Device* other = &b;
    remote->beforeUpload = [other](const QString&) { other->sync(); };
    const SyncReport r = a.sync();
    CHECK(r.merged == 1);
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(a.readJson(kMix)["name"] == "A's title");
    CHECK(a.readJson(kMix)["tempo"] == 77);
}

TEST_CASE("scenario: audio on demand stays cloud-only until asked for")
{
    World w;
    SyncSettings onDemand;
    onDemand.audioDownload = AudioDownload::OnDemand;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"), makePlainCodec(), onDemand);
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a.write(kTake, wav(5));
    a.sync();
    SyncReport r = b.sync();
    CHECK(r.downloaded == 1);
    CHECK(r.cloudOnly == 1);
    CHECK(r.converged);
    CHECK_FALSE(b.has(kTake));
    Result<std::vector<FileStatus>> st = b.engine().status();
    REQUIRE(st.ok());
    bool cloud = false;
    for (const FileStatus& s : *st)
        cloud |= s.path == kTake && s.state == FileState::CloudOnly;
    CHECK(cloud);
    CHECK(b.sync().passes == 1); // a cloud-only file is settled, not pending
    REQUIRE(b.engine().requestDownload(kTake).ok());
    r = b.sync();
    CHECK(r.downloaded == 1);
    requireSameFiles({&a, &b});
    // Once fetched it stays offline, and later changes come down.
    a.write(kTake, wav(6));
    a.sync();
    CHECK(b.sync().downloaded == 1);
}

TEST_CASE("scenario: with audio sync off, takes are neither sent nor fetched")
{
    World w;
    SyncSettings jsonOnly;
    jsonOnly.dataTypes = DataTypes::JsonOnly;
    Device a(w, QStringLiteral("A"), makePlainCodec(), jsonOnly), b(w, QStringLiteral("B"));
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a.write(kTake, wav(5));
    const SyncReport r = a.sync();
    CHECK(r.uploaded == 1);
    CHECK(r.skipped.join(QLatin1Char(' ')).contains(QStringLiteral("audio sync is off")));
    b.write(QStringLiteral("audio/b.wav"), wav(2));
    b.sync();
    a.sync();
    CHECK_FALSE(a.has(QStringLiteral("audio/b.wav")));
    CHECK(b.has(kMix));
    CHECK_FALSE(b.has(kTake));
}

TEST_CASE("scenario: JSON that does not parse on both sides becomes a conflicted copy")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("notes.json"), "{ broken A");
    b.write(QStringLiteral("notes.json"), "{ broken B");
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.conflicts == 1);
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.files().filter(QStringLiteral("notes (conflicted copy B ")).size() == 1);
}

TEST_CASE("scenario: a device joining with its own fresh vault.json adopts the shared vault's identity")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.writeJson(QStringLiteral("vault.json"), Json{{"format", 1}, {"id", "vaulta"}, {"name", "Band"}, {"modified_at", toStd(timeAt(1))}});
    a.writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a.sync();
    b.writeJson(QStringLiteral("vault.json"), Json{{"format", 1}, {"id", "vaultb"}, {"name", "Band"}, {"modified_at", toStd(timeAt(9))}});
    const SyncReport r = b.sync();
    CHECK(r.conflicts == 0);
    CHECK_FALSE(r.notes.filter(QStringLiteral("joined")).isEmpty());
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(b.readJson(QStringLiteral("vault.json"))["id"] == "vaulta");
}

TEST_CASE("scenario: a bandwidth limit slows transfers down")
{
    World w;
    SyncSettings slow;
    slow.bandwidthKiBps = 64;
    Device a(w, QStringLiteral("A"), makePlainCodec(), slow);
    a.write(QStringLiteral("audio/slow.wav"), QByteArray(128 * 1024, 's'));
    QElapsedTimer t;
    t.start();
    a.sync();
    CHECK(t.elapsed() >= 1500);
}

#ifdef MUZE_TEST_CRYPTO
TEST_CASE("scenario: encrypted vault — the remote holds only ciphertext and the key ring, another device reads it")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Secret song title"), timeAt(1)));
    a->write(kTake, wav(5));
    a->sync();
    const QByteArray stored = readAll(w.remoteDir() + QLatin1Char('/') + kMix);
    CHECK_FALSE(stored.contains("Secret song title"));
    CHECK(stored.startsWith("MUZE-ENC"));
    CHECK(readAll(w.remoteDir() + QStringLiteral("/.muze/keyring.json")).contains("{"));

    // B starts locked: only the key ring comes down, and the run says why.
    Device b(w, QStringLiteral("B"));
    SyncReport r = b.sync();
    CHECK(b.has(QStringLiteral(".muze/keyring.json")));
    CHECK_FALSE(b.has(kMix));
    CHECK(r.message.contains(QStringLiteral("locked")));
    CHECK(QFile::exists(w.remoteDir() + QLatin1Char('/') + kMix)); // nothing plain went up
    // Unlocked with the password: everything decrypts.
    b.rebuild(makeCipherCodec(keysFrom(b.abs(QStringLiteral(".muze/keyring.json")))));
    r = b.sync();
    CHECK(r.errors.isEmpty());
    requireSameFiles({a.get(), &b});
    CHECK(b.readJson(kMix)["name"] == "Secret song title");
}

TEST_CASE("scenario: encrypted vault — concurrent edits merge, equal content is recorded, conflicts copy")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->writeJson(kMix, mixJson(QStringLiteral("m1"), QStringLiteral("Song"), timeAt(1)));
    a->write(kTake, wav(5));
    a->sync();
    Device b(w, QStringLiteral("B"));
    b.sync(); // key ring only
    b.rebuild(makeCipherCodec(keysFrom(b.abs(QStringLiteral(".muze/keyring.json")))));
    b.sync();
    Json ja = a->readJson(kMix);
    ja["name"] = "Song (A)";
    a->writeJson(kMix, ja);
    Json jb = b.readJson(kMix);
    jb["tempo"] = 90;
    b.writeJson(kMix, jb);
    a->write(QStringLiteral("same.txt"), "identical");
    b.write(QStringLiteral("same.txt"), "identical");
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-600);
    a->write(kTake, wav(6, 200), 0, t0);
    b.write(kTake, wav(7, 300), 0, t0.addSecs(5));
    a->sync();
    const SyncReport r = b.sync();
    CHECK(r.merged == 1);
    CHECK(r.recorded == 1);
    CHECK(r.conflicts == 1);
    a->sync();
    requireSameFiles({a.get(), &b});
    CHECK(a->readJson(kMix)["name"] == "Song (A)");
    CHECK(a->readJson(kMix)["tempo"] == 90);
}

TEST_CASE("scenario: encrypted vault — a wrong key is a clear error and the local file is untouched")
{
    World w;
    std::unique_ptr<Device> a = encryptedOrigin(w);
    a->write(QStringLiteral("x.txt"), "v1");
    a->sync();
    // B has a key ring of its own (another vault's keys): the download cannot decrypt.
    Result<crypto::KeyRing> other = crypto::KeyRing::create("correct horse", crypto::KdfParams::minimum());
    REQUIRE(other.ok());
    const QString file = w.path(QStringLiteral("other-keyring.json"));
    REQUIRE(other->save(file).ok());
    Device b(w, QStringLiteral("B"), makeCipherCodec(keysFrom(file)));
    b.write(QStringLiteral("x.txt"), "mine");
    Result<SyncReport> r = b.trySync();
    REQUIRE(r.ok());
    CHECK_FALSE(r->errors.isEmpty());
    CHECK(b.read(QStringLiteral("x.txt")) == "mine");
}
#endif

TEST_CASE("scenario: an edit of a file another device rewrote with the same bytes goes up at once")
{
    // Chaos seeds 5080, 5135, 5179: the remote file got a new rev but kept its bytes (a device
    // revived the project it belongs to). The edit was sent on the old rev, refused as changed,
    // and retried on every pass: the sync never converged and the edit never left the device.
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const QString rel = QStringLiteral("collections/c1/projects/p1/project.json");
    a.writeJson(rel, Json{{"name", "Demo"}, {"tempo", 100}});
    REQUIRE(a.sync().converged);
    REQUIRE(b.sync().converged);
    const QString onRemote = w.remoteDir() + QLatin1Char('/') + rel;
    const QByteArray same = test::readAll(onRemote);
    QFile::remove(onRemote); // rewritten as it was: a new file, the same bytes
    test::writeAll(onRemote, same);
    REQUIRE(remote::fs::setMtime(onRemote, QDateTime::currentDateTimeUtc().addSecs(-5)).ok());

    a.writeJson(rel, Json{{"name", "Demo"}, {"tempo", 120}});
    const SyncReport r = a.sync();
    CHECK(r.converged);
    CHECK(r.uploaded == 1);
    CHECK(Json::parse(test::readAll(onRemote).toStdString())["tempo"] == 120);
    REQUIRE(b.sync().converged);
    CHECK(b.readJson(rel)["tempo"] == 120);
}
