// DESIGN.md §3's table, row by row, against the pure reconciler.
#include "catch.h"
#include "testsupport.h"

#include <muze/sync/reconciler.h>

using namespace muze;
using namespace muze::sync;

namespace {

const QString kJson = QStringLiteral("c/p/mixes/m.json");
const QString kWav = QStringLiteral("c/p/audio/t.wav");

JournalRow synced(const QString& path, const QString& hash = QStringLiteral("h0"), const QString& rev = QStringLiteral("r0"))
{
    JournalRow r;
    r.path = path;
    r.localSize = 10;
    r.localMtimeNs = 1000;
    r.localInode = 7;
    r.localHash = hash;
    r.remoteRev = rev;
    r.remoteHash = QStringLiteral("rh-") + hash;
    return r;
}

LocalFile localFile(const QString& path, const QString& hash, bool statMatches = true)
{
    LocalFile f;
    f.path = path;
    f.diskPath = path;
    f.size = 10;
    f.mtimeNs = 1000;
    f.inode = 7;
    f.hash = hash;
    f.statMatchesJournal = statMatches;
    return f;
}

RemoteRow remoteRow(const QString& path, const QString& rev, const QString& hash)
{
    return RemoteRow{path, rev, hash, 10, 0, {}, {}};
}

Action decide(const QString& path, const LocalFile* l, const RemoteRow* r, const JournalRow* j, ReconcileOptions o = {})
{
    return reconcileOne(path, l, r, j, o);
}

} // namespace

TEST_CASE("table: same / same → nothing")
{
    const JournalRow j = synced(kJson);
    const LocalFile l = localFile(kJson, QStringLiteral("h0"));
    const RemoteRow r = remoteRow(kJson, QStringLiteral("r0"), QStringLiteral("rh-h0"));
    const Action a = decide(kJson, &l, &r, &j);
    CHECK(a.kind == ActionKind::None);
    CHECK(a.local == Side::Unchanged);
    CHECK(a.remote == Side::Unchanged);
    // Only the stat moved (touched file): refresh the row, no transfer.
    const LocalFile touched = localFile(kJson, QStringLiteral("h0"), false);
    CHECK(decide(kJson, &touched, &r, &j).kind == ActionKind::Record);
    // A new rev with the same stored bytes is no remote change either.
    const RemoteRow sameBytes = remoteRow(kJson, QStringLiteral("r9"), QStringLiteral("rh-h0"));
    CHECK(decide(kJson, &l, &sameBytes, &j).kind == ActionKind::None);
}

TEST_CASE("table: changed / same → upload with update(rev)")
{
    const JournalRow j = synced(kWav);
    const LocalFile l = localFile(kWav, QStringLiteral("h1"));
    const RemoteRow r = remoteRow(kWav, QStringLiteral("r0"), QStringLiteral("rh-h0"));
    const Action a = decide(kWav, &l, &r, &j);
    CHECK(a.kind == ActionKind::Upload);
    CHECK(a.mode == remote::WriteMode::Update);
    CHECK(a.rev == QStringLiteral("r0"));
}

TEST_CASE("table: the same bytes under a new rev are unchanged, and a write names the new rev")
{
    // Another device rewrote the file as it was (chaos seed 5080: a revived project). With the
    // journal's old rev the update was refused on every pass and the sync never converged.
    const JournalRow j = synced(kJson);
    const LocalFile edited = localFile(kJson, QStringLiteral("h1"));
    const RemoteRow rewritten = remoteRow(kJson, QStringLiteral("r9"), QStringLiteral("rh-h0"));
    const Action up = decide(kJson, &edited, &rewritten, &j);
    CHECK(up.remote == Side::Unchanged);
    CHECK(up.kind == ActionKind::Upload);
    CHECK(up.mode == remote::WriteMode::Update);
    CHECK(up.rev == QStringLiteral("r9"));
    const Action del = decide(kJson, nullptr, &rewritten, &j);
    CHECK(del.kind == ActionKind::DeleteRemote);
    CHECK(del.rev == QStringLiteral("r9"));
}

TEST_CASE("table: same / changed → download")
{
    const JournalRow j = synced(kJson);
    const LocalFile l = localFile(kJson, QStringLiteral("h0"));
    const RemoteRow r = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("rh-h1"));
    CHECK(decide(kJson, &l, &r, &j).kind == ActionKind::Download);
}

TEST_CASE("table: changed / changed → record when equal, else resolve")
{
    const JournalRow j = synced(kJson);
    const LocalFile l = localFile(kJson, QStringLiteral("h2"));
    const RemoteRow equal = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("h2"));
    CHECK(decide(kJson, &l, &equal, &j).kind == ActionKind::Record);
    const RemoteRow different = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("h3"));
    CHECK(decide(kJson, &l, &different, &j).kind == ActionKind::Resolve);
    // Encrypted: remote hashes are of ciphertext, so equality needs the download (resolve).
    ReconcileOptions enc;
    enc.encrypted = true;
    CHECK(decide(kJson, &l, &equal, &j, enc).kind == ActionKind::Resolve);
}

TEST_CASE("table: deleted / same → delete remote with the listed rev")
{
    const JournalRow j = synced(kWav);
    const RemoteRow r = remoteRow(kWav, QStringLiteral("r0"), QStringLiteral("rh-h0"));
    const Action a = decide(kWav, nullptr, &r, &j);
    CHECK(a.kind == ActionKind::DeleteRemote);
    CHECK(a.rev == QStringLiteral("r0"));
}

TEST_CASE("table: same / deleted → delete local")
{
    const JournalRow j = synced(kWav);
    const LocalFile l = localFile(kWav, QStringLiteral("h0"));
    CHECK(decide(kWav, &l, nullptr, &j).kind == ActionKind::DeleteLocal);
}

TEST_CASE("table: deleted / changed and changed / deleted → the change wins")
{
    const JournalRow j = synced(kJson);
    const RemoteRow r = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("rh-h1"));
    const Action back = decide(kJson, nullptr, &r, &j);
    CHECK(back.kind == ActionKind::Download);
    const LocalFile l = localFile(kJson, QStringLiteral("h1"));
    const Action up = decide(kJson, &l, nullptr, &j);
    CHECK(up.kind == ActionKind::Upload);
    CHECK(up.mode == remote::WriteMode::Add);
}

TEST_CASE("table: deleted / deleted → forget the row")
{
    const JournalRow j = synced(kJson);
    CHECK(decide(kJson, nullptr, nullptr, &j).kind == ActionKind::Forget);
}

TEST_CASE("table: new / new → like changed / changed")
{
    const LocalFile l = localFile(kJson, QStringLiteral("h5"));
    const RemoteRow equal = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("h5"));
    CHECK(decide(kJson, &l, &equal, nullptr).kind == ActionKind::Record);
    const RemoteRow different = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("h6"));
    const Action a = decide(kJson, &l, &different, nullptr);
    CHECK(a.kind == ActionKind::Resolve);
    CHECK(a.local == Side::New);
    CHECK(a.remote == Side::New);
}

TEST_CASE("table: new on one side only → upload (add) or download")
{
    const LocalFile l = localFile(kJson, QStringLiteral("h5"));
    const Action up = decide(kJson, &l, nullptr, nullptr);
    CHECK(up.kind == ActionKind::Upload);
    CHECK(up.mode == remote::WriteMode::Add);
    const RemoteRow r = remoteRow(kJson, QStringLiteral("r1"), QStringLiteral("h6"));
    CHECK(decide(kJson, nullptr, &r, nullptr).kind == ActionKind::Download);
}

TEST_CASE("rule 4: a file being recorded or still settling is skipped whatever the remote did")
{
    const JournalRow j = synced(kWav);
    LocalFile l = localFile(kWav, {});
    l.skip = QStringLiteral("recording");
    const RemoteRow r = remoteRow(kWav, QStringLiteral("r1"), QStringLiteral("rh-h1"));
    Action a = decide(kWav, &l, &r, &j);
    CHECK(a.kind == ActionKind::Skip);
    CHECK(a.why == QStringLiteral("recording"));
    l.skip = QStringLiteral("settling");
    CHECK(decide(kWav, &l, nullptr, nullptr).kind == ActionKind::Skip);
}

TEST_CASE("audio on demand and audio off")
{
    const RemoteRow r = remoteRow(kWav, QStringLiteral("r1"), QStringLiteral("h1"));
    ReconcileOptions onDemand;
    onDemand.audioDownload = AudioDownload::OnDemand;
    CHECK(decide(kWav, nullptr, &r, nullptr, onDemand).kind == ActionKind::CloudOnly);
    CHECK(decide(kJson, nullptr, &r, nullptr, onDemand).kind == ActionKind::Download); // JSON always
    onDemand.wanted.insert(kWav);
    CHECK(decide(kWav, nullptr, &r, nullptr, onDemand).kind == ActionKind::Download);

    // A cloud-only row: nothing to do until asked for; remote deleted → forget.
    JournalRow cloud;
    cloud.path = kWav;
    cloud.localPresent = false;
    cloud.remoteRev = QStringLiteral("r1");
    cloud.remoteHash = QStringLiteral("h1");
    onDemand.wanted.clear();
    CHECK(decide(kWav, nullptr, &r, &cloud, onDemand).kind == ActionKind::None);
    CHECK(decide(kWav, nullptr, nullptr, &cloud, onDemand).kind == ActionKind::Forget);
    const RemoteRow newer = remoteRow(kWav, QStringLiteral("r2"), QStringLiteral("h2"));
    CHECK(decide(kWav, nullptr, &newer, &cloud, onDemand).kind == ActionKind::CloudOnly);

    ReconcileOptions off;
    off.dataTypes = DataTypes::JsonOnly;
    const LocalFile l = localFile(kWav, QStringLiteral("h9"));
    CHECK(decide(kWav, &l, nullptr, nullptr, off).kind == ActionKind::Skip);
    CHECK(decide(kWav, nullptr, &r, nullptr, off).kind == ActionKind::CloudOnly);
}

TEST_CASE("reconcile covers the union of paths in a stable order")
{
    QHash<QString, LocalFile> local{{QStringLiteral("b"), localFile(QStringLiteral("b"), QStringLiteral("x"))}};
    QHash<QString, RemoteRow> remote{{QStringLiteral("a"), remoteRow(QStringLiteral("a"), QStringLiteral("r"), QStringLiteral("y"))}};
    QHash<QString, JournalRow> journal{{QStringLiteral("c"), synced(QStringLiteral("c"))}};
    const std::vector<Action> actions = reconcile(local, remote, journal, {});
    REQUIRE(actions.size() == 3);
    CHECK(actions[0].path == QStringLiteral("a"));
    CHECK(actions[0].kind == ActionKind::Download);
    CHECK(actions[1].kind == ActionKind::Upload);
    CHECK(actions[2].kind == ActionKind::Forget);
}

TEST_CASE("rule 5: the mass-delete rail")
{
    std::vector<Action> actions(4);
    for (Action& a : actions)
        a.kind = ActionKind::DeleteLocal;
    CHECK(checkMassDelete(actions, 6, 6).tripped);       // 4 of 6
    CHECK_FALSE(checkMassDelete(actions, 8, 8).tripped); // exactly half
    std::vector<Action> two(2);
    for (Action& a : two)
        a.kind = ActionKind::DeleteRemote;
    CHECK_FALSE(checkMassDelete(two, 2, 2).tripped); // below the minimum
    for (Action& a : actions)
        a.kind = ActionKind::DeleteRemote;
    const MassDelete m = checkMassDelete(actions, 100, 5);
    CHECK(m.tripped);
    CHECK(m.message.contains(QStringLiteral("remote")));
}

TEST_CASE("audio sync off: an audio file is neither sent nor fetched, whatever the sides say")
{
    ReconcileOptions off;
    off.dataTypes = DataTypes::JsonOnly;
    const JournalRow j = synced(kWav);
    const LocalFile same = localFile(kWav, QStringLiteral("h0"));
    const LocalFile edited = localFile(kWav, QStringLiteral("h1"));
    const LocalFile fresh = localFile(kWav, QStringLiteral("h5"));
    const RemoteRow unchanged = remoteRow(kWav, QStringLiteral("r0"), QStringLiteral("rh-h0"));
    const RemoteRow changed = remoteRow(kWav, QStringLiteral("r1"), QStringLiteral("rh-h1"));
    const RemoteRow equalToFresh = remoteRow(kWav, QStringLiteral("r1"), QStringLiteral("h5"));
    struct Row {
        const char* what;
        const LocalFile* local;
        const RemoteRow* remote;
        const JournalRow* row;
        ActionKind on;  // with audio sync on
        ActionKind off; // with it off
    };
    const std::vector<Row> table{
        {"same / changed", &same, &changed, &j, ActionKind::Download, ActionKind::Skip},
        {"changed / same", &edited, &unchanged, &j, ActionKind::Upload, ActionKind::Skip},
        {"changed / changed", &edited, &changed, &j, ActionKind::Resolve, ActionKind::Skip},
        {"changed / deleted", &edited, nullptr, &j, ActionKind::Upload, ActionKind::Skip},
        {"deleted / changed", nullptr, &changed, &j, ActionKind::Download, ActionKind::Skip},
        {"new / new", &fresh, &changed, nullptr, ActionKind::Resolve, ActionKind::Skip},
        {"new / absent", &fresh, nullptr, nullptr, ActionKind::Upload, ActionKind::Skip},
        {"new / new, equal content", &fresh, &equalToFresh, nullptr, ActionKind::Record, ActionKind::Record},
        {"same / deleted", &same, nullptr, &j, ActionKind::DeleteLocal, ActionKind::DeleteLocal},
        {"deleted / same", nullptr, &unchanged, &j, ActionKind::DeleteRemote, ActionKind::DeleteRemote},
        {"deleted / deleted", nullptr, nullptr, &j, ActionKind::Forget, ActionKind::Forget},
        {"absent / new", nullptr, &changed, nullptr, ActionKind::Download, ActionKind::CloudOnly},
    };
    for (const Row& row : table) {
        INFO(row.what);
        CHECK(decide(kWav, row.local, row.remote, row.row).kind == row.on);
        const Action a = decide(kWav, row.local, row.remote, row.row, off);
        CHECK(a.kind == row.off);
        if (a.kind == ActionKind::Skip) {
            CHECK(a.why == QStringLiteral("audio sync is off"));
            CHECK(a.rev.isEmpty());
        }
        // JSON is never held back by the audio setting.
        CHECK(decide(kJson, row.local, row.remote, row.row, off).kind == row.on);
    }
}
