// A/B by ear in the History panel (issue 12) through the real PulseAudio of tools/test-env.sh:
// the current mix (A, a 1000 Hz take) and version 1 (B, a 440 Hz take that is no longer in the
// vault and comes from the folder remote's history) played into the null sink; parecord of its
// monitor hears A, then B from the switch on, without a gap. Screenshot in <build>/screenshots.
#include "audiotest.h"
#include "catch.h"
#include "historyab.h"
#include "historypanel.h"
#include "testsupport.h"

#include <muze/audio/player.h>
#include <muze/model/vaultstore.h>
#include <muze/remote/folderremote.h>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>

using namespace muze;
using namespace muze::test;

namespace {

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

TEST_CASE("history A/B: the sink hears the current mix, then the earlier version at the switch", "[server]")
{
    AudioServer server;
    TempDir dir;
    vault::VaultRecord record;
    record.id = QStringLiteral("0123456789abcdef");
    record.name = QStringLiteral("Band");
    record.path = dir.filePath(QStringLiteral("vault"));
    record.remotePath = dir.filePath(QStringLiteral("remote"));
    MixFixture mix = makeMixVault(record.path);
    model::VaultStore store(record.path);
    remote::FolderRemote remote(record.remotePath);
    REQUIRE(remote.listChanges({}).ok());
    auto push = [&](const QString& rel) {
        QFile f(store.absolute(rel));
        REQUIRE(f.open(QIODevice::ReadOnly));
        remote::WriteSpec spec;
        spec.mode = remote::WriteMode::Overwrite;
        REQUIRE(remote.upload(rel, f, f.size(), spec).ok());
    };
    const QString mixFile = model::mixFile(mix.collectionId, mix.projectId, mix.mixId);
    // Version 1: Bass is a 440 Hz take. Version 2 (current): that take replaced by a 1000 Hz one.
    writeAll(dir.filePath(QStringLiteral("low.wav")), makeWav(48000, 1, 16, 48000 * 8, 440));
    writeAll(dir.filePath(QStringLiteral("high.wav")), makeWav(48000, 1, 16, 48000 * 8, 1000));
    const QString low = mix.addTrack(dir.filePath(QStringLiteral("low.wav")), QStringLiteral("Bass"));
    const QString lowFile = model::trackAudioFile(mix.collectionId, mix.projectId, low);
    push(lowFile);
    push(mixFile);
    REQUIRE(store.remove(low).ok()); // its take goes with it
    const QString high = mix.addTrack(dir.filePath(QStringLiteral("high.wav")), QStringLiteral("Bass"));
    push(model::trackAudioFile(mix.collectionId, mix.projectId, high));
    push(mixFile);
    REQUIRE(remote.remove(lowFile).ok()); // as the sync deletes it
    REQUIRE_FALSE(QFile::exists(store.absolute(lowFile)));

    gui::HistoryPanel panel(record, mixFile, QStringLiteral("Rough mix"));
    panel.show();
    REQUIRE(test::waitUntil([&] { return panel.isLoaded(); }, 20000));
    REQUIRE(panel.versionList()->topLevelItemCount() == 2);
    CHECK(panel.versionList()->topLevelItem(1)->text(2) == QStringLiteral("Bass: take replaced (current)"));
    gui::HistoryAbControl* ab = panel.abControl();
    REQUIRE(ab);
    ab->setOutputDevice(QStringLiteral("muze_sink"));
    panel.versionList()->setCurrentItem(panel.versionList()->topLevelItem(0));
    REQUIRE(test::waitUntil([&] { return ab->isReady(); }, 20000));
    INFO(ab->stateLabel()->text().toStdString());
    CHECK(ab->bButton()->text() == QStringLiteral("B: version 1"));
    CHECK(ab->aButton()->isChecked());
    // The old take was fetched from the history for listening, not put back into the vault.
    CHECK_FALSE(QFile::exists(store.absolute(lowFile)));

    const QString capture = dir.filePath(QStringLiteral("monitor.wav"));
    auto recorder = listenToSink(capture);
    audio::Player* player = ab->player();
    auto waitPosition = [&](qint64 frames) {
        QElapsedTimer wait;
        wait.start();
        while (player->position() < frames && wait.elapsed() < 15000)
            spin(10);
        return player->position();
    };
    ab->playButton()->click();
    REQUIRE(waitForSignal(player, &audio::Player::started, 15000));
    REQUIRE(player->isPlaying());
    REQUIRE(waitPosition(48000 * 2) >= 48000 * 2);
    ab->bButton()->click(); // hear version 1 from here on
    CHECK(player->hearingOther());
    const qint64 switchedAt = player->position();
    QDir().mkpath(binaryPath(QStringLiteral("screenshots")));
    QApplication::processEvents();
    REQUIRE(panel.grab().save(binaryPath(QStringLiteral("screenshots/history-ab.png"))));
    REQUIRE(waitPosition(48000 * 4) >= 48000 * 4);
    ab->playButton()->click();
    CHECK_FALSE(player->isPlaying());
    spin(500);
    stopProcess(*recorder);

    // In 20 ms blocks from the first audible one to the last: 1000 Hz, then 440 Hz, each for
    // about as long as it played, switching once.
    int rate = 0;
    const std::vector<double> heard = readMono(capture, &rate);
    const size_t win = size_t(rate) / 50;
    std::vector<int> kinds; // 1 = A (1000 Hz), 2 = B (440 Hz), 0 = silence, 3 = both (the crossfade)
    for (size_t i = 0; i + win <= heard.size(); i += win) {
        const double* x = heard.data() + i;
        if (rms(x, win) < 0.02) {
            kinds.push_back(0);
            continue;
        }
        const double pa = goertzelPower(x, win, rate, 1000), pb = goertzelPower(x, win, rate, 440);
        kinds.push_back(pa > 10 * pb ? 1 : pb > 10 * pa ? 2 : 3);
    }
    const auto first = std::find_if(kinds.begin(), kinds.end(), [](int k) { return k != 0; });
    const auto last = std::find_if(kinds.rbegin(), kinds.rend(), [](int k) { return k != 0; }).base();
    REQUIRE(first < last);
    const std::vector<int> span(first, last);
    std::string pattern; // for the failure message: one digit per block
    for (int k : span)
        pattern += char('0' + k);
    INFO("blocks: " << pattern);
    const auto firstB = std::find(span.begin(), span.end(), 2);
    REQUIRE(firstB != span.end());
    CHECK(std::count(span.begin(), firstB, 2) == 0);
    CHECK(std::count(firstB, span.end(), 1) == 0); // once B, never A again
    // Around the switch (half a second each side): sound all along, no gap of 20 ms or more,
    // and the 10 ms crossfade in at most two blocks. (Elsewhere a machine busy compiling can
    // starve the audio thread; that is the sink's underrun, not the switch.)
    const auto from = firstB - std::min<std::ptrdiff_t>(25, firstB - span.begin());
    const auto to = firstB + std::min<std::ptrdiff_t>(25, span.end() - firstB);
    CHECK(std::count(from, to, 0) == 0);
    CHECK(std::count(from, to, 3) <= 2);
    CHECK(std::count(from, firstB, 1) >= 20); // A right up to the switch
    CHECK(std::count(firstB, to, 2) >= 23); // B right after it
    const double secondsA = double(std::count(span.begin(), firstB, 1)) / 50;
    const double secondsB = double(std::count(firstB, span.end(), 2)) / 50;
    CHECK(secondsA == Approx(double(switchedAt) / 48000).margin(0.35));
    CHECK(secondsB >= 1.5);
}
