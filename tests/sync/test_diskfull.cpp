// A full local disk during sync, on a real full file system: device B's vault lives on a 3 MiB
// tmpfs (mounted in a private mount namespace with unshare, so no root is needed and nothing
// leaks out), device A has put a 6 MB take on the folder remote. B's sync must fail with an
// error that says which disk is full and what to do, keep everything else it could fetch, leave
// no half take and no temp file; once the disk has room, the next sync brings the take whole.
#include "catch.h"
#include "clidevice.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QFile>

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
    // As root, a plain mount namespace; otherwise a user namespace maps us to root in it.
    const QStringList unshare = ::geteuid() == 0 ? QStringList{QStringLiteral("-m")} : QStringList{QStringLiteral("-rm")};
    r = run(QStringLiteral("unshare"), unshare + QStringList{QStringLiteral("bash"), QStringLiteral("-c"), QString::fromUtf8(kScript)},
            {}, 120000,
            {QStringLiteral("DISK=") + disk, QStringLiteral("OUT=") + out, QStringLiteral("REMOTE=") + remote,
             QStringLiteral("CONF=") + dir.filePath(QStringLiteral("B-config")),
             QStringLiteral("CLI=") + builtBinary(QStringLiteral("muze-cli")), QStringLiteral("MUZE_SYNC_SETTLE_MS=0")});
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
