#include "catch.h"
#include "testsupport.h"

#include <muze/model/vaultstore.h>

#include <QDir>
#include <QDirIterator>
#include <QtEndian>

using namespace muze;
using namespace muze::model;

namespace {

struct MixFixture {
    test::TempDir dir;
    VaultStore store{dir.path()};
    QString mix;
    MixFixture()
    {
        auto c = store.addCollection(QStringLiteral("C"));
        auto p = store.addProject(*c, QStringLiteral("P"));
        mix = *store.addMix(*p, QStringLiteral("M"));
    }
    int wavFilesInVault() const
    {
        int n = 0;
        QDirIterator it(dir.path(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            n += it.next().endsWith(QLatin1String(".wav")) ? 1 : 0;
        return n;
    }
    size_t tracks() const { return store.load()->collections[0].projects[0].mixes[0].tracks.size(); }
};

} // namespace

TEST_CASE("importing a WAV copies it under the track id and records its format")
{
    struct Ok {
        int rate, channels, bits;
        bool isFloat, extensible;
        const char* format;
    };
    for (const Ok& c : {Ok{44100, 1, 16, false, false, "pcm16"}, Ok{48000, 2, 24, false, false, "pcm24"},
                        Ok{48000, 2, 32, false, false, "pcm32"}, Ok{96000, 2, 32, true, false, "float32"},
                        Ok{48000, 2, 24, false, true, "pcm24"}, Ok{44100, 1, 32, true, true, "float32"}}) {
        DYNAMIC_SECTION(c.format << " " << c.channels << "ch " << (c.extensible ? "extensible" : "plain"))
        {
            MixFixture f;
            const QByteArray wav = test::makeWav(c.rate, c.channels, c.bits, c.rate / 10, 440, c.isFloat, c.extensible);
            const QString src = f.dir.filePath(QStringLiteral("in.wav"));
            test::writeAll(src, wav);
            auto id = f.store.importTrack(f.mix, src, QStringLiteral("Vocals"));
            REQUIRE(id.ok());
            auto item = f.store.resolve(*id);
            REQUIRE(item.ok());
            const QString stored = f.store.absolute(trackAudioFile(item->collectionId, item->projectId, *id));
            CHECK(test::readAll(stored) == wav);
            auto tree = f.store.load();
            const Json& t = tree->collections[0].projects[0].mixes[0].tracks[0].data;
            CHECK(t["name"] == "Vocals");
            CHECK(t["sample_rate"] == c.rate);
            CHECK(t["channels"] == c.channels);
            CHECK(t["sample_format"] == c.format);
            CHECK(t["frames"] == c.rate / 10);
        }
    }
}

TEST_CASE("unsupported or broken WAVs are refused with a clear message and leave nothing behind")
{
    auto patch16 = [](QByteArray w, int offset, quint16 v) {
        qToLittleEndian(v, w.data() + offset);
        return w;
    };
    const QByteArray good = test::makeWav(48000, 2, 16, 4800);
    struct Bad {
        const char* what;
        QByteArray bytes;
        const char* expect;
    };
    QByteArray eightBit = test::makeWav(8000, 1, 16, 100);
    eightBit = patch16(eightBit, 34, 8); // bits per sample
    const std::vector<Bad> cases = {
        {"not a WAV", QByteArray("ID3\x03 this is an mp3"), "not a valid WAV"},
        {"empty file", QByteArray(), "not a valid WAV"},
        {"three channels", patch16(good, 22, 3), "unsupported WAV"},
        {"ADPCM", patch16(good, 20, 2), "unsupported WAV"},
        {"8-bit", eightBit, "unsupported WAV"},
        {"header cut short", good.left(30), "not a valid WAV"},
        {"data chunk missing", good.left(36), "not a valid WAV"},
    };
    for (const Bad& c : cases) {
        DYNAMIC_SECTION(c.what)
        {
            MixFixture f;
            const QString src = f.dir.filePath(QStringLiteral("in.wav"));
            test::writeAll(src, c.bytes);
            auto id = f.store.importTrack(f.mix, src);
            REQUIRE_FALSE(id.ok());
            CHECK(id.error().message.contains(QString::fromLatin1(c.expect)));
            CHECK(id.error().message.contains(src)); // names the file
            CHECK(f.tracks() == 0);
            CHECK(f.wavFilesInVault() == 1); // only the source itself
        }
    }
}
