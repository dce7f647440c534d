#include "catch.h"
#include "testsupport.h"

#include <muze/wav/wavformat.h>

#include <QBuffer>
#include <QtEndian>

#include <random>

using namespace muze;
using namespace muze::wav;
using muze::test::makeWav;

namespace {

Result<WavInfo> parse(const QByteArray& bytes)
{
    QByteArray copy = bytes;
    QBuffer buffer(&copy);
    buffer.open(QIODevice::ReadOnly);
    return parseWavHeader(buffer, QStringLiteral("test.wav"));
}

QString codeOf(const QByteArray& bytes)
{
    auto r = parse(bytes);
    return r ? QStringLiteral("ok") : r.error().code;
}

void set16(QByteArray& b, int at, quint16 v)
{
    qToLittleEndian(v, b.data() + at);
}
void set32(QByteArray& b, int at, quint32 v)
{
    qToLittleEndian(v, b.data() + at);
}

QByteArray chunk(const char* id, const QByteArray& body, bool pad = true)
{
    QByteArray c(id, 4);
    char n[4];
    qToLittleEndian(quint32(body.size()), n);
    c.append(n, 4).append(body);
    if (pad && (body.size() & 1))
        c.append('\0');
    return c;
}

// Inserts `extra` between the fmt chunk and the data chunk of a canonical makeWav file.
QByteArray withChunkBeforeData(QByteArray wav, const QByteArray& extra)
{
    const qsizetype at = wav.indexOf("data");
    wav.insert(at, extra);
    set32(wav, 4, quint32(wav.size() - 8));
    return wav;
}

} // namespace

TEST_CASE("every supported layout parses")
{
    struct Case {
        int bits;
        bool isFloat;
        SampleFormat format;
    };
    for (const Case c : {Case{16, false, SampleFormat::Int16}, Case{24, false, SampleFormat::Int24},
             Case{32, false, SampleFormat::Int32}, Case{32, true, SampleFormat::Float32}}) {
        for (int channels : {1, 2}) {
            for (bool ext : {false, true}) {
                const QByteArray wav = makeWav(44100, channels, c.bits, 1000, 440, c.isFloat, ext);
                auto info = parse(wav);
                INFO("bits " << c.bits << " float " << c.isFloat << " ch " << channels << " ext " << ext);
                REQUIRE(info);
                CHECK(info->format == c.format);
                CHECK(info->channels == channels);
                CHECK(info->sampleRate == 44100);
                CHECK(info->frames() == 1000);
                CHECK(info->extensible == ext);
                CHECK_FALSE(info->truncated);
                CHECK(info->dataOffset + info->dataBytes == wav.size());
            }
        }
    }
}

TEST_CASE("sample format names round-trip")
{
    for (SampleFormat f : {SampleFormat::Int16, SampleFormat::Int24, SampleFormat::Int32, SampleFormat::Float32}) {
        SampleFormat back = SampleFormat::Int16;
        REQUIRE(sampleFormatFromName(sampleFormatName(f), &back));
        CHECK(back == f);
    }
    SampleFormat unused;
    CHECK_FALSE(sampleFormatFromName(QStringLiteral("pcm8"), &unused));
}

TEST_CASE("every truncation of the header is a bad_wav error")
{
    const QByteArray wav = makeWav(48000, 2, 16, 10);
    for (int n = 0; n < 44; ++n) {
        INFO("prefix " << n);
        CHECK(codeOf(wav.left(n)) == QStringLiteral("bad_wav"));
    }
}

TEST_CASE("a data chunk running past the end is read up to the last whole frame")
{
    QByteArray wav = makeWav(48000, 2, 24, 1000);
    wav.chop(1000 * 6 / 2 + 4); // half the samples and a partial frame are gone
    auto info = parse(wav);
    REQUIRE(info);
    CHECK(info->truncated);
    CHECK(info->frames() == (wav.size() - 44) / 6);
    CHECK(info->dataBytes % 6 == 0);

    QByteArray claimsHuge = makeWav(48000, 1, 16, 100);
    set32(claimsHuge, 40, 0xFFFFFFFFu);
    set32(claimsHuge, 4, 0xFFFFFFFFu);
    auto big = parse(claimsHuge);
    REQUIRE(big);
    CHECK(big->truncated);
    CHECK(big->frames() == 100);
}

TEST_CASE("odd-sized chunks are padded")
{
    const QByteArray wav = makeWav(44100, 1, 16, 50);
    auto padded = parse(withChunkBeforeData(wav, chunk("LIST", "abc")));
    REQUIRE(padded);
    CHECK(padded->frames() == 50);
    CHECK(padded->dataOffset == 44 + 12);
    // A writer that forgot the pad byte leaves the next chunk misaligned: no silent garbage.
    CHECK(codeOf(withChunkBeforeData(wav, chunk("LIST", "abc", false))) == QStringLiteral("bad_wav"));
}

TEST_CASE("unknown chunks are skipped, fact and junk included")
{
    const QByteArray wav = makeWav(44100, 2, 16, 20);
    QByteArray extra = chunk("JUNK", QByteArray(1000, 'x')) + chunk("fact", QByteArray(4, '\0'))
        + chunk("bext", QByteArray(603, 'b'));
    auto info = parse(withChunkBeforeData(wav, extra));
    REQUIRE(info);
    CHECK(info->frames() == 20);
}

TEST_CASE("lying and garbage headers are bad_wav")
{
    const QByteArray wav = makeWav(44100, 2, 16, 20);
    // A chunk claiming more bytes than the file holds.
    QByteArray liar = withChunkBeforeData(wav, chunk("LIST", "abcd"));
    set32(liar, 36 + 4, 0x7FFFFFF0u);
    CHECK(codeOf(liar) == QStringLiteral("bad_wav"));
    // A gigantic fmt chunk.
    QByteArray hugeFmt = wav;
    set32(hugeFmt, 16, 0x40000000u);
    CHECK(codeOf(hugeFmt) == QStringLiteral("bad_wav"));
    // fmt too small.
    QByteArray tinyFmt = wav;
    set32(tinyFmt, 16, 8);
    CHECK(codeOf(tinyFmt) == QStringLiteral("bad_wav"));
    // Not RIFF / not WAVE.
    QByteArray notRiff = wav;
    notRiff.replace(0, 4, "RIFX");
    CHECK(codeOf(notRiff) == QStringLiteral("bad_wav"));
    QByteArray notWave = wav;
    notWave.replace(8, 4, "AVI ");
    CHECK(codeOf(notWave) == QStringLiteral("bad_wav"));
    // Data before fmt.
    QByteArray dataFirst = QByteArray("RIFF\0\0\0\0WAVE", 12) + chunk("data", QByteArray(8, '\0')) + wav.mid(12, 24);
    set32(dataFirst, 4, quint32(dataFirst.size() - 8));
    CHECK(codeOf(dataFirst) == QStringLiteral("bad_wav"));
    // No data chunk at all.
    CHECK(codeOf(wav.left(36)) == QStringLiteral("bad_wav"));
    // Two fmt chunks.
    CHECK(codeOf(withChunkBeforeData(wav, wav.mid(12, 24))) == QStringLiteral("bad_wav"));
    // Block align that does not match the format.
    QByteArray badAlign = wav;
    set16(badAlign, 32, 3);
    CHECK(codeOf(badAlign) == QStringLiteral("bad_wav"));
    // Zero channels.
    QByteArray zero = wav;
    set16(zero, 22, 0);
    CHECK(codeOf(zero) == QStringLiteral("bad_wav"));
    // Binary garbage where a chunk id should be.
    QByteArray garbage = wav;
    garbage.replace(36, 4, QByteArray("\x01\xff\x00\x80", 4));
    CHECK(codeOf(garbage) == QStringLiteral("bad_wav"));
    // Thousands of empty chunks: bounded work, clear error.
    QByteArray many = wav.left(36);
    for (int i = 0; i < kMaxWavChunks + 10; ++i)
        many += chunk("JUNK", {});
    many += wav.mid(36);
    CHECK(codeOf(many) == QStringLiteral("bad_wav"));
}

TEST_CASE("unsupported formats are unsupported_wav")
{
    QByteArray eightBit = makeWav(8000, 1, 16, 10);
    set16(eightBit, 34, 8);
    set16(eightBit, 32, 1);
    CHECK(codeOf(eightBit) == QStringLiteral("unsupported_wav"));

    QByteArray adpcm = makeWav(8000, 1, 16, 10);
    set16(adpcm, 20, 2);
    CHECK(codeOf(adpcm) == QStringLiteral("unsupported_wav"));

    QByteArray surround = makeWav(48000, 2, 16, 10);
    set16(surround, 22, 6);
    set16(surround, 32, 12);
    CHECK(codeOf(surround) == QStringLiteral("unsupported_wav"));

    QByteArray double64 = makeWav(48000, 1, 32, 10, 440, true);
    set16(double64, 34, 64);
    set16(double64, 32, 8);
    CHECK(codeOf(double64) == QStringLiteral("unsupported_wav"));

    QByteArray oddBits = makeWav(48000, 1, 16, 10);
    set16(oddBits, 34, 12);
    CHECK(codeOf(oddBits) == QStringLiteral("unsupported_wav"));

    QByteArray badGuid = makeWav(48000, 2, 16, 10, 440, false, true);
    badGuid[20 + 24 + 5] = 'Z'; // inside the sub-format GUID tail
    CHECK(codeOf(badGuid) == QStringLiteral("unsupported_wav"));

    QByteArray extAdpcm = makeWav(48000, 2, 16, 10, 440, false, true);
    set16(extAdpcm, 20 + 24, 2); // sub-format tag
    CHECK(codeOf(extAdpcm) == QStringLiteral("unsupported_wav"));

    QByteArray rate = makeWav(48000, 1, 16, 10);
    set32(rate, 24, 5'000'000);
    CHECK(codeOf(rate) == QStringLiteral("unsupported_wav"));

    QByteArray rf64 = makeWav(48000, 1, 16, 10);
    rf64.replace(0, 4, "RF64");
    CHECK(codeOf(rf64) == QStringLiteral("unsupported_wav"));
}

TEST_CASE("random corruption never crashes and never over-reads")
{
    std::mt19937 rng(1234);
    const QByteArray seeds[] = {makeWav(44100, 2, 16, 64), makeWav(48000, 1, 24, 33, 100, false, true),
        withChunkBeforeData(makeWav(22050, 2, 32, 17, 50, true), chunk("LIST", "xyz"))};
    int parsed = 0;
    for (int i = 0; i < 5000; ++i) {
        QByteArray b = seeds[i % 3];
        const int edits = 1 + int(rng() % 6);
        for (int e = 0; e < edits; ++e) {
            const int at = int(rng() % quint32(std::min<qsizetype>(b.size(), 80)));
            b[at] = char(rng());
        }
        if (rng() % 4 == 0)
            b.truncate(qsizetype(rng() % quint32(b.size())));
        auto info = parse(b);
        if (info) {
            ++parsed;
            REQUIRE(info->dataOffset + info->dataBytes <= b.size());
            REQUIRE(info->dataBytes % info->blockAlign() == 0);
        } else {
            REQUIRE((info.error().code == QStringLiteral("bad_wav")
                || info.error().code == QStringLiteral("unsupported_wav")));
            REQUIRE_FALSE(info.error().message.isEmpty());
        }
    }
    CHECK(parsed > 0);
}

TEST_CASE("probeWavFile reports files it cannot open")
{
    auto r = probeWavFile(QStringLiteral("/nonexistent/muze.wav"));
    REQUIRE_FALSE(r);
    CHECK(r.error().message.contains(QStringLiteral("muze.wav")));
}
