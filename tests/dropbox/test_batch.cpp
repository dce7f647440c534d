// Many small files the way Dropbox wants them: upload_session/start_batch, one append_v2
// (close=true) per file and finish_batch_v2 for up to 1,000 at once, through the strict
// emulator (write limits on), with one entry refused while the others land. The journal
// records exactly the files whose own commit was confirmed; the official SDK sees the rest.
#include "catch.h"
#include "devices.h"
#include "emulator.h"

#include <muze/remote/batchupload.h>
#include <muze/remote/contenthash.h>
#include <muze/sync/journal.h>

#include <QDir>

using namespace muze;
using namespace muze::remote;
using muze::test::Emulator;

namespace {

QByteArray sheet(int i)
{
    return QStringLiteral("{\n  \"format\": 1,\n  \"id\": \"s%1\",\n  \"lyrics\": \"verse %1, chorus %2\"\n}\n")
        .arg(i, 4, 10, QLatin1Char('0'))
        .arg(i * 7919 % 1000)
        .toUtf8();
}

QString sheetPath(int i) { return QStringLiteral("sheets/s%1.json").arg(i, 4, 10, QLatin1Char('0')); }

int writesSoFar(Emulator& emu) { return emu.admin("GET", QStringLiteral("state"))["writes"]["total"].get<int>(); }

} // namespace

TEST_CASE("1,500 small files commit in two batches, a refused entry fails alone, a throttled one is retried")
{
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    auto remote = emu.remote(QStringLiteral("/Apps/Muze/Band"));
    REQUIRE(remote->batchUploads() != nullptr);
    CHECK(remote->batchEntryLimit() == 1000);

    std::vector<BatchItem> items;
    for (int i = 0; i < 1500; ++i)
        items.push_back(BatchItem{sheetPath(i), sheet(i), WriteSpec{}});
    items.push_back(BatchItem{QStringLiteral("empty.json"), QByteArray(), WriteSpec{}});
    // Dropbox may refuse single entries of a batch: one for now, one for good.
    emu.addFault(Json{{"kind", "entry_failure"}, {"path", "s0007.json"}, {"error", "too_many_write_operations"}});
    emu.addFault(Json{{"kind", "entry_failure"}, {"path", "s1234.json"}, {"error", "content_hash_mismatch"}, {"count", nullptr}});
    const int writesBefore = writesSoFar(emu);

    const std::vector<Result<RemoteEntry>> results = remote->uploadBatch(items);
    REQUIRE(results.size() == items.size());
    int ok = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        INFO(items[i].path.toStdString() << ": " << (results[i] ? std::string() : results[i].errorString().toStdString()));
        if (items[i].path == sheetPath(1234)) {
            REQUIRE(!results[i]);
            CHECK(results[i].error().code == QLatin1String("corrupt"));
            continue;
        }
        REQUIRE(results[i].ok());
        CHECK(results[i]->path == items[i].path);
        CHECK(results[i]->contentHash == contentHash(items[i].data));
        ++ok;
    }
    CHECK(ok == 1500);
    // Two batches (1,000 + 501) and one more for the throttled entry: three writes, not 1,501.
    CHECK(writesSoFar(emu) - writesBefore == 3);

    // The official SDK sees every committed file with the hash of its bytes, and not the refused one.
    const Json seen = test::dropbox::sdkFiles(emu, token);
    CHECK(seen.size() == 1500);
    CHECK(!seen.contains(sheetPath(1234).toStdString()));
    for (int i : {0, 7, 999, 1000, 1499})
        CHECK(QString::fromStdString(seen[sheetPath(i).toStdString()][1].get<std::string>()) == contentHash(sheet(i)));
}

TEST_CASE("2,000 small JSON files sync up in batches, the journal records exactly the confirmed ones")
{
    using namespace muze::test::dropbox;
    Emulator emu;
    const QString token = QString::fromStdString(emu.signIn()["access_token"].get<std::string>());
    test::TempDir dir;
    const Device a = makeDevice(emu, dir, QStringLiteral("A"));
    QDir().mkpath(a.file(QStringLiteral("sheets")));
    for (int i = 0; i < 2000; ++i)
        test::writeAll(a.file(sheetPath(i)), sheet(i));
    emu.addFault(Json{{"kind", "entry_failure"}, {"path", "s1234.json"}, {"error", "content_hash_mismatch"}, {"count", nullptr}});
    const int writesBefore = writesSoFar(emu);

    constexpr int kLong = 900000; // 2,000 files in a Debug build on a busy machine
    auto syncLong = [&](const Device& d) {
        auto r = d.cli({QStringLiteral("sync")}, kLong);
        INFO(d.name.toStdString() << ": " << r.err.toStdString());
        REQUIRE(r.exitCode == 0);
    };
    auto first = a.cli({QStringLiteral("sync")}, kLong);
    INFO(first.err.toStdString());
    CHECK(first.exitCode != 0); // one file failed, and the user is told which
    CHECK(first.err.contains("s1234.json"));
    CHECK(writesSoFar(emu) - writesBefore < 40); // batches, not a write per file

    auto journalRows = [&] {
        auto journal = sync::Journal::open(a.vault);
        REQUIRE(journal.ok());
        auto rows = (*journal)->rows();
        REQUIRE(rows.ok());
        QSet<QString> sheets;
        for (const sync::JournalRow& r : *rows) {
            if (r.path.startsWith(QLatin1String("sheets/")))
                sheets.insert(r.path);
        }
        return sheets;
    };
    QSet<QString> recorded = journalRows();
    CHECK(recorded.size() == 1999);
    CHECK(!recorded.contains(sheetPath(1234)));
    Json seen = sdkFiles(emu, token);
    CHECK(!seen.contains(sheetPath(1234).toStdString()));
    for (const QString& path : recorded) // a row only for a file Dropbox holds with those bytes
        CHECK(seen.contains(path.toStdString()));

    // The refusal passes; the next sync sends the one file left and records it.
    emu.clearFaults();
    syncLong(a);
    CHECK(journalRows().size() == 2000);
    seen = sdkFiles(emu, token);
    int checked = 0;
    for (int i = 0; i < 2000; ++i) {
        const std::string key = sheetPath(i).toStdString();
        REQUIRE(seen.contains(key));
        checked += QString::fromStdString(seen[key][1].get<std::string>()) == contentHash(sheet(i));
    }
    CHECK(checked == 2000);

    // Another device gets them all.
    const Device b = makeDevice(emu, dir, QStringLiteral("B"));
    syncLong(b);
    CHECK(syncedFiles(a) == syncedFiles(b));
}
