#include "catch.h"
#include "testsupport.h"

#include <muze/remote/contenthash.h>
#include <muze/util/json.h>

#include <QFile>

using namespace muze;
using namespace muze::remote;

namespace {
// The same vectors, for checkouts without ../shared beside the repository.
const char* kEmbeddedVectors = R"json({"vectors":[{"text":"","content_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},{"text":"a","content_hash":"bf5d3affb73efd2ec6c36ad3112dd933efed63c4e1cbffcfa88e2759c144f2d8"},{"text":"abc","content_hash":"4f8b42c22dd3729b519ba6f68d2da7cc5b2d606d05daed5ad5128cc03e6c6358"},{"text":"hello world","content_hash":"bc62d4b80d9e36da29c16c5d4d9f11731f36052c72401a76c23c0fb5a9b74423"},{"repeat":"A","count":0,"content_hash":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},{"repeat":"A","count":1,"content_hash":"1cd6ef71e6e0ff46ad2609d403dc3fee244417089aa4461245a4e4fe23a55e42"},{"repeat":"A","count":2,"content_hash":"01e0655fb754d10418a73760f57515f4903b298e6d67dda6bf0987fa79c22c88"},{"repeat":"A","count":4096,"content_hash":"8620913d33852befe09f16fff8fd75f77a83160d29f76f07e0276e9690903035"},{"repeat":"A","count":4194303,"content_hash":"647c8627d70f7a7d13ce96b1e7710a771a55d41a62c3da490d92e56044d311fa"},{"repeat":"A","count":4194304,"content_hash":"d4d63bac5b866c71620185392a8a6218ac1092454a2d16f820363b69852befa3"},{"repeat":"A","count":4194305,"content_hash":"8f553da8d00d0bf509d8470e242888be33019c20c0544811f5b2b89e98360b92"},{"repeat":"A","count":8388607,"content_hash":"83b30cf4fb5195b04a937727ae379cf3d06673bf8f77947f6a92858536e8369c"},{"repeat":"A","count":8388608,"content_hash":"e08b3ba1f538804075c5f939accdeaa9efc7b5c01865c94a41e78ca6550a88e7"},{"repeat":"A","count":8388609,"content_hash":"02c8a4aefc2bfc9036f89a7098001865885938ca580e5c9e5db672385edd303c"}]})json";

QByteArray vectorInput(const Json& v)
{
    if (v.contains("text"))
        return QByteArray::fromStdString(v["text"].get<std::string>());
    return QByteArray(qsizetype(v["count"].get<long long>()), v["repeat"].get<std::string>().at(0));
}
} // namespace

TEST_CASE("content hash matches the Dropbox reference vectors in every form")
{
    const QString shared = QStringLiteral(MUZE_SOURCE_DIR "/../shared/reference/test-vectors.json");
    Result<Json> doc = QFile::exists(shared) ? readJsonObjectFile(shared) : parseJson(kEmbeddedVectors, QStringLiteral("embedded"));
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
