#include "catch.h"
#include "testsupport.h"

#include <muze/util/json.h>

#include <QDir>

using namespace muze;

namespace {

struct Cli {
    test::TempDir dir;
    QString config = dir.filePath(QStringLiteral("config"));

    test::ProcessResult operator()(QStringList args) const
    {
        args.prepend(config);
        args.prepend(QStringLiteral("--config-dir"));
        return test::run(test::builtBinary(QStringLiteral("muze-cli")), args);
    }
    QString ok(const QStringList& args) const
    {
        auto r = (*this)(args);
        INFO(args.join(QLatin1Char(' ')).toStdString() << " -> " << r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        return QString::fromUtf8(r.out).trimmed();
    }
    Json json(const QStringList& args) const
    {
        const QString out = ok(QStringList{QStringLiteral("--json")} + args);
        auto j = parseJson(out.toUtf8(), QStringLiteral("stdout"));
        REQUIRE(j.ok());
        return *j;
    }
};

} // namespace

TEST_CASE("cli: a user builds a vault tree and reads it back as JSON")
{
    Cli cli;
    const QString vaultDir = cli.dir.filePath(QStringLiteral("My Music"));
    const QString vid = cli.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Personal"),
                                QStringLiteral("--provider"), QStringLiteral("local"), QStringLiteral("--path"), vaultDir});
    CHECK(vid.size() == 16);
    const QString c = cli.ok({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    const QString p = cli.ok({QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("Songs"), QStringLiteral("Album")});
    const QString m = cli.ok({QStringLiteral("mix"), QStringLiteral("add"), p, QStringLiteral("Take 1")});
    const QString wav = cli.dir.filePath(QStringLiteral("guitar.wav"));
    test::writeAll(wav, test::makeWav(48000, 2, 24, 48000));
    const QString t = cli.ok({QStringLiteral("track"), QStringLiteral("import"), QStringLiteral("Take 1"), wav});
    cli.ok({QStringLiteral("edit"), t, QStringLiteral("gain_db=-4.5"), QStringLiteral("pan=-0.25"), QStringLiteral("muted=true"),
            QStringLiteral("notes=first take"), QStringLiteral("tags=rhythm,clean")});
    cli.ok({QStringLiteral("edit"), QStringLiteral("Album"), QStringLiteral("tempo=120")});

    const Json tree = cli.json({QStringLiteral("ls")});
    CHECK(tree["vault"]["id"] == vid.toStdString());
    REQUIRE(tree["collections"].size() == 1);
    CHECK(tree["collections"][0]["id"] == c.toStdString());
    const Json& project = tree["collections"][0]["projects"][0];
    CHECK(project["tempo"] == 120.0);
    const Json& mix = project["mixes"][0];
    CHECK(mix["id"] == m.toStdString());
    const Json& track = mix["tracks"][0];
    CHECK(track["id"] == t.toStdString());
    CHECK(track["name"] == "guitar");
    CHECK(track["gain_db"] == -4.5);
    CHECK(track["pan"] == -0.25);
    CHECK(track["muted"] == true);
    CHECK(track["notes"] == "first take");
    CHECK(track["tags"] == Json({"rhythm", "clean"}));
    CHECK(track["sample_format"] == "pcm24");

    const QString text = cli.ok({QStringLiteral("ls")});
    CHECK(text.contains(QStringLiteral("Songs")));
    CHECK(text.contains(QStringLiteral("guitar")));

    cli.ok({QStringLiteral("rm"), t});
    CHECK(cli.json({QStringLiteral("ls")})["collections"][0]["projects"][0]["mixes"][0]["tracks"].empty());
}

TEST_CASE("cli: vaults are listed, switched, renamed and removed")
{
    Cli cli;
    const QString a = cli.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Personal"), QStringLiteral("--provider"),
                              QStringLiteral("icloud"), QStringLiteral("--path"), cli.dir.filePath(QStringLiteral("a"))});
    const QString b = cli.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Work"), QStringLiteral("--provider"),
                              QStringLiteral("dropbox"), QStringLiteral("--path"), cli.dir.filePath(QStringLiteral("b")),
                              QStringLiteral("--dropbox-folder"), QStringLiteral("/Apps/Muze/Work")});
    Json list = cli.json({QStringLiteral("vault"), QStringLiteral("list")});
    REQUIRE(list["vaults"].size() == 2);
    CHECK(list["current"] == a.toStdString());
    CHECK(list["vaults"][1]["dropbox_config"]["folder_path"] == "/Apps/Muze/Work");
    CHECK(list["vaults"][0]["icloud_config"]["container_id"] == "iCloud.com.krondor.muze");

    cli.ok({QStringLiteral("vault"), QStringLiteral("use"), QStringLiteral("work")});
    cli.ok({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Gigs")});
    CHECK(cli.json({QStringLiteral("--vault"), QStringLiteral("Personal"), QStringLiteral("ls")})["collections"].empty());
    CHECK(cli.json({QStringLiteral("ls")})["collections"].size() == 1);

    cli.ok({QStringLiteral("vault"), QStringLiteral("rename"), b, QStringLiteral("Band")});
    cli.ok({QStringLiteral("vault"), QStringLiteral("remove"), QStringLiteral("Band")});
    list = cli.json({QStringLiteral("vault"), QStringLiteral("list")});
    REQUIRE(list["vaults"].size() == 1);
    CHECK(QDir(cli.dir.filePath(QStringLiteral("b"))).exists()); // files kept unless asked
}

TEST_CASE("cli: exit 1 with one line on stderr for user errors, 2 for bad usage")
{
    Cli cli;
    auto noVault = cli({QStringLiteral("ls")});
    CHECK(noVault.exitCode == 1);
    CHECK(noVault.err.startsWith("muze-cli: error: no vault yet"));
    CHECK(noVault.err.count('\n') == 1);
    CHECK(noVault.out.isEmpty());

    cli.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("V"), QStringLiteral("--provider"), QStringLiteral("local"),
            QStringLiteral("--path"), cli.dir.filePath(QStringLiteral("v"))});
    struct Case {
        QStringList args;
        int exit;
    };
    const std::vector<Case> cases = {
        {{QStringLiteral("frobnicate")}, 2},
        {{QStringLiteral("vault"), QStringLiteral("create")}, 2},
        {{QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("X"), QStringLiteral("--provider"), QStringLiteral("ftp"),
          QStringLiteral("--path"), QStringLiteral("/tmp/x")},
         2},
        {{QStringLiteral("collection"), QStringLiteral("add")}, 2},
        {{QStringLiteral("edit"), QStringLiteral("nothing"), QStringLiteral("name")}, 2},
        {{QStringLiteral("project"), QStringLiteral("add"), QStringLiteral("NoSuchCollection"), QStringLiteral("P")}, 1},
        {{QStringLiteral("vault"), QStringLiteral("use"), QStringLiteral("NoSuchVault")}, 1},
        {{QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("v"), QStringLiteral("--path"),
          cli.dir.filePath(QStringLiteral("other"))},
         1}, // duplicate name
        {{QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("D"), QStringLiteral("--provider"),
          QStringLiteral("dropbox"), QStringLiteral("--path"), cli.dir.filePath(QStringLiteral("d"))},
         1}, // dropbox without a folder
        {{QStringLiteral("track"), QStringLiteral("import"), QStringLiteral("nomix"), QStringLiteral("/nonexistent.wav")}, 1},
        {{QStringLiteral("--bogus-global"), QStringLiteral("ls")}, 2},
    };
    for (const Case& c : cases) {
        auto r = cli(c.args);
        INFO(c.args.join(QLatin1Char(' ')).toStdString() << " -> " << r.err.toStdString());
        CHECK(r.exitCode == c.exit);
        CHECK(r.err.startsWith(c.exit == 1 ? "muze-cli: error: " : "muze-cli: usage: "));
        if (c.exit == 1)
            CHECK(r.err.count('\n') == 1);
    }
}

TEST_CASE("cli: a corrupt file is a warning, the rest of the vault still lists")
{
    Cli cli;
    const QString vaultDir = cli.dir.filePath(QStringLiteral("v"));
    cli.ok({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("V"), QStringLiteral("--path"), vaultDir});
    cli.ok({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Fine")});
    test::writeAll(vaultDir + QStringLiteral("/collections/broken1/collection.json"), "{oops");
    auto r = cli({QStringLiteral("--json"), QStringLiteral("ls")});
    REQUIRE(r.exitCode == 0);
    CHECK(r.err.contains("collections/broken1/collection.json: invalid JSON"));
    const Json doc = *parseJson(r.out, QStringLiteral("stdout"));
    CHECK(doc["collections"].size() == 1);
    CHECK(doc["issues"][0]["file"] == "collections/broken1/collection.json");
}
