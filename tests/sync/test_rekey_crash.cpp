// Key rotation under kill -9 (issue 3): `muze-cli keys reencrypt` killed at every step of its
// work, then run again; nothing is lost and every file ends under the new key.
#include "catch.h"
#include "clidevice.h"
#include "devices.h"
#include "rekeytest.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/remote/fsops.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>

using namespace muze;
using namespace muze::test;
using namespace muze::test::rekey;
using namespace muze::sync;

#ifdef MUZE_TEST_CRYPTO
namespace {
QMap<QString, QByteArray> plainFiles(const QString& root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = QDir(root).relativeFilePath(it.next());
        if (!rel.startsWith(QLatin1String(".muze-state")) && !rel.startsWith(QLatin1String(".muze/devices")))
            out.insert(rel, readAll(root + QLatin1Char('/') + rel));
    }
    return out;
}

bool restoreTree(const QString& from, const QString& to)
{
    QDir(to).removeRecursively();
    return QProcess::execute(QStringLiteral("cp"), {QStringLiteral("-a"), from, to}) == 0;
}
} // namespace

TEST_CASE("rekey: kill -9 at every step of keys reencrypt, then it finishes and nothing is lost")
{
    // A re-encrypts from its local files; B keeps takes in the cloud, so its takes are
    // re-encrypted from the remote blobs.
    const bool fromCloud = GENERATE(false, true);
    INFO((fromCloud ? "B re-encrypts (cloud-only takes)" : "A re-encrypts (local files)"));
    TempDir dir;
    const QString work = dir.filePath(QStringLiteral("work"));
    const QString tmpl = dir.filePath(QStringLiteral("template"));
    const QString remote = work + QStringLiteral("/remote");
    QDir().mkpath(work);
    const QString pw = dir.filePath(QStringLiteral("password"));
    writeAll(pw, "correct horse battery staple\n");
    const QStringList envA{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-rekey-crash-a")};
    const QStringList envB{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_KEYCHAIN_SERVICE=muze-test-rekey-crash-b")};
    CliDevice a{QStringLiteral("A"), work + QStringLiteral("/A-config"), work + QStringLiteral("/A-vault")};
    CliDevice b{QStringLiteral("B"), work + QStringLiteral("/B-config"), work + QStringLiteral("/B-vault")};
    for (const CliDevice* d : {&a, &b}) {
        REQUIRE(d->cli({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"),
                           QStringLiteral("--provider"), QStringLiteral("local"), QStringLiteral("--path"), d->vault,
                           QStringLiteral("--remote"), remote},
                     d == &a ? envA : envB)
                    .exitCode
            == 0);
    }
    REQUIRE(
        a.cli({QStringLiteral("keys"), QStringLiteral("init"), QStringLiteral("--password-file"), pw}, envA).exitCode
        == 0);
    writeAll(a.file(kMix), dumpJson(mixJson(QStringLiteral("m1"), QStringLiteral("Night drive"), timeAt(1))));
    writeAll(a.file(kTake), QByteArray(300000, 'x'));
    QByteArray big(3 * 1024 * 1024 + 11, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char((i * 131) ^ (i >> 9));
    writeAll(a.file(kTake2), big);
    for (const QString& f : {kMix, kTake, kTake2})
        REQUIRE(remote::fs::setMtime(a.file(f), QDateTime::currentDateTimeUtc().addSecs(-60)).ok());
    REQUIRE(a.cli({QStringLiteral("sync")}, envA).exitCode == 0);
    b.cli({QStringLiteral("sync")}, envB); // the key ring; B is locked
    REQUIRE(
        b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"), pw}, envB).exitCode
        == 0);
    writeAll(b.vault + QStringLiteral("/.muze-state/sync-settings.json"), R"({"audio_download":"on_demand"})");
    REQUIRE(b.cli({QStringLiteral("sync")}, envB).exitCode == 0);
    ProcessResult rotated = a.cli({QStringLiteral("--json"), QStringLiteral("keys"), QStringLiteral("rotate")}, envA);
    REQUIRE(rotated.exitCode == 0);
    const quint32 newKey = Json::parse(rotated.out.toStdString())["active_key_id"].get<quint32>();
    REQUIRE(a.cli({QStringLiteral("sync")}, envA).exitCode == 0); // the ring goes up
    REQUIRE(b.cli({QStringLiteral("sync")}, envB).exitCode == 0); // and B takes the new key
    const QMap<QString, QByteArray> beforeA = plainFiles(a.vault);
    const QMap<QString, QByteArray> beforeB = plainFiles(b.vault);
    REQUIRE(beforeA.contains(kTake2));
    REQUIRE_FALSE(beforeB.contains(kTake2)); // cloud-only on B
    REQUIRE(beforeB.value(kMix) == beforeA.value(kMix));
    const CliDevice& r = fromCloud ? b : a; // the device that re-encrypts
    const CliDevice& o = fromCloud ? a : b; // the other one, which must read the result
    const QStringList& envR = fromCloud ? envB : envA;
    const QStringList& envO = fromCloud ? envA : envB;
    REQUIRE(restoreTree(work, tmpl));
    REQUIRE(restoreTree(tmpl, work)); // the trace sees what every run below sees (copied files, new inodes)

    ProcessResult trace = r.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")},
        envR + QStringList{QStringLiteral("MUZE_SYNC_TEST_TRACE=1")});
    REQUIRE(trace.exitCode == 0);
    const int steps = int(trace.err.count("muze-sync: step "));
    REQUIRE(steps >= 8);
    int killed = 0;
    for (int step = 1; step <= steps; ++step) {
        INFO("kill -9 at step " << step << " of " << steps);
        REQUIRE(restoreTree(tmpl, work));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& kv : envR)
            env.insert(kv.section(QLatin1Char('='), 0, 0), kv.section(QLatin1Char('='), 1));
        env.insert(QStringLiteral("MUZE_SYNC_TEST_PAUSE_AT"), QString::number(step));
        p.setProcessEnvironment(env);
        p.setReadChannel(QProcess::StandardError);
        p.start(builtBinary(QStringLiteral("muze-cli")),
            {QStringLiteral("--config-dir"), r.config, QStringLiteral("keys"), QStringLiteral("reencrypt")});
        REQUIRE(p.waitForStarted());
        QByteArray err;
        while (!err.contains("paused at step") && p.state() == QProcess::Running) {
            p.waitForReadyRead(200);
            err += p.readAllStandardError();
        }
        // A time-based journal flush can add or drop a step between runs on a loaded machine:
        // a run that ends before the step must have finished cleanly.
        if (err.contains("paused at step")) {
            p.kill();
            p.waitForFinished();
            ++killed;
        } else {
            p.waitForFinished();
            INFO(err.toStdString());
            REQUIRE(p.exitCode() == 0);
        }

        ProcessResult rerun;
        QByteArray reruns; // every rerun's output, for a failure report
        for (int i = 0; i < 3 && (i == 0 || rerun.exitCode != 0); ++i) {
            rerun = r.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")}, envR);
            reruns += "--- rerun " + QByteArray::number(i + 1) + ": exit " + QByteArray::number(rerun.exitCode) + "\n"
                + rerun.out + rerun.err;
        }
        INFO("killed run: " << err.toStdString() << "\n" << reruns.toStdString());
        REQUIRE(rerun.exitCode == 0);
        for (quint32 id : remoteKeyIds(remote))
            CHECK(id == newKey);
        const ProcessResult other = o.cli({QStringLiteral("sync")}, envO);
        INFO("other device: " << other.out.toStdString() << other.err.toStdString());
        REQUIRE(other.exitCode == 0);
        CHECK(plainFiles(a.vault) == beforeA);
        CHECK(plainFiles(b.vault) == beforeB);
        // No temp file at a final path (the folder remote's own staging folder clears
        // uploads a dead process left behind after a day).
        for (const QString& f : plainFiles(remote).keys())
            CHECK((f.startsWith(QLatin1String(".muze-tmp/")) || !f.contains(QLatin1String(".tmp"))));
    }
    CHECK(killed >= steps - 2);
    WARN("killed muze-cli keys reencrypt with SIGKILL at " << killed << " of its " << steps << " steps");
    a.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envA);
    b.cli({QStringLiteral("keys"), QStringLiteral("lock")}, envB);
}
#endif
