// The mix view under Xvfb (tools/test-env.sh): two tracks with waveforms, edits that reach
// the vault, transport and recording through the test PulseAudio, export. Saves screenshots
// into <build>/screenshots.
#include "audiotest.h"
#include "catch.h"
#include "testsupport.h"

#include "levelmeter.h"
#include "mixview.h"
#include "transportbar.h"
#include "waveformwidget.h"

#include <muze/audio/peaks.h>
#include <muze/model/vaultstore.h>
#include <muze/wav/wavformat.h>

#include <QApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QTest>
#include <QToolButton>

using namespace muze;
using namespace muze::gui;
using namespace muze::test;

namespace {

void saveScreenshot(QWidget& w, const QString& name)
{
    QDir().mkpath(binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents(); // pending layout requests first, or the picture shows the old layout
    REQUIRE(w.grab().save(binaryPath(QStringLiteral("screenshots/") + name)));
}

nlohmann::ordered_json trackJson(const MixFixture& mix, const QString& trackId)
{
    auto tree = model::VaultStore(mix.root).load();
    REQUIRE(tree);
    for (const auto& c : tree->collections)
        for (const auto& p : c.projects)
            for (const auto& m : p.mixes)
                for (const auto& t : m.tracks)
                    if (t.id() == trackId)
                        return t.data;
    FAIL("track not found");
    return {};
}

// Counts the paint events a set of widgets receive.
class PaintCounter : public QObject {
public:
    int paints = 0;
    bool eventFilter(QObject* o, QEvent* e) override
    {
        if (e->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(o, e);
    }
};

QToolButton* buttonIn(QWidget* view, const QString& text, int index)
{
    QList<QToolButton*> found;
    for (auto* b : view->findChildren<QToolButton*>()) {
        if (b->text() == text)
            found << b;
    }
    std::sort(found.begin(), found.end(),
        [](QWidget* a, QWidget* b) { return a->mapToGlobal(QPoint()).y() < b->mapToGlobal(QPoint()).y(); });
    REQUIRE(index < found.size());
    return found[index];
}

} // namespace

TEST_CASE("mix view: two tracks with waveforms, edits, transport, recording, export", "[server]")
{
    AudioServer server;
    TempDir dir;
    MixFixture mix = makeMixVault(dir.filePath(QStringLiteral("vault")));
    // A 4 s stereo guitar-ish tone that fades in, and a 2.5 s mono bass tone.
    std::vector<float> a;
    for (int i = 0; i < 48000 * 4; ++i) {
        const float env = std::min(1.0f, float(i) / 48000.0f) * (0.6f + 0.3f * float(std::sin(i * 0.0005)));
        const float s = env * float(std::sin(i * 2 * M_PI * 330 / 48000));
        a.push_back(s);
        a.push_back(s * 0.8f);
    }
    writeFloatWav(dir.filePath(QStringLiteral("guitar.wav")), a, 2, 48000, 1);
    std::vector<float> b;
    for (int i = 0; i < 48000 * 5 / 2; ++i)
        b.push_back(0.7f * float(std::sin(i * 2 * M_PI * 110 / 48000)) * float(std::exp(-(i % 24000) / 12000.0)));
    writeFloatWav(dir.filePath(QStringLiteral("bass.wav")), b, 1, 48000, 0);
    const QString guitar = mix.addTrack(dir.filePath(QStringLiteral("guitar.wav")), QStringLiteral("Guitar"));
    const QString bass = mix.addTrack(dir.filePath(QStringLiteral("bass.wav")), QStringLiteral("Bass"));
    mix.set(bass, "gain_db", -3.0);
    mix.set(bass, "pan", -0.4);

    MixView view;
    view.resize(1100, 420);
    view.show();
    REQUIRE(QTest::qWaitForWindowExposed(&view));
    QSignalSpy ready(&view, &MixView::waveformsReady);
    QSignalSpy changed(&view, &MixView::mixChanged);
    view.showMix(mix.root, mix.mixId);
    REQUIRE(view.trackCount() == 2);
    if (ready.isEmpty())
        REQUIRE(ready.wait(20000));
    QTest::qWait(100);
    saveScreenshot(view, QStringLiteral("mixview.png"));
    CHECK(QFile::exists(audio::peaksCachePath(mix.root, guitar)));
    CHECK(QFile::exists(audio::peaksCachePath(mix.root, bass)));

    // Nothing plays and nothing changes: the waveforms are not repainted (they were, 25 times
    // a second, on the GUI thread).
    PaintCounter idlePaints;
    const QList<WaveformWidget*> waveforms = view.findChildren<WaveformWidget*>();
    REQUIRE(waveforms.size() == 2);
    for (WaveformWidget* w : waveforms)
        w->installEventFilter(&idlePaints);
    QTest::qWait(600);
    CHECK(idlePaints.paints == 0);
    for (WaveformWidget* w : waveforms)
        w->removeEventFilter(&idlePaints);

    // Mute the bass with the mouse: the vault hears about it (once, debounced).
    QToolButton* bassMute = buttonIn(&view, QStringLiteral("M"), 1);
    QTest::mouseClick(bassMute, Qt::LeftButton);
    REQUIRE(changed.wait(3000));
    CHECK(jsonBool(trackJson(mix, bass), "muted"));
    CHECK(jsonNumber(trackJson(mix, bass), "gain_db") == -3.0);
    QTest::mouseClick(bassMute, Qt::LeftButton);
    REQUIRE(changed.wait(3000));
    CHECK_FALSE(jsonBool(trackJson(mix, bass), "muted"));

    // Space plays, space stops; the position moves.
    view.setOutputDevice(QStringLiteral("muze_sink"));
    view.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&view));
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_Space);
    // The transport says Stop once the device plays (Player::started), not before.
    REQUIRE(
        waitUntil([&] { return view.transport()->playButton()->accessibleName() == QStringLiteral("Stop"); }, 15000));
    CHECK(view.isPlaying());
    // The null sink may take a moment to start consuming: wait on the position.
    for (int i = 0; i < 300 && view.transport()->positionSlider()->value() < 1500; ++i)
        QTest::qWait(20);
    saveScreenshot(view, QStringLiteral("mixview-playing.png"));
    QTest::keyClick(&view, Qt::Key_Space);
    QTest::qWait(100);
    CHECK_FALSE(view.isPlaying());
    CHECK(view.transport()->positionSlider()->value() > 0);

    // R records a new take from muze_mic (the sink's monitor) while the mix plays along.
    view.setInputDevice(QStringLiteral("muze_mic"));
    QSignalSpy recorded(&view, &MixView::recordingFinished);
    QTest::keyClick(&view, Qt::Key_R);
    REQUIRE(waitUntil([&] { return view.isRecording(); }, 15000));
    QTest::qWait(2500);
    CHECK(view.transport()->recordTimeLabel()->text().startsWith(QStringLiteral("● ")));
    saveScreenshot(view, QStringLiteral("mixview-recording.png"));
    QTest::keyClick(&view, Qt::Key_R);
    CHECK_FALSE(view.isRecording());
    // Stop returns before the recorder has finalized the WAV: the take joins the mix after.
    CHECK(recorded.isEmpty());
    REQUIRE(recorded.wait(20000));
    const QString newTrack = recorded.front().at(0).toString();
    INFO(recorded.front().at(1).toString().toStdString());
    REQUIRE(!newTrack.isEmpty());
    CHECK(view.trackCount() == 3);
    CHECK(jsonString(trackJson(mix, newTrack), "name") == QStringLiteral("Take 3"));
    // The take is as long as the user recorded: about 2.5 s (it once came back 0.64 s long
    // when the device stopped delivering after the mix ended).
    CHECK(jsonNumber(trackJson(mix, newTrack), "duration_s") >= 2.0);

    // Export the mix.
    QSignalSpy exported(&view, &MixView::exportFinished);
    const QString out = dir.filePath(QStringLiteral("export/mix.wav"));
    view.startExport(out);
    REQUIRE(exported.wait(20000));
    INFO(exported.front().at(1).toString().toStdString());
    CHECK(exported.front().at(0).toBool());
    auto info = wav::probeWavFile(out);
    REQUIRE(info);
    CHECK(info->frames() == 48000 * 4);
    if (ready.count() < 2)
        ready.wait(10000);
    QTest::qWait(100);
    saveScreenshot(view, QStringLiteral("mixview-after-take.png"));

    // An empty selection clears the view.
    view.showMix(mix.root, {});
    CHECK(view.trackCount() == 0);
}

TEST_CASE("level meter and time format")
{
    CHECK(formatTime(0) == QStringLiteral("0:00.0"));
    CHECK(formatTime(61.25) == QStringLiteral("1:01.2"));
    CHECK(formatTime(3599.99) == QStringLiteral("59:59.9"));
    LevelMeter meter;
    meter.setLevel(1.0f);
    CHECK(meter.displayedDb() == Approx(0.0f));
    meter.setLevel(0.1f); // falls smoothly, not at once
    CHECK(meter.displayedDb() > -20.0f);
    meter.reset();
    CHECK(meter.displayedDb() == Approx(-60.0f));
}
