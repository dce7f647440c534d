#include "audiotest.h"

#include "catch.h"

#include <muze/wav/wavreader.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

#include <cmath>
#include <numbers>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace muze::test {

AudioServer::AudioServer()
{
    const QByteArray server = qgetenv("PULSE_SERVER");
    if (server.isEmpty())
        FAIL("no PulseAudio server: run the audio tests under tools/test-env.sh");
    const QString lockPath = QDir::tempPath() + QStringLiteral("/muze-audio-tests-")
        + QString::number(qHash(server), 16) + QStringLiteral(".lock");
    m_fd = ::open(lockPath.toLocal8Bit().constData(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (m_fd >= 0)
        ::flock(m_fd, LOCK_EX);
    // The server may still be starting: wait until it answers (retrying the connection,
    // never an assertion).
    for (int i = 0; i < 50; ++i) {
        QProcess p;
        p.start(QStringLiteral("pactl"), {QStringLiteral("info")});
        if (p.waitForFinished(5000) && p.exitCode() == 0)
            return;
        QThread::msleep(100);
    }
    FAIL("the PulseAudio server does not answer");
}

AudioServer::~AudioServer()
{
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

void makeTone(const QString& path, double freqHz, double seconds, int rate, int channels, double amplitude)
{
    QProcess sox;
    sox.start(QStringLiteral("sox"),
        {QStringLiteral("-n"), QStringLiteral("-r"), QString::number(rate), QStringLiteral("-c"),
            QString::number(channels), QStringLiteral("-b"), QStringLiteral("16"), path, QStringLiteral("synth"),
            QString::number(seconds), QStringLiteral("sine"), QString::number(freqHz), QStringLiteral("vol"),
            QString::number(amplitude)});
    REQUIRE(sox.waitForFinished(30000));
    INFO(sox.readAllStandardError().toStdString());
    REQUIRE(sox.exitCode() == 0);
}

std::unique_ptr<QProcess> startPlaying(const QString& wavPath)
{
    auto p = std::make_unique<QProcess>();
    p->start(QStringLiteral("paplay"), {QStringLiteral("--device=muze_sink"), wavPath});
    REQUIRE(p->waitForStarted(10000));
    return p;
}

std::unique_ptr<QProcess> startRecordingMonitor(const QString& wavPath, int rate)
{
    auto p = std::make_unique<QProcess>();
    p->start(QStringLiteral("parecord"),
        {QStringLiteral("--device=muze_sink.monitor"), QStringLiteral("--file-format=wav"),
            QStringLiteral("--rate=%1").arg(rate), QStringLiteral("--channels=2"), QStringLiteral("--format=s16le"),
            wavPath});
    REQUIRE(p->waitForStarted(10000));
    return p;
}

std::unique_ptr<QProcess> listenToSink(const QString& wavPath)
{
    auto p = startRecordingMonitor(wavPath);
    const qint64 enough = 44 + 48000 * 4 / 2; // half a second of 48 kHz stereo s16
    auto wait = [](int ms) {
        QEventLoop loop;
        QTimer::singleShot(ms, &loop, &QEventLoop::quit);
        loop.exec();
    };
    QElapsedTimer clock;
    clock.start();
    while (QFileInfo(wavPath).size() < enough && clock.elapsed() < 15000)
        wait(20);
    REQUIRE(QFileInfo(wavPath).size() >= enough);
    wait(200);
    return p;
}

void stopProcess(QProcess& p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    p.terminate(); // parecord finishes its WAV header on SIGTERM
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
    }
}

std::vector<double> readMono(const QString& path, int* rate, int* channels)
{
    wav::WavInfo info;
    auto samples = wav::WavReader::readAll(path, &info);
    INFO(path.toStdString() << ": " << (samples ? "" : samples.error().message.toStdString()));
    REQUIRE(samples);
    if (rate)
        *rate = info.sampleRate;
    if (channels)
        *channels = info.channels;
    std::vector<double> mono(size_t(info.frames()));
    for (size_t i = 0; i < mono.size(); ++i) {
        double sum = 0;
        for (int c = 0; c < info.channels; ++c)
            sum += (*samples)[i * size_t(info.channels) + size_t(c)];
        mono[i] = sum / info.channels;
    }
    return mono;
}

double goertzelPower(const double* x, size_t n, int rate, double freq)
{
    const double w = 2.0 * std::numbers::pi * freq / rate;
    const double coeff = 2.0 * std::cos(w);
    double s1 = 0, s2 = 0;
    for (size_t i = 0; i < n; ++i) {
        const double s = x[i] + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    const double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return power / (double(n) * double(n));
}

double dominantFrequency(const double* x, size_t n, int rate, double lo, double hi, double step)
{
    double best = lo, bestPower = -1;
    for (double f = lo; f <= hi; f += step) {
        const double p = goertzelPower(x, n, rate, f);
        if (p > bestPower) {
            bestPower = p;
            best = f;
        }
    }
    return best;
}

double rms(const double* x, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; ++i)
        sum += x[i] * x[i];
    return n ? std::sqrt(sum / double(n)) : 0.0;
}

} // namespace muze::test

#include <muze/model/vaultstore.h>
#include <muze/wav/wavwriter.h>

namespace muze::test {

MixFixture makeMixVault(const QString& root)
{
    model::VaultStore store(root);
    REQUIRE(store.initialize(QStringLiteral("testvault"), QStringLiteral("Test vault")));
    auto c = store.addCollection(QStringLiteral("Songs"));
    REQUIRE(c);
    auto p = store.addProject(*c, QStringLiteral("Demo"));
    REQUIRE(p);
    auto m = store.addMix(*p, QStringLiteral("Rough mix"));
    REQUIRE(m);
    return MixFixture{root, *m, *c, *p};
}

QString MixFixture::addTrack(const QString& wavPath, const QString& name)
{
    auto id = model::VaultStore(root).importTrack(mixId, wavPath, name);
    INFO((id ? QString() : id.error().message).toStdString());
    REQUIRE(id);
    return *id;
}

void MixFixture::set(const QString& trackId, const char* key, const nlohmann::ordered_json& value)
{
    model::VaultStore store(root);
    auto ref = store.resolve(
        trackId.isEmpty() ? mixId : trackId, trackId.isEmpty() ? model::ItemKind::Mix : model::ItemKind::Track);
    REQUIRE(ref);
    Status s = store.setField(*ref, QString::fromLatin1(key), value);
    INFO(s.errorString().toStdString());
    REQUIRE(s);
}

void writeFloatWav(const QString& path, const std::vector<float>& interleaved, int channels, int rate, int formatIndex)
{
    const wav::SampleFormat formats[]
        = {wav::SampleFormat::Int16, wav::SampleFormat::Int24, wav::SampleFormat::Int32, wav::SampleFormat::Float32};
    wav::WavWriter w;
    REQUIRE(w.open(path, {rate, channels, formats[formatIndex]}));
    REQUIRE(w.writeFloat(interleaved.data(), qint64(interleaved.size()) / channels));
    REQUIRE(w.finalize());
}

} // namespace muze::test
