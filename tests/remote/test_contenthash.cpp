#include "catch.h"
#include "testsupport.h"

#include <muze/remote/contenthash.h>
#include <muze/util/json.h>

#include <QFile>

using namespace muze;
using namespace muze::remote;

namespace {

QByteArray vectorInput(const Json& v)
{
    if (v.contains("text"))
        return QByteArray::fromStdString(v["text"].get<std::string>());
    return QByteArray(qsizetype(v["count"].get<long long>()), v["repeat"].get<std::string>().at(0));
}
} // namespace

TEST_CASE("content hash matches the Dropbox reference vectors in every form")
{
    // Dropbox's published content_hash vectors, kept in the repository (tests/data/README.md).
    Result<Json> doc = readJsonObjectFile(QStringLiteral(MUZE_SOURCE_DIR "/tests/data/test-vectors.json"));
    REQUIRE(doc.ok());
    const Json& vectors = (*doc)["vectors"];
    REQUIRE(vectors.size() >= 14);
    test::TempDir dir;
    int i = 0;
    for (const Json& v : vectors) {
        const QByteArray data = vectorInput(v);
        const QString expected = fromStd(v["content_hash"].get<std::string>());
        INFO("vector " << i << " (" << data.size() << " bytes)");
        CHECK(contentHash(data) == expected);

        // Streaming in awkward chunk sizes that straddle block boundaries.
        for (qsizetype chunk : {qsizetype(1) << 20, qsizetype(4194303), qsizetype(999999)}) {
            ContentHasher h;
            for (qsizetype off = 0; off < data.size(); off += chunk)
                h.addData(QByteArrayView(data).sliced(off, std::min(chunk, data.size() - off)));
            CHECK(h.finish() == expected);
        }
        // Hashed on a thread of its own, pieces of a larger buffer, a queue smaller than a block.
        {
            const QByteArray padded = "head" + data + "tail";
            BackgroundContentHasher bg(1 << 20);
            const qsizetype piece = 777777;
            for (qsizetype off = 0; off < data.size(); off += piece)
                bg.addData(padded, 4 + off, std::min(piece, data.size() - off));
            CHECK(bg.finish() == expected);
        }
        // The parallel file hasher with one and two threads.
        const QString path = dir.filePath(QStringLiteral("v%1").arg(i++));
        test::writeAll(path, data);
        for (int threads : {1, 2, 3}) {
            Result<QString> fh = contentHashFile(path, threads);
            REQUIRE(fh.ok());
            CHECK(*fh == expected);
        }
    }
}

TEST_CASE("content hash of a missing file is an error, and cancelling stops it")
{
    CHECK(contentHashFile(QStringLiteral("/nonexistent/file")).error().code == QLatin1String("io"));
    test::TempDir dir;
    test::writeAll(dir.filePath(QStringLiteral("big")), QByteArray(9 * 1024 * 1024, 'x'));
    std::atomic<bool> cancel{true};
    Result<QString> r = contentHashFile(dir.filePath(QStringLiteral("big")), 2, &cancel);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == QLatin1String("cancelled"));
}
