#include "catch.h"
#include "testsupport.h"

#include <muze/remote/remotestore.h>
#include <muze/sync/journal.h>

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

using namespace muze;
using namespace muze::sync;

TEST_CASE("journal: rows, mirror, queue and cursor survive reopening")
{
    test::TempDir dir;
    {
        Result<std::unique_ptr<Journal>> j = Journal::open(dir.path());
        REQUIRE(j.ok());
        JournalRow row;
        row.path = QStringLiteral("Caf\u00e9/a.json");
        row.localSize = 12;
        row.localMtimeNs = 1234567890123456789LL;
        row.localInode = 0xfffffffffffULL;
        row.localHash = QStringLiteral("abc");
        row.remoteRev = QStringLiteral("rev1");
        row.remoteHash = QStringLiteral("def");
        row.keyId = 0xdeadbeef;
        REQUIRE((*j)->putRow(row).ok());

        remote::ChangeSet all;
        all.complete = true;
        all.cursor = QStringLiteral("c1");
        all.entries.push_back({QStringLiteral("a"), false, false, 1, QStringLiteral("r"), QStringLiteral("h"), {}, {}, {}, {}});
        all.entries.push_back({QStringLiteral("b"), false, false, 2, QStringLiteral("r"), QStringLiteral("h"), {}, {}, {}, {}});
        REQUIRE((*j)->applyRemoteChanges(all).ok());
        remote::ChangeSet delta;
        delta.cursor = QStringLiteral("c2");
        delta.entries.push_back({QStringLiteral("a"), false, true, 0, {}, {}, {}, {}, {}, {}});
        delta.entries.push_back({QStringLiteral("c"), false, false, 3, QStringLiteral("r3"), QStringLiteral("h3"), {}, {}, {}, {}});
        REQUIRE((*j)->applyRemoteChanges(delta).ok());

        REQUIRE((*j)->setPending({{QStringLiteral("x"), QStringLiteral("upload"), 0, {}, 0}}).ok());
        REQUIRE((*j)->notePendingError(QStringLiteral("x"), QStringLiteral("upload"), QStringLiteral("disk full"), 99).ok());
        REQUIRE((*j)->addWanted(QStringLiteral("w.wav")).ok());
    }
    Result<std::unique_ptr<Journal>> j = Journal::open(dir.path());
    REQUIRE(j.ok());
    auto rows = (*j)->rows();
    REQUIRE(rows.ok());
    REQUIRE(rows->size() == 1);
    const JournalRow& r = rows->begin().value();
    CHECK(r.path == QStringLiteral("Caf\u00e9/a.json"));
    CHECK(r.localMtimeNs == 1234567890123456789LL);
    CHECK(r.localInode == 0xfffffffffffULL);
    CHECK(r.keyId == 0xdeadbeef);
    auto mirror = (*j)->remoteRows();
    REQUIRE(mirror.ok());
    CHECK(mirror->size() == 2);
    CHECK(mirror->contains(QStringLiteral("b")));
    CHECK(mirror->value(QStringLiteral("c")).rev == QStringLiteral("r3"));
    CHECK((*j)->cursor() == QStringLiteral("c2"));
    auto pending = (*j)->pending();
    REQUIRE(pending.ok());
    REQUIRE(pending->size() == 1);
    CHECK(pending->front().attempts == 1);
    CHECK(pending->front().lastError == QStringLiteral("disk full"));
    // Re-queueing the same action keeps its error history.
    REQUIRE((*j)->setPending({{QStringLiteral("x"), QStringLiteral("upload"), 0, {}, 0}}).ok());
    CHECK((*j)->pending()->front().lastError == QStringLiteral("disk full"));
    CHECK((*j)->wanted()->contains(QStringLiteral("w.wav")));

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("probe"));
    db.setDatabaseName((*j)->filePath());
    REQUIRE(db.open());
    {
        QSqlQuery q(db);
        REQUIRE(q.exec(QStringLiteral("PRAGMA journal_mode")));
        REQUIRE(q.next());
        CHECK(q.value(0).toString() == QStringLiteral("wal"));
    }
    db.close();
    db = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("probe"));
}

TEST_CASE("journal: a failed transaction leaves nothing behind")
{
    test::TempDir dir;
    auto j = Journal::open(dir.path());
    REQUIRE(j.ok());
    Status s = (*j)->transaction([&]() -> Status {
        JournalRow row;
        row.path = QStringLiteral("half");
        REQUIRE((*j)->putRow(row).ok());
        return makeError(QStringLiteral("boom"));
    });
    CHECK_FALSE(s.ok());
    CHECK((*j)->rows()->isEmpty());
}

TEST_CASE("journal: each thread opens its own connection")
{
    test::TempDir dir;
    std::atomic<int> ok{0};
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < 3; ++t) {
        threads.emplace_back(QThread::create([&, t] {
            auto j = Journal::open(dir.path());
            if (!j)
                return;
            for (int i = 0; i < 20; ++i) {
                JournalRow row;
                row.path = QStringLiteral("t%1/%2").arg(t).arg(i);
                if (!(*j)->putRow(row))
                    return;
            }
            ++ok;
        }));
        threads.back()->start();
    }
    for (auto& t : threads)
        t->wait();
    CHECK(ok.load() == 3);
    auto j = Journal::open(dir.path());
    REQUIRE(j.ok());
    CHECK((*j)->rows()->size() == 60);
}
