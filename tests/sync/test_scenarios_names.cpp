// Golden scenarios, names: case-only renames, names that differ only in case, and NFC / NFD
// spellings, with two devices on one folder remote (the rest is in test_scenarios.cpp).
#include "catch.h"
#include "devices.h"

#include <muze/remote/fsops.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/syncpaths.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

using namespace muze;
using namespace muze::test;
using namespace muze::sync;

TEST_CASE("scenario: a case-only rename propagates")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("notes/Readme.txt"), "hello");
    a.sync();
    b.sync();
    a.rename(QStringLiteral("notes/Readme.txt"), QStringLiteral("notes/README.txt"));
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(b.files() == QStringList{QStringLiteral("notes/README.txt")});
}

TEST_CASE("scenario: names differing only in case from two devices both survive, one renamed")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("notes/Todo.txt"), "from A");
    b.write(QStringLiteral("notes/todo.txt"), "from B");
    a.sync();
    const SyncReport rb = b.sync();
    CHECK_FALSE(rb.notes.filter(QStringLiteral("case")).isEmpty());
    a.sync();
    requireSameFiles({&a, &b});
    CHECK(a.files() == (QStringList{QStringLiteral("notes/Todo.txt"), QStringLiteral("notes/todo (case clash).txt")}));
    CHECK(a.read(QStringLiteral("notes/todo (case clash).txt")) == "from B");
}

TEST_CASE("scenario: two names differing only in case on one device are split before upload")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("x/Take.txt"), "1");
    a.write(QStringLiteral("x/take.txt"), "2");
    a.sync();
    b.sync();
    requireSameFiles({&a, &b});
    CHECK(a.files().size() == 2);
    QStringList keys;
    for (const QString& f : a.files())
        keys << pathKey(f);
    keys.removeDuplicates();
    CHECK(keys.size() == 2);
}

TEST_CASE("scenario: a decomposed (NFD) local name syncs as NFC without duplicates")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    const QString nfd = QStringLiteral("notes/Cafe\u0301.txt");
    const QString nfc = QStringLiteral("notes/Caf\u00e9.txt");
    a.write(nfd, "au lait");
    a.sync();
    CHECK(QDir(w.remoteDir() + QStringLiteral("/notes")).entryList(QDir::Files) == QStringList{QStringLiteral("Caf\u00e9.txt")});
    b.sync();
    CHECK(b.read(nfc) == "au lait");
    // A changes it remotely; A's NFD file is updated in place, never duplicated.
    b.write(nfc, "noir");
    b.sync();
    const SyncReport ra = a.sync();
    CHECK(ra.downloaded == 1);
    CHECK(QDir(a.abs(QStringLiteral("notes"))).entryList(QDir::Files).size() == 1);
    CHECK(a.read(nfd) == "noir");
}

TEST_CASE("scenario: NFC and NFD spellings of one new name on two devices are one file")
{
    World w;
    Device a(w, QStringLiteral("A")), b(w, QStringLiteral("B"));
    a.write(QStringLiteral("Ma\u0308dchen.txt"), "same");
    b.write(QStringLiteral("M\u00e4dchen.txt"), "same");
    a.sync();
    const SyncReport r = b.sync();
    CHECK(r.recorded == 1);
    CHECK(r.conflicts == 0);
    requireSameFiles({&a, &b});
}
