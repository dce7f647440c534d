// A recording that fills the disk, on a real full file system: the test runs its hidden half
// ("[diskfull-child]") again inside a private mount namespace (unshare) where MUZE_FULL_DIR is
// a 1 MiB tmpfs. There a WavWriter records a 440 Hz tone in 100 ms blocks until a write fails;
// finalize() must say so and keep every whole frame written, and the file must open as a
// valid WAV holding exactly those frames, sample for sample.
#include "catch.h"
#include "testsupport.h"

#include <muze/wav/wavreader.h>
#include <muze/wav/wavwriter.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

#include <cmath>
#include <vector>

#include <unistd.h>

using namespace muze;
using namespace muze::wav;

namespace {

float toneAt(qint64 frame) { return 0.5f * float(std::sin(2.0 * M_PI * 440.0 * double(frame) / 48000.0)); }

} // namespace

TEST_CASE("a recording that fills the disk keeps what was written, playable", "[.][diskfull-child]")
{
    const QString dir = qEnvironmentVariable("MUZE_FULL_DIR");
    REQUIRE_FALSE(dir.isEmpty());
    const QString path = dir + QStringLiteral("/take.wav");
    WavWriter writer;
    REQUIRE(writer.open(path, WavSpec{48000, 2, SampleFormat::Int16}, 4800)); // a sync every 100 ms
    const qint64 block = 4800;
    std::vector<float> buf(size_t(block) * 2);
    qint64 frame = 0;
    Status st;
    int blocks = 0;
    for (; blocks < 200 && st; ++blocks) { // 20 s would be 3.8 MB: more than the disk holds
        for (qint64 i = 0; i < block; ++i)
            buf[size_t(2 * i)] = buf[size_t(2 * i + 1)] = toneAt(frame + i);
        st = writer.writeFloat(buf.data(), block);
        if (st)
            frame += block;
    }
    INFO("blocks written: " << blocks);
    REQUIRE_FALSE(st); // the disk filled up
    const qint64 kept = writer.framesWritten();
    CHECK(kept == frame);
    CHECK(kept > 48000 * 3); // about 5 s fit in 1 MiB
    const Status fin = writer.finalize();
    REQUIRE_FALSE(fin);
    INFO(fin.errorString().toStdString());
    CHECK(fin.errorString().contains(QStringLiteral("incomplete")));
    CHECK(fin.errorString().contains(QStringLiteral("kept")));

    WavReader reader;
    const Status opened = reader.open(path);
    INFO((opened.ok() ? std::string() : opened.errorString().toStdString()));
    REQUIRE(opened);
    CHECK(reader.frames() == kept);
    CHECK(QFileInfo(path).size() == 44 + kept * 4);
    std::vector<float> back(size_t(kept) * 2);
    REQUIRE(reader.read(0, kept, back.data()) == kept);
    qint64 off = 0;
    for (qint64 i = 0; i < kept; ++i) {
        if (std::fabs(back[size_t(2 * i)] - toneAt(i)) > 1.0f / 16384)
            ++off;
    }
    CHECK(off == 0);
}

TEST_CASE("wav: a recording that fills a 1 MiB tmpfs stays playable up to the last whole frame")
{
    test::TempDir dir;
    const QString full = dir.filePath(QStringLiteral("full"));
    REQUIRE(QDir().mkpath(full));
    const QStringList unshare = ::geteuid() == 0 ? QStringList{QStringLiteral("-m")} : QStringList{QStringLiteral("-rm")};
    const QString script = QStringLiteral(
        "mount -t tmpfs -o size=1m muzefull \"$MUZE_FULL_DIR\" || exit 90\n"
        "exec \"$SELF\" \"[diskfull-child]\"\n");
    const test::ProcessResult r = test::run(QStringLiteral("unshare"),
        unshare + QStringList{QStringLiteral("bash"), QStringLiteral("-c"), script}, {}, 60000,
        {QStringLiteral("MUZE_FULL_DIR=") + full, QStringLiteral("SELF=") + QCoreApplication::applicationFilePath()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains("1 test case")); // the hidden half ran, and passed
}
