#pragma once
// Issue 12's history scenario, shared by the folder remote (tests/sync/test_history.cpp) and
// the Dropbox emulator (tests/dropbox/test_history.cpp): two devices driven through the real
// muze-cli. `Device` has `cli(QStringList)` → ProcessResult and `file(rel)`; `sync(d)` syncs
// one device and REQUIREs success.

#include "catch.h"
#include "testsupport.h"

#include <muze/util/json.h>

#include <QFile>

#include <functional>

namespace muze::test {

inline Json cliJson(const ProcessResult& r)
{
    INFO(r.err.toStdString() << r.out.toStdString());
    REQUIRE(r.exitCode == 0);
    auto doc = parseJson(r.out, QStringLiteral("muze-cli output"));
    REQUIRE(doc.ok());
    return *doc;
}

struct HistoryBand {
    QString cid, pid, mid, tid, mixFile, takeFile;
    QByteArray take;
};

template <typename Device> HistoryBand makeHistoryBand(const Device& a, const TempDir& dir)
{
    HistoryBand b;
    auto id = [](const ProcessResult& r) {
        INFO(r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        return QString::fromUtf8(r.out).trimmed();
    };
    b.cid = id(a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")}));
    b.pid = id(a.cli({QStringLiteral("project"), QStringLiteral("add"), b.cid, QStringLiteral("Demo")}));
    b.mid = id(a.cli({QStringLiteral("mix"), QStringLiteral("add"), b.pid, QStringLiteral("Main")}));
    b.take = makeWav(48000, 2, 16, 300000); // 1.2 MB: a real-sized take
    writeAll(dir.filePath(QStringLiteral("bass.wav")), b.take);
    b.tid = id(a.cli({QStringLiteral("track"), QStringLiteral("import"), b.mid,
        dir.filePath(QStringLiteral("bass.wav")), QStringLiteral("--name"), QStringLiteral("Bass")}));
    const QString project = QStringLiteral("collections/%1/projects/%2").arg(b.cid, b.pid);
    b.mixFile = project + QStringLiteral("/mixes/") + b.mid + QStringLiteral(".json");
    b.takeFile = project + QStringLiteral("/audio/") + b.tid + QStringLiteral(".wav");
    return b;
}

inline QStringList summaries(const Json& history)
{
    QStringList out;
    for (const Json& v : history["versions"]) {
        INFO(v.dump());
        CHECK_FALSE(v.contains("error"));
        out << fromStd(v["summary"].get<std::string>());
    }
    return out;
}

/// Five edits from two devices → five versions after the first, with the right summaries; a
/// restore of version 2 on A reaches B as an edit; a mix deleted on A comes back with its
/// take from Recently deleted on B. Returns the band for further checks.
template <typename Device>
HistoryBand runHistoryScenario(
    const Device& a, const Device& b, const TempDir& dir, const std::function<void(const Device&)>& sync)
{
    const HistoryBand band = makeHistoryBand(a, dir);
    sync(a);
    sync(b);
    const std::vector<std::pair<const Device*, QStringList>> edits = {
        {&a, {band.mid, QStringLiteral("tempo=100")}},
        {&b, {band.tid, QStringLiteral("gain_db=-3")}},
        {&a, {band.mid, QStringLiteral("name=Main (live)")}},
        {&b, {band.tid, QStringLiteral("muted=true")}},
        {&a, {band.mid, QStringLiteral("tags=live")}},
    };
    for (const auto& [device, args] : edits) {
        auto r = device->cli(QStringList{QStringLiteral("edit")} + args);
        INFO(r.err.toStdString());
        REQUIRE(r.exitCode == 0);
        sync(*device);
        sync(device == &a ? b : a);
    }
    const QStringList expected = {QStringLiteral("created \"Main\""), QStringLiteral("tempo set to 100"),
        QStringLiteral("Bass: gain 0 dB → −3 dB"), QStringLiteral("renamed \"Main\" to \"Main (live)\""),
        QStringLiteral("Bass: muted"), QStringLiteral("tags +live")};
    for (const Device* d : {&a, &b}) {
        const Json history = cliJson(d->cli({QStringLiteral("--json"), QStringLiteral("history"), band.mid}));
        CHECK(summaries(history) == expected);
        REQUIRE(history["versions"].size() == 6);
        CHECK(history["versions"][5]["current"] == true);
        CHECK(history["versions"][0]["current"] == false);
        // Each version names the device that wrote it (docs/FORMAT.md §7.5).
        QStringList writers;
        for (const Json& v : history["versions"])
            writers << (v.value("device_name", Json()).is_string() ? fromStd(v["device_name"].get<std::string>())
                                                                     : QStringLiteral("?"));
        // A wrote versions 1, 2, 4 and 6, B versions 3 and 5 (their names: device.json or the host's).
        REQUIRE(writers.size() == 6);
        const QString na = writers[0], nb = writers[2];
        CHECK(na != QStringLiteral("?"));
        CHECK(nb != QStringLiteral("?"));
        CHECK(na != nb);
        CHECK(writers.join(QLatin1Char('|')) == QStringList{na, na, nb, na, nb, na}.join(QLatin1Char('|')));
    }
    // The human listing says the same.
    const ProcessResult listing = b.cli({QStringLiteral("history"), band.mid});
    CHECK(listing.exitCode == 0);
    CHECK(listing.out.contains("Bass: muted"));

    // Restore version 2 on A: a new edit that B receives like any other.
    const Json restored = cliJson(a.cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("restore"),
        band.mid, QStringLiteral("2")}));
    CHECK(restored["restored_version"] == 2);
    sync(a);
    sync(b);
    const Json mixB = *parseJson(readAll(b.file(band.mixFile)), QStringLiteral("mix"));
    CHECK(mixB["name"] == "Main");
    CHECK(mixB["tempo"] == 100);
    CHECK(mixB.value("tags", Json::array()) == Json::array());
    CHECK(mixB["tracks"][0]["gain_db"] == 0.0);
    CHECK(mixB["tracks"][0]["muted"] == false);
    const Json after = cliJson(b.cli({QStringLiteral("--json"), QStringLiteral("history"), band.mid}));
    REQUIRE(after["versions"].size() == 7);
    CHECK(after["versions"][6]["summary"]
        == "renamed \"Main (live)\" to \"Main\"; tags −live; Bass: gain −3 dB → 0 dB; Bass: unmuted");

    // As a copy: a new mix with its own copy of the take.
    const Json copy = cliJson(a.cli({QStringLiteral("--json"), QStringLiteral("history"), QStringLiteral("restore"),
        band.mid, QStringLiteral("4"), QStringLiteral("--as-copy")}));
    CHECK(
        QString::fromStdString(copy["name"].get<std::string>()).startsWith(QStringLiteral("Main (live) (restored 20")));
    CHECK(copy["id"] != toStd(band.mid));

    // A mix deleted on A comes back with its take from Recently deleted on B.
    REQUIRE(a.cli({QStringLiteral("rm"), band.mid}).exitCode == 0);
    sync(a);
    sync(b);
    REQUIRE_FALSE(QFile::exists(b.file(band.mixFile)));
    REQUIRE_FALSE(QFile::exists(b.file(band.takeFile)));
    const Json deleted = cliJson(b.cli({QStringLiteral("--json"), QStringLiteral("deleted")}));
    INFO(deleted.dump());
    REQUIRE(deleted["deleted"].size() == 1);
    CHECK(deleted["deleted"][0]["kind"] == "mix");
    CHECK(deleted["deleted"][0]["name"] == "Main");
    CHECK(deleted["deleted"][0]["takes"] == Json::array({toStd(band.takeFile)}));
    CHECK(b.cli({QStringLiteral("deleted"), QStringLiteral("restore"), QStringLiteral("0123456789abcdef")}).exitCode
        == 1);
    CHECK(b.cli({QStringLiteral("deleted"), QStringLiteral("restore")}).exitCode == 2);
    cliJson(b.cli({QStringLiteral("--json"), QStringLiteral("deleted"), QStringLiteral("restore"), band.mid}));
    sync(b);
    sync(a);
    CHECK(readAll(a.file(band.takeFile)) == band.take);
    CHECK(parseJson(readAll(a.file(band.mixFile)), QStringLiteral("mix"))->value("name", "") == "Main");
    CHECK(cliJson(a.cli({QStringLiteral("--json"), QStringLiteral("deleted")}))["deleted"].empty());

    // Usage and errors follow the CLI contract.
    CHECK(a.cli({QStringLiteral("history")}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("history"), QStringLiteral("show"), band.mid}).exitCode == 2);
    CHECK(a.cli({QStringLiteral("history"), QStringLiteral("show"), band.mid, QStringLiteral("99")}).exitCode == 1);
    CHECK(a.cli({QStringLiteral("history"), QStringLiteral("nope")}).exitCode == 1);
    CHECK(a.cli({QStringLiteral("history"), band.mid, QStringLiteral("--bogus")}).exitCode == 2);
    return band;
}

} // namespace muze::test
