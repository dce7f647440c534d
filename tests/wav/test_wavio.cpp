#include "catch.h"
#include "testsupport.h"

#include <muze/wav/wavreader.h>
#include <muze/wav/wavwriter.h>

#include <QFile>
#include <QtEndian>

#include <cmath>
#include <vector>

using namespace muze;
using namespace muze::wav;
using muze::test::TempDir;

TEST_CASE("WavReader converts every format to float and seeks frame-accurately")
{
    TempDir dir;
    for (int bits : {16, 24, 32}) {
        for (bool isFloat : {false, true}) {
            if (isFloat && bits != 32)
                continue;
            const QString path = dir.filePath(QStringLiteral("t%1%2.wav").arg(bits).arg(isFloat));
            test::writeAll(path, test::makeWav(48000, 2, bits, 4800, 1000, isFloat));
            WavReader r;
            REQUIRE(r.open(path));
            REQUIRE(r.frames() == 4800);
            std::vector<float> all(4800 * 2);
            REQUIRE(r.read(0, 4800, all.data()) == 4800);
            const double tol = isFloat ? 1e-7 : bits == 16 ? 1.0 / 32000 : 1e-6;
            for (int i : {0, 1, 7, 12, 1000, 4799}) {
                const double want = 0.5 * std::sin(2 * M_PI * 1000 * i / 48000.0);
                CHECK(std::abs(all[size_t(i) * 2] - want) < tol);
                CHECK(all[size_t(i) * 2] == all[size_t(i) * 2 + 1]);
            }
            std::vector<float> part(10 * 2);
            REQUIRE(r.read(1234, 10, part.data()) == 10);
            for (int i = 0; i < 20; ++i)
                CHECK(part[size_t(i)] == all[1234 * 2 + size_t(i)]);
            CHECK(r.read(4795, 10, part.data()) == 5);
            CHECK(r.read(4800, 10, part.data()) == 0);
        }
    }
}

TEST_CASE("WavWriter round-trips samples exactly and across partial frames")
{
    TempDir dir;
    for (SampleFormat f : {SampleFormat::Int16, SampleFormat::Int24, SampleFormat::Int32, SampleFormat::Float32}) {
        const QString path = dir.filePath(sampleFormatName(f) + QStringLiteral(".wav"));
        std::vector<float> in;
        for (int i = 0; i < 3001; ++i)
            in.push_back(float(std::round(std::sin(i * 0.01) * 30000) / 32768.0));
        in.push_back(1.0f); // clips to full scale for integers
        in.push_back(-1.0f);
        in.push_back(-1.0f); // 1502 stereo frames
        {
            WavWriter w;
            REQUIRE(w.open(path, {44100, 2, f}));
            REQUIRE(w.writeFloat(in.data(), 1000));
            REQUIRE(w.writeFloat(in.data() + 2000, 502));
            REQUIRE(w.finalize());
        }
        WavInfo info;
        auto out = WavReader::readAll(path, &info);
        REQUIRE(out);
        CHECK(info.format == f);
        REQUIRE(out->size() == 1502 * 2);
        for (size_t i = 0; i < 2000; ++i)
            REQUIRE((*out)[i] == in[i]);
        for (size_t i = 0; i < 1001; ++i)
            REQUIRE((*out)[2000 + i] == in[2000 + i]);
        const float top = (*out)[3001];
        CHECK((f == SampleFormat::Float32 ? top == 1.0f : top <= 1.0f && top > 0.9999f));
        CHECK((*out)[3002] == -1.0f);
    }
}

TEST_CASE("raw writes split mid-frame are reassembled")
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("raw.wav"));
    QByteArray samples;
    for (int i = 0; i < 600; ++i)
        samples.append(char(i * 7));
    {
        WavWriter w;
        REQUIRE(w.open(path, {48000, 2, SampleFormat::Int24}));
        REQUIRE(w.writeRaw(samples.constData(), 5));
        REQUIRE(w.writeRaw(samples.constData() + 5, 2));
        REQUIRE(w.writeRaw(samples.constData() + 7, 593));
        CHECK(w.framesWritten() == 100);
        REQUIRE(w.finalize());
    }
    const QByteArray file = test::readAll(path);
    CHECK(file.mid(44) == samples);
}

TEST_CASE("the header stays valid while a take grows")
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("growing.wav"));
    WavWriter w;
    REQUIRE(w.open(path, {48000, 1, SampleFormat::Int16}, 4800)); // sync every 0.1 s of audio
    auto empty = probeWavFile(path);
    REQUIRE(empty);
    CHECK(empty->frames() == 0);
    std::vector<float> block(1000, 0.25f);
    for (int i = 0; i < 10; ++i)
        REQUIRE(w.writeFloat(block.data(), 1000));
    REQUIRE(w.writeFloat(block.data(), 400));
    // 10400 frames written; the header was last rewritten at 10000 (syncs at 5000 and 10000).
    auto mid = probeWavFile(path);
    REQUIRE(mid);
    CHECK(mid->frames() == 10000);
    CHECK_FALSE(mid->truncated);
    // A writer that dies here leaves 400 frames past the header's data size: recovery keeps them.
    {
        QFile copy(path);
        REQUIRE(copy.copy(dir.filePath(QStringLiteral("crashed.wav"))));
    }
    auto recovered = recoverWav(dir.filePath(QStringLiteral("crashed.wav")));
    REQUIRE(recovered);
    CHECK(*recovered == 10400);
    CHECK(probeWavFile(dir.filePath(QStringLiteral("crashed.wav")))->frames() == 10400);
    REQUIRE(w.finalize());
    CHECK(probeWavFile(path)->frames() == 10400);
    CHECK_FALSE(w.writeFloat(block.data(), 1));
}

TEST_CASE("recoverWav trims a partial frame and fixes a truncated header")
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("t.wav"));
    QByteArray wav = test::makeWav(48000, 2, 16, 100);
    wav.chop(3 * 4 + 1); // the last frame is partial; the header still claims 100 frames
    test::writeAll(path, wav);
    auto before = probeWavFile(path);
    REQUIRE(before);
    CHECK(before->truncated);
    auto r = recoverWav(path);
    REQUIRE(r);
    CHECK(*r == 96);
    auto after = probeWavFile(path);
    REQUIRE(after);
    CHECK_FALSE(after->truncated);
    CHECK(after->frames() == 96);
    CHECK(QFile(path).size() == 44 + 96 * 4);
}

TEST_CASE("float takes carry cbSize and a fact chunk, and recover like integer ones")
{
    TempDir dir;
    const QString path = dir.filePath(QStringLiteral("f.wav"));
    WavWriter w;
    REQUIRE(w.open(path, {48000, 2, SampleFormat::Float32}, 1000));
    std::vector<float> block(2 * 1500, 0.125f);
    REQUIRE(w.writeFloat(block.data(), 1500)); // header synced at 1500 frames
    REQUIRE(w.writeFloat(block.data(), 300)); // not yet in the header
    const QByteArray bytes = test::readAll(path);
    CHECK(bytes.mid(16, 4) == QByteArray("\x12\0\0\0", 4)); // fmt is 18 bytes
    CHECK(bytes.mid(38, 4) == QByteArray("fact"));
    CHECK(qFromLittleEndian<quint32>(bytes.constData() + 46) == 1500u);
    auto info = probeWavFile(path);
    REQUIRE(info);
    CHECK(info->dataOffset == wavHeaderBytes(SampleFormat::Float32));
    CHECK(info->frames() == 1500);
    QFile::copy(path, dir.filePath(QStringLiteral("crashed.wav")));
    auto recovered = recoverWav(dir.filePath(QStringLiteral("crashed.wav")));
    REQUIRE(recovered);
    CHECK(*recovered == 1800);
    REQUIRE(w.finalize());
    const QByteArray done = test::readAll(path);
    CHECK(qFromLittleEndian<quint32>(done.constData() + 46) == 1800u);
    CHECK(qFromLittleEndian<quint32>(done.constData() + 4) == quint32(done.size() - 8));
}
