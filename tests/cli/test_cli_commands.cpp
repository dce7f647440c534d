// muze-cli's command table (src/cli/commands.cpp): global options anywhere on the line, and
// `help` listing every registered command, each of which answers to its own name.
#include "catch.h"
#include "testsupport.h"

#include <muze/util/json.h>

#include <QDir>
#include <QRegularExpression>
#include <QSet>

using namespace muze;

namespace {

test::ProcessResult cli(const QStringList& args)
{
    return test::run(test::builtBinary(QStringLiteral("muze-cli")), args);
}

Json parse(const test::ProcessResult& r)
{
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    auto j = parseJson(r.out, QStringLiteral("stdout"));
    REQUIRE(j.ok());
    return *j;
}

} // namespace

TEST_CASE("cli: global options work before or after the command")
{
    test::TempDir dir;
    const QString config = dir.filePath(QStringLiteral("config"));
    const QString cfg = QStringLiteral("--config-dir"), json = QStringLiteral("--json");
    // --config-dir after the command, even between its own options.
    auto created = cli({QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"), cfg, config,
        QStringLiteral("--path"), dir.filePath(QStringLiteral("band"))});
    INFO(created.err.toStdString());
    REQUIRE(created.exitCode == 0);
    REQUIRE(cli({cfg, config, QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Solo"),
                    QStringLiteral("--path"), dir.filePath(QStringLiteral("solo"))})
                .exitCode
        == 0);

    const Json before = parse(cli({cfg, config, json, QStringLiteral("vault"), QStringLiteral("list")}));
    const Json after = parse(cli({QStringLiteral("vault"), QStringLiteral("list"), json, cfg, config}));
    CHECK(before == after);
    REQUIRE(after["vaults"].size() == 2);

    // --vault picks the vault the command acts on, wherever it stands.
    REQUIRE(cli({cfg, config, QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Live"),
                    QStringLiteral("--vault"), QStringLiteral("Solo")})
                .exitCode
        == 0);
    const Json solo
        = parse(cli({QStringLiteral("ls"), QStringLiteral("--vault"), QStringLiteral("Solo"), json, cfg, config}));
    const Json band
        = parse(cli({cfg, config, QStringLiteral("--vault"), QStringLiteral("Band"), json, QStringLiteral("ls")}));
    CHECK(solo["collections"].size() == 1);
    CHECK(band["collections"].empty());

    // Without --json after the command, the same listing is text.
    auto text = cli({QStringLiteral("vault"), QStringLiteral("list"), cfg, config});
    REQUIRE(text.exitCode == 0);
    CHECK_FALSE(parseJson(text.out, QStringLiteral("stdout")).ok());
    CHECK(text.out.contains("Solo"));

    // An option that needs a value and has none is bad usage, wherever it is.
    auto incomplete = cli({QStringLiteral("vault"), QStringLiteral("list"), cfg});
    CHECK(incomplete.exitCode == 2);
    CHECK(incomplete.err.startsWith("muze-cli: usage: "));
    // A command's own unknown option is still the command's usage error.
    auto unknown = cli({cfg, config, QStringLiteral("ls"), QStringLiteral("--bogus")});
    CHECK(unknown.exitCode == 2);
}

TEST_CASE("cli: help lists every registered command, and each answers to its names")
{
    test::TempDir dir;
    const QStringList cfg{QStringLiteral("--config-dir"), dir.filePath(QStringLiteral("config"))};
    const Json table = parse(cli(cfg + QStringList{QStringLiteral("--json"), QStringLiteral("help")}));
    REQUIRE(table["commands"].size() >= 10);
    auto help = cli(cfg + QStringList{QStringLiteral("help")});
    REQUIRE(help.exitCode == 0);
    const QString text = QString::fromUtf8(help.out);
    CHECK(QString::fromUtf8(cli({QStringLiteral("--help")}).out) == text);

    QSet<QString> registered;
    for (const Json& command : table["commands"]) {
        REQUIRE_FALSE(command["usage"].empty());
        const QString section = fromStd(command["section"].get<std::string>());
        CHECK(text.contains(section + QStringLiteral(":\n")));
        for (const Json& line : command["usage"])
            CHECK(text.contains(fromStd(line.get<std::string>())));
        for (const Json& n : command["names"]) {
            const QString name = fromStd(n.get<std::string>());
            INFO(name.toStdString());
            CHECK_FALSE(registered.contains(name)); // one command per name
            registered.insert(name);
            CHECK(text.contains(QRegularExpression(QStringLiteral("\\b%1\\b").arg(QRegularExpression::escape(name)))));
            // The name reaches its command: `NAME --help` prints that command's usage.
            auto own = cli(cfg + QStringList{name, QStringLiteral("--help")});
            CHECK(own.exitCode == 0);
            CHECK(own.out.startsWith(command["usage"][0].get<std::string>().c_str()));
        }
    }
    // Every command the README shows is registered.
    const QByteArray readme = test::readAll(test::sourcePath(QStringLiteral("README.md")));
    QRegularExpression shown(
        QStringLiteral(R"(^muze-cli (?:--\S+ (?:\S+ )?)*([a-z][a-z-]*))"), QRegularExpression::MultilineOption);
    int documented = 0;
    for (auto it = shown.globalMatch(QString::fromUtf8(readme)); it.hasNext(); ++documented) {
        const QString word = it.next().captured(1);
        INFO(word.toStdString());
        CHECK(registered.contains(word));
    }
    CHECK(documented >= 10);

    auto unknown = cli(cfg + QStringList{QStringLiteral("frobnicate")});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.contains("muze-cli help"));
}
