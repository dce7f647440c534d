// A whole iCloud vault through the real muze-cli and the simulated ubiquity container: what the
// OS and other devices do to the container (evicting a take, leaving a conflict version) reaches
// the user as it should: nothing deleted, and the other take in the Conflicts list.
#include "catch.h"
#include "clidevice.h"
#include "testsupport.h"

#include <muze/remote/simulatedubiquity.h>
#include <muze/util/json.h>

#include <QDirIterator>

using namespace muze;
using namespace muze::test;

TEST_CASE("sync: iCloud evicting a take deletes nothing, a conflict version reaches the Conflicts list")
{
    TempDir dir;
    const QString root = dir.filePath(QStringLiteral("ubiquity"));
    const QStringList env{
        QStringLiteral("MUZE_SYNC_SETTLE_MS=0"), QStringLiteral("MUZE_ICLOUD_SIMULATED_ROOT=") + root};
    CliDevice mac{
        QStringLiteral("Mac"), dir.filePath(QStringLiteral("mac-config")), dir.filePath(QStringLiteral("mac-vault"))};
    auto ok = [&](const QStringList& args) {
        const ProcessResult r = mac.cli(args, env);
        INFO(args.join(QLatin1Char(' ')).toStdString() << " -> " << r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        return r;
    };
    ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), QStringLiteral("--provider"),
        QStringLiteral("icloud"), QStringLiteral("--path"), mac.vault});
    ok({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    ok({QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("Songs"), QStringLiteral("Album")});
    ok({QStringLiteral("mix"), QStringLiteral("add"), QStringLiteral("Album"), QStringLiteral("Opening")});
    const QString wav = dir.filePath(QStringLiteral("guitar.wav"));
    const QByteArray take = makeWav(48000, 2, 16, 48000 * 8); // ~1.5 MB
    writeAll(wav, take);
    ok({QStringLiteral("track"), QStringLiteral("import"), QStringLiteral("Opening"), wav});
    ok({QStringLiteral("sync"), QStringLiteral("--once")});

    remote::SimulatedUbiquityContainer container(root, QStringLiteral("iCloud.com.krondor.muze"));
    const QString folder = container.documentsRoot().valueOr({}) + QStringLiteral("/Band");
    QString remoteWav;
    for (QDirIterator it(folder, {QStringLiteral("*.wav")}, QDir::Files, QDirIterator::Subdirectories); it.hasNext();)
        remoteWav = it.next();
    REQUIRE_FALSE(remoteWav.isEmpty());
    const QString rel = QDir(folder).relativeFilePath(remoteWav);
    CHECK(readAll(mac.file(rel)) == take);

    // The OS frees the take's space in the container: the next sync brings it back, deletes nothing.
    REQUIRE(container.evict(remoteWav).ok());
    ok({QStringLiteral("sync"), QStringLiteral("--once")});
    CHECK(readAll(mac.file(rel)) == take);
    CHECK(readAll(remoteWav) == take);

    // An iPhone recorded over the same take offline; iCloud kept its bytes as a conflict version.
    const QByteArray theirs = makeWav(48000, 2, 16, 48000 * 6, 880.0);
    REQUIRE(
        container.addVersion(remoteWav, theirs, QStringLiteral("Anna's iPhone"), QDateTime::currentDateTimeUtc(), true)
            .ok());
    ok({QStringLiteral("sync"), QStringLiteral("--once")});
    const ProcessResult listed = ok({QStringLiteral("--json"), QStringLiteral("conflicts")});
    Result<Json> conflicts = parseJson(listed.out, QStringLiteral("conflicts"));
    REQUIRE(conflicts.ok());
    const Json& all = conflicts->is_array() ? *conflicts : (*conflicts)["conflicts"];
    REQUIRE(all.size() == 1);
    CHECK(all[0]["path"] == rel.toStdString());
    const QString copy = fromStd(all[0]["theirs"]["file"].get<std::string>());
    INFO(copy.toStdString());
    CHECK(copy.contains(QStringLiteral("Anna's iPhone")));
    CHECK(readAll(mac.file(copy)) == theirs);
    CHECK(readAll(mac.file(rel)) == take);
    // iCloud's conflict is marked resolved now that the bytes are a file of the vault.
    CHECK(container.versions(remoteWav, true).valueOr({}).empty());
}
