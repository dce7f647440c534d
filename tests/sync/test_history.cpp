// History and Recently deleted (issue 12) with two devices on a folder remote, plain and
// encrypted, through the real muze-cli (tests/support/historyscenario.h).
#include "catch.h"
#include "clidevice.h"
#include "historyscenario.h"

#include <QDirIterator>

using namespace muze;
using namespace muze::test;

namespace {

void syncOk(const CliDevice& d)
{
    const ProcessResult r = d.cli({QStringLiteral("sync")});
    INFO(d.name.toStdString() << ": " << r.err.toStdString() << r.out.toStdString());
    REQUIRE(r.exitCode == 0);
}

QStringList versionFiles(const QString& remote)
{
    QStringList out;
    QDirIterator it(
        remote + QStringLiteral("/.muze-versions"), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

} // namespace

TEST_CASE("history: five edits from two devices, restore, and recently deleted on a folder remote")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    const CliDevice a = makeCliDevice(dir, QStringLiteral("A"), remote);
    const CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    const HistoryBand band = runHistoryScenario<CliDevice>(a, b, dir, syncOk);
    // The versions area holds the replaced mixes and the deleted take, and never syncs.
    CHECK(versionFiles(remote).size() >= 7);
    CHECK_FALSE(QFile::exists(a.file(QStringLiteral(".muze-versions"))));
    CHECK_FALSE(QFile::exists(b.file(QStringLiteral(".muze-versions"))));

    // Retention is a vault setting that syncs.
    const Json set = cliJson(a.cli(
        {QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("retention"), QStringLiteral("30 days")}));
    CHECK(set["retention"] == "30d");
    CHECK(a.cli({QStringLiteral("history"), QStringLiteral("retention"), QStringLiteral("2 weeks")}).exitCode == 2);
    syncOk(a);
    syncOk(b);
    CHECK(cliJson(b.cli({QStringLiteral("--json"), QStringLiteral("history"), band.mid}))["retention"] == "30d");
}

TEST_CASE(
    "history: an encrypted vault keeps only ciphertext in the versions area, readable after rotate and password change")
{
    TempDir dir;
    const QString remote = dir.filePath(QStringLiteral("remote"));
    writeAll(dir.filePath(QStringLiteral("pw")), "correct horse battery staple\n");
    writeAll(dir.filePath(QStringLiteral("pw2")), "another horse entirely\n");
    const CliDevice a{
        QStringLiteral("A"), dir.filePath(QStringLiteral("A-config")), dir.filePath(QStringLiteral("A-vault"))};
    ProcessResult r = a.cli(
        {QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), QStringLiteral("--provider"),
            QStringLiteral("local"), QStringLiteral("--path"), a.vault, QStringLiteral("--remote"), remote,
            QStringLiteral("--encrypt"), QStringLiteral("--password-file"), dir.filePath(QStringLiteral("pw"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    syncOk(a);
    const CliDevice b = makeCliDevice(dir, QStringLiteral("B"), remote);
    (void)b.cli({QStringLiteral("sync")}); // brings the key ring
    r = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"),
        dir.filePath(QStringLiteral("pw"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);

    const HistoryBand band = runHistoryScenario<CliDevice>(a, b, dir, syncOk);

    // No plaintext in the versions area: every kept file is a blob (FORMAT.md §3), and none
    // holds the mix's name or the take's samples.
    const QStringList kept = versionFiles(remote);
    CHECK(kept.size() >= 7);
    for (const QString& f : kept) {
        const QByteArray bytes = readAll(f);
        INFO(f.toStdString());
        CHECK(bytes.startsWith("MUZE-ENC"));
        CHECK_FALSE(bytes.contains("Main"));
        CHECK_FALSE(bytes.contains(band.take.mid(44, 4096)));
    }

    // Old versions stay readable after a key rotation (every file re-encrypted: the old
    // ciphertexts are versions now) and a password change.
    REQUIRE(a.cli({QStringLiteral("keys"), QStringLiteral("rotate")}).exitCode == 0);
    r = a.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    r = a.cli({QStringLiteral("keys"), QStringLiteral("change-password"), QStringLiteral("--password-file"),
        dir.filePath(QStringLiteral("pw")), QStringLiteral("--new-password-file"),
        dir.filePath(QStringLiteral("pw2"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    syncOk(a);
    (void)b.cli({QStringLiteral("sync")}); // the new key ring; B learns the password changed
    r = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"),
        dir.filePath(QStringLiteral("pw2"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    syncOk(b);
    for (const CliDevice* d : {&a, &b}) {
        const Json history = cliJson(d->cli({QStringLiteral("--json"), QStringLiteral("history"), band.mid}));
        const QStringList s = summaries(history);
        REQUIRE(s.size() >= 9);
        CHECK(s[0] == QStringLiteral("created \"Main\""));
        CHECK(s[4] == QStringLiteral("Bass: muted"));
        CHECK(s.back() == QStringLiteral("no changes")); // the re-encryption: same plaintext
        const Json v2 = cliJson(d->cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("show"),
            band.mid, QStringLiteral("2")}));
        CHECK(v2["content"]["tempo"] == 100);
    }
}
