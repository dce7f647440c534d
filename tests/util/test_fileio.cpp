#include "catch.h"
#include "testsupport.h"

#include <muze/util/fileio.h>

#include <QDir>

using namespace muze;

TEST_CASE("writeFileAtomic replaces whole files and leaves no temp files behind")
{
    test::TempDir dir;
    const QString path = dir.filePath(QStringLiteral("a/b/file.json"));
    REQUIRE(writeFileAtomic(path, "one").ok());
    REQUIRE(writeFileAtomic(path, "two").ok());
    CHECK(test::readAll(path) == "two");
    CHECK(QDir(dir.filePath(QStringLiteral("a/b"))).entryList(QDir::Files) == QStringList{QStringLiteral("file.json")});
}

TEST_CASE("readFileLimited refuses oversized files with a clear error")
{
    test::TempDir dir;
    const QString path = dir.filePath(QStringLiteral("big"));
    test::writeAll(path, QByteArray(1000, 'x'));
    auto r = readFileLimited(path, 999);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == QStringLiteral("too_large"));
    CHECK(readFileLimited(path, 1000).ok());
}

TEST_CASE("isSafeRelativePath rejects hostile paths")
{
    CHECK(isSafeRelativePath(QStringLiteral("collections/abc/collection.json")));
    for (const char* bad : {"", "/etc/passwd", "../x", "a/../../b", "a//b", "a/./b", "C:/x", "a\\b"})
        CHECK_FALSE(isSafeRelativePath(QString::fromLatin1(bad)));
    CHECK_FALSE(isSafeRelativePath(QStringLiteral("a") + QChar(u'\0')));
    CHECK_FALSE(isSafeRelativePath(QString(256, QLatin1Char('x'))));
}
