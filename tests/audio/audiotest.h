#pragma once
// Helpers for the audio suites: the private PulseAudio of tools/test-env.sh, tones made
// with sox, paplay/parecord as the outside world, and frequency analysis of takes.

#include <muze/audio/recorder.h>
#include <muze/util/result.h>

#include <nlohmann/json.hpp>

#include <QEventLoop>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QTimer>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace muze::test {

/// Holds an exclusive lock on the test audio server while a test plays into or records
/// from it (suites may run in parallel; the null sink is shared). Fails the test when no
/// server is reachable (run the suite under tools/test-env.sh).
class AudioServer {
public:
    AudioServer();
    ~AudioServer();
    AudioServer(const AudioServer&) = delete;
    AudioServer& operator=(const AudioServer&) = delete;

private:
    int m_fd = -1;
};

/// A sine WAV made by sox: `seconds` long, `amplitude` 0..1.
void makeTone(
    const QString& path, double freqHz, double seconds, int rate = 48000, int channels = 2, double amplitude = 0.5);

/// `paplay` of a file into the test sink, running in the background.
std::unique_ptr<QProcess> startPlaying(const QString& wavPath);
/// `parecord` of the sink's monitor into a WAV, running until stopRecording().
std::unique_ptr<QProcess> startRecordingMonitor(const QString& wavPath, int rate = 48000);
/// startRecordingMonitor() at 48 kHz, returned once the monitor delivers: until a low-latency
/// stream listens, the null sink may consume seconds of audio in one block.
std::unique_ptr<QProcess> listenToSink(const QString& wavPath);
void stopProcess(QProcess& p);

/// Mono mix-down (average of channels) of a WAV as doubles.
std::vector<double> readMono(const QString& path, int* rate = nullptr, int* channels = nullptr);
/// Power of one frequency in a block (Goertzel), normalised so a full-scale sine gives ~0.25.
double goertzelPower(const double* x, size_t n, int rate, double freq);
/// The strongest frequency between lo and hi (step `step` Hz) in a block.
double dominantFrequency(const double* x, size_t n, int rate, double lo = 50, double hi = 5000, double step = 5);
double rms(const double* x, size_t n);

/// Runs the event loop until `sender` emits `signal` or `timeoutMs` pass; true when it fired.
/// (Player and Recorder report a start this way: tests wait on the signal, the GUI never does.)
template <typename Sender, typename Signal> bool waitForSignal(const Sender* sender, Signal signal, int timeoutMs)
{
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

/// The order in which a start is answered (Player::play, Recorder::start): the test adds
/// "returned" once the call is back; started() adds "started", startFailed() "start failed"
/// and keeps the error.
struct StartLog {
    template <typename T> explicit StartLog(T* object)
    {
        QObject::connect(object, &T::started, &context, [this] { events.push_back("started"); });
        QObject::connect(object, &T::startFailed, &context, [this](const Error& e) {
            events.push_back("start failed");
            error = e;
        });
    }
    void returned() { events.push_back("returned"); }

    QObject context; // the connections end with the log
    std::vector<std::string> events;
    std::optional<Error> error;
};

/// The order in which Recorder::stop() is answered: the test adds "returned" once stop() is
/// back; finished() adds "finished" and keeps the stats, stopFailed() "stop failed" and the
/// error. wait() runs the event loop until one of them came (true) or `timeoutMs` passed.
struct StopLog {
    template <typename T> explicit StopLog(T* object)
    {
        QObject::connect(object, &T::finished, &context, [this](const auto& st) {
            events.push_back("finished");
            stats = st;
            loop.quit();
        });
        QObject::connect(object, &T::stopFailed, &context, [this](const Error& e) {
            events.push_back("stop failed");
            error = e;
            loop.quit();
        });
    }
    void returned() { events.push_back("returned"); }
    bool wait(int timeoutMs)
    {
        if (!stats && !error) {
            QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
            loop.exec();
        }
        return stats || error;
    }

    QObject context;
    QEventLoop loop;
    std::vector<std::string> events;
    std::optional<muze::audio::RecordingStats> stats;
    std::optional<Error> error;
};

} // namespace muze::test

#include <QStringList>

namespace muze::test {

/// A vault folder with one collection, project and mix, filled through VaultStore.
struct MixFixture {
    QString root;
    QString mixId;
    QString collectionId;
    QString projectId;
    /// Imports a WAV as a track; returns its id.
    QString addTrack(const QString& wavPath, const QString& name);
    /// Sets a field of a track (gain_db, pan, muted, solo) or, with an empty id, of the mix.
    void set(const QString& trackId, const char* key, const nlohmann::ordered_json& value);
};
MixFixture makeMixVault(const QString& root);

/// Writes interleaved float frames to a WAV (through WavWriter).
void writeFloatWav(const QString& path, const std::vector<float>& interleaved, int channels, int rate,
    int formatIndex /* 0 pcm16, 1 pcm24, 2 pcm32, 3 float32 */ = 3);

} // namespace muze::test
