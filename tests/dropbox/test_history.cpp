// History and Recently deleted (issue 12) through Dropbox's own file history: two devices on
// the emulator (list_revisions, rev: downloads, include_deleted listings), plain and
// encrypted, running the scenario the folder remote runs (tests/support/historyscenario.h).
#include "catch.h"
#include "emulator.h"
#include "historyscenario.h"

using namespace muze;
using muze::test::Emulator;

namespace {

struct DropboxDevice {
    QString name;
    QString config;
    QString vault;
    QStringList env;

    test::ProcessResult cli(const QStringList& args) const
    {
        return test::run(test::builtBinary(QStringLiteral("muze-cli")),
            QStringList{QStringLiteral("--config-dir"), config} + args, {}, 120000, env);
    }
    QString file(const QString& rel) const { return vault + QLatin1Char('/') + rel; }
};

DropboxDevice device(const Emulator& emu, const test::TempDir& dir, const QString& name, const QStringList& extra = {})
{
    DropboxDevice d{
        name, dir.filePath(name + QStringLiteral("-config")), dir.filePath(name + QStringLiteral("-vault")), emu.env()};
    // Small upload sessions, as tests/dropbox/test_sync.cpp uses them.
    d.env << QStringLiteral("MUZE_SYNC_SETTLE_MS=0") << QStringLiteral("MUZE_DROPBOX_BACKOFF_MS=50")
          << QStringLiteral("MUZE_DROPBOX_SESSION_THRESHOLD=65536") << QStringLiteral("MUZE_DROPBOX_CHUNK_SIZE=262144");
    const auto r = d.cli(QStringList{QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"),
                             QStringLiteral("--provider"), QStringLiteral("dropbox"), QStringLiteral("--path"), d.vault,
                             QStringLiteral("--dropbox-folder"), QStringLiteral("/Apps/Muze/Band")}
        + extra);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return d;
}

void syncOk(const DropboxDevice& d)
{
    const auto r = d.cli({QStringLiteral("sync")});
    INFO(d.name.toStdString() << ": " << r.err.toStdString() << r.out.toStdString());
    REQUIRE(r.exitCode == 0);
}

} // namespace

TEST_CASE("history through Dropbox: five edits, restore, and recently deleted with two devices")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    const DropboxDevice a = device(emu, dir, QStringLiteral("A"));
    const DropboxDevice b = device(emu, dir, QStringLiteral("B"));
    test::runHistoryScenario<DropboxDevice>(a, b, dir, syncOk);
    // Dropbox keeps the versions: the retention is its plan's, and the CLI says so.
    const Json retention
        = test::cliJson(a.cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("retention")}));
    CHECK(retention["provider_retention"] == true);
    CHECK(QString::fromStdString(retention["note"].get<std::string>())
              .contains(QStringLiteral("Dropbox keeps versions")));
}

TEST_CASE("history through Dropbox in an encrypted vault decrypts every version, also after a key rotation")
{
    Emulator emu;
    emu.signIn();
    test::TempDir dir;
    test::writeAll(dir.filePath(QStringLiteral("pw")), "correct horse battery staple\n");
    const DropboxDevice a = device(emu, dir, QStringLiteral("A"),
        {QStringLiteral("--encrypt"), QStringLiteral("--password-file"), dir.filePath(QStringLiteral("pw"))});
    syncOk(a);
    const DropboxDevice b = device(emu, dir, QStringLiteral("B"));
    (void)b.cli({QStringLiteral("sync")}); // brings the key ring
    auto r = b.cli({QStringLiteral("keys"), QStringLiteral("unlock"), QStringLiteral("--password-file"),
        dir.filePath(QStringLiteral("pw"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const test::HistoryBand band = test::runHistoryScenario<DropboxDevice>(a, b, dir, syncOk);

    REQUIRE(a.cli({QStringLiteral("keys"), QStringLiteral("rotate")}).exitCode == 0);
    r = a.cli({QStringLiteral("keys"), QStringLiteral("reencrypt")});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    syncOk(b);
    const Json history = test::cliJson(b.cli({QStringLiteral("--json"), QStringLiteral("history"), band.mid}));
    const QStringList s = test::summaries(history);
    REQUIRE(s.size() >= 9);
    CHECK(s[0] == QStringLiteral("created \"Main\""));
    CHECK(s[2] == QStringLiteral("Bass: gain 0 dB → −3 dB"));
    CHECK(s.back() == QStringLiteral("no changes"));
}
