// A full local disk during sync, on a real full file system: device B's vault lives on a small
// tmpfs (mounted in a private mount namespace with unshare, so no root is needed and nothing
// leaks out). First the disk fills during a download (a 6 MB take): B's sync must fail with an
// error that says which disk is full and what to do, keep everything else it could fetch, leave
// no half take and no temp file; once the disk has room, the next sync brings the take whole.
// Then the disk fills while the sync journal itself is written: the same clear error, and a
// journal that still opens whole afterwards.
#include "catch.h"
#include "clidevice.h"

#include <muze/sync/journal.h>

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <unistd.h>

using namespace muze;
using namespace muze::test;

namespace {

QString idOf(const ProcessResult& r) { return QString::fromUtf8(r.out).trimmed(); }

QString readText(const QString& path) { return QString::fromUtf8(readAll(path)); }

// Runs inside the namespace: everything that touches the small disk happens here, and what the
// test checks is written to $OUT, which is on the ordinary disk.
const char* kScript = R"(set -u
mount -t tmpfs -o size=3m muzefull "$DISK" || exit 90
"$CLI" --config-dir "$CONF" vault create Band --provider local --path "$DISK/vault" --remote "$REMOTE" >/dev/null || exit 91
"$CLI" --config-dir "$CONF" sync >"$OUT/first.out" 2>"$OUT/first.err"; echo $? >"$OUT/first.rc"
(cd "$DISK/vault" && find . -type f | sort) >"$OUT/first.files"
df -k "$DISK" | tail -n 1 >"$OUT/first.df"
mount -o remount,size=64m "$DISK" || exit 92
"$CLI" --config-dir "$CONF" sync >"$OUT/second.out" 2>"$OUT/second.err"; echo $? >"$OUT/second.rc"
cp -a "$DISK/vault" "$OUT/vault"
)";

// The journal's turn: B syncs once on a roomy disk, A adds many files (one large journal write
// to mirror them), then the disk is filled to all but $LEFT KiB before B syncs again.
const char* kJournalScript = R"(set -u
mount -t tmpfs -o size=8m muzefull "$DISK" || exit 90
"$CLI" --config-dir "$CONF" vault create Band --provider local --path "$DISK/vault" --remote "$REMOTE" >/dev/null || exit 91
"$CLI" --config-dir "$CONF" sync >/dev/null 2>"$OUT/first.err" || exit 93
mkdir -p "$AVAULT/notes" || exit 94
for i in $(seq 1 400); do
  echo "note $i" >"$AVAULT/notes/a-rather-long-name-so-that-each-mirrored-row-takes-room-in-the-journal-$i.txt"
done
"$CLI" --config-dir "$ACONF" sync >/dev/null 2>"$OUT/a.err" || exit 95
avail=$(df -k --output=avail "$DISK" | tail -n 1)
fallocate -l $(( (avail - LEFT) * 1024 )) "$DISK/filler" || exit 96
"$CLI" --config-dir "$CONF" sync >"$OUT/full.out" 2>"$OUT/full.err"; echo $? >"$OUT/full.rc"
cp -a "$DISK/vault" "$OUT/afterfull"
rm "$DISK/filler"
"$CLI" --config-dir "$CONF" sync >"$OUT/second.out" 2>"$OUT/second.err"; echo $? >"$OUT/second.rc"
cp -a "$DISK/vault" "$OUT/vault"
)";

// The user's files of a vault (not the local state), relative, sorted.
QStringList userFiles(const QString& root)
{
    QStringList out;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = QDir(root).relativeFilePath(it.next());
        if (!rel.startsWith(QStringLiteral(".muze-state/")))
            out << rel;
    }
    out.sort();
    return out;
}

// Runs `script` with bash in a private mount namespace, the CLI in $CLI.
ProcessResult runOnSmallDisk(const char* script, QStringList env)
{
    // As root, a plain mount namespace; otherwise a user namespace maps us to root in it.
    const QStringList unshare = ::geteuid() == 0 ? QStringList{QStringLiteral("-m")} : QStringList{QStringLiteral("-rm")};
    env << QStringLiteral("CLI=") + builtBinary(QStringLiteral("muze-cli")) << QStringLiteral("MUZE_SYNC_SETTLE_MS=0");
    return run(QStringLiteral("unshare"), unshare + QStringList{QStringLiteral("bash"), QStringLiteral("-c"), QString::fromUtf8(script)},
               {}, 120000, env);
}

} // namespace

TEST_CASE("sync: a full local disk stops the download with a clear error, keeps the rest, and resumes")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);

    // Device A: a mix with a 6 MB take (32 s of 48 kHz stereo), synced to the remote.
    ProcessResult r = a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    REQUIRE(r.exitCode == 0);
    const QString cid = idOf(r);
    r = a.cli({QStringLiteral("project"), QStringLiteral("add"), cid, QStringLiteral("Demo")});
    REQUIRE(r.exitCode == 0);
    const QString pid = idOf(r);
    r = a.cli({QStringLiteral("mix"), QStringLiteral("add"), pid, QStringLiteral("Main")});
    REQUIRE(r.exitCode == 0);
    const QString mid = idOf(r);
    const QString wav = dir.filePath(QStringLiteral("take.wav"));
    writeAll(wav, makeWav(48000, 2, 16, 48000 * 32, 220));
    REQUIRE(QFileInfo(wav).size() > 6'000'000);
    r = a.cli({QStringLiteral("track"), QStringLiteral("import"), mid, wav, QStringLiteral("--name"), QStringLiteral("Guitar")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    r = a.cli({QStringLiteral("sync")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    QString takeRel;
    {
        QDirIterator it(a.vault + QStringLiteral("/collections"), {QStringLiteral("*.wav")}, QDir::Files,
                        QDirIterator::Subdirectories);
        REQUIRE(it.hasNext());
        takeRel = QDir(a.vault).relativeFilePath(it.next());
    }
    const QString mixRel = QStringLiteral("collections/%1/projects/%2/mixes/%3.json").arg(cid, pid, mid);
    REQUIRE(QFile::exists(a.file(mixRel)));

    // Device B, on the small disk.
    const QString disk = dir.filePath(QStringLiteral("disk"));
    const QString out = dir.filePath(QStringLiteral("out"));
    REQUIRE(QDir().mkpath(disk));
    REQUIRE(QDir().mkpath(out));
    r = runOnSmallDisk(kScript, {QStringLiteral("DISK=") + disk, QStringLiteral("OUT=") + out, QStringLiteral("REMOTE=") + remote,
                                 QStringLiteral("CONF=") + dir.filePath(QStringLiteral("B-config"))});
    INFO("unshare: " << r.err.toStdString());
    REQUIRE(r.exitCode == 0); // 90-92: the namespace, the mount or the vault could not be made

    // The first sync: refused with the reason and the remedy, and nothing half-written.
    const QString firstErr = readText(out + QStringLiteral("/first.err"));
    INFO("first sync: " << firstErr.toStdString() << readText(out + QStringLiteral("/first.out")).toStdString());
    INFO("disk after it: " << readText(out + QStringLiteral("/first.df")).toStdString());
    CHECK(readText(out + QStringLiteral("/first.rc")).trimmed() != QStringLiteral("0"));
    CHECK(firstErr.contains(QStringLiteral("is full")));
    CHECK(firstErr.contains(takeRel));
    CHECK(firstErr.contains(QStringLiteral("Free up space")));
    const QStringList firstFiles = readText(out + QStringLiteral("/first.files")).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    INFO("files on the small disk: " << firstFiles.join(QLatin1Char(' ')).toStdString());
    CHECK(firstFiles.contains(QStringLiteral("./") + mixRel)); // the mix itself fits and arrives
    CHECK(firstFiles.filter(QStringLiteral(".wav")).isEmpty()); // no half take
    CHECK(firstFiles.filter(QStringLiteral(".muze-tmp")).isEmpty()); // and no temp file left

    // With room on the disk, the next sync brings the take, byte for byte.
    INFO("second sync: " << readText(out + QStringLiteral("/second.err")).toStdString());
    CHECK(readText(out + QStringLiteral("/second.rc")).trimmed() == QStringLiteral("0"));
    const QByteArray fetched = readAll(out + QStringLiteral("/vault/") + takeRel);
    CHECK(fetched.size() == QFileInfo(wav).size());
    CHECK(QCryptographicHash::hash(fetched, QCryptographicHash::Sha256)
          == QCryptographicHash::hash(readAll(a.file(takeRel)), QCryptographicHash::Sha256));
    CHECK(readAll(out + QStringLiteral("/vault/") + mixRel) == readAll(a.file(mixRel)));
}

TEST_CASE("sync: a disk that fills while the journal is written fails clearly and keeps the journal whole")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    writeAll(a.file(QStringLiteral("before.txt")), "synced before the disk filled");
    ProcessResult r = a.cli({QStringLiteral("sync")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);

    const QString disk = dir.filePath(QStringLiteral("disk"));
    const QString out = dir.filePath(QStringLiteral("out"));
    REQUIRE(QDir().mkpath(disk));
    REQUIRE(QDir().mkpath(out));
    // 48 KiB left: room to open the journal and its WAL index, not to mirror 400 new files.
    r = runOnSmallDisk(kJournalScript,
                       {QStringLiteral("DISK=") + disk, QStringLiteral("OUT=") + out, QStringLiteral("REMOTE=") + remote,
                        QStringLiteral("CONF=") + dir.filePath(QStringLiteral("B-config")), QStringLiteral("ACONF=") + a.config,
                        QStringLiteral("AVAULT=") + a.vault, QStringLiteral("LEFT=48")});
    INFO("unshare: " << r.err.toStdString() << readText(out + QStringLiteral("/a.err")).toStdString());
    REQUIRE(r.exitCode == 0); // 90-96: the namespace, the mount, a vault or the filler could not be made

    // Refused with the vault's folder, the cause and the remedy.
    const QString vaultOnDisk = disk + QStringLiteral("/vault");
    const QString fullErr = readText(out + QStringLiteral("/full.err"));
    INFO("sync on the full disk: " << fullErr.toStdString() << readText(out + QStringLiteral("/full.out")).toStdString());
    CHECK(readText(out + QStringLiteral("/full.rc")).trimmed() != QStringLiteral("0"));
    CHECK(fullErr.contains(QStringLiteral("The disk holding the vault %1 is full").arg(vaultOnDisk)));
    CHECK(fullErr.contains(QStringLiteral("the sync journal needs")));
    CHECK(fullErr.contains(QStringLiteral("Free up space")));

    // No half file at a final path: whatever is there is exactly A's.
    const QString after = out + QStringLiteral("/afterfull");
    for (const QString& rel : userFiles(after)) {
        if (rel.startsWith(QStringLiteral(".muze/devices/")))
            continue; // each device writes its own record
        INFO(rel.toStdString());
        CHECK(readAll(after + QLatin1Char('/') + rel) == readAll(a.file(rel)));
    }
    CHECK(userFiles(after).filter(QStringLiteral(".muze-tmp")).isEmpty());

    // The journal as the failed sync left it opens, passes SQLite's own check and still knows
    // what the first sync recorded.
    {
        Result<std::unique_ptr<sync::Journal>> journal = sync::Journal::open(after);
        INFO((journal ? QString() : journal.error().message).toStdString());
        REQUIRE(journal.ok());
        Result<QHash<QString, sync::JournalRow>> rows = (*journal)->rows();
        REQUIRE(rows.ok());
        CHECK(rows->contains(QStringLiteral("before.txt")));
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("diskfull-check"));
        db.setDatabaseName(after + QStringLiteral("/.muze-state/journal.sqlite"));
        REQUIRE(db.open());
        QSqlQuery q(db);
        REQUIRE(q.exec(QStringLiteral("PRAGMA integrity_check")));
        REQUIRE(q.next());
        CHECK(q.value(0).toString() == QStringLiteral("ok"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("diskfull-check"));

    // With room again, the next sync completes (the CLI fails unless it converges) with A's
    // files, every one of them, and no conflicted copy.
    INFO("sync with room: " << readText(out + QStringLiteral("/second.err")).toStdString());
    CHECK(readText(out + QStringLiteral("/second.rc")).trimmed() == QStringLiteral("0"));
    const QString vault = out + QStringLiteral("/vault");
    const QStringList notes = userFiles(a.vault).filter(QStringLiteral("notes/"));
    CHECK(notes.size() == 400);
    for (const QString& rel : userFiles(a.vault)) {
        if (rel.startsWith(QStringLiteral(".muze/devices/")))
            continue;
        INFO(rel.toStdString());
        CHECK(readAll(vault + QLatin1Char('/') + rel) == readAll(a.file(rel)));
    }
    CHECK(userFiles(vault).filter(QStringLiteral("conflicted copy")).isEmpty());
}
