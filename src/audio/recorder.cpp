#include <muze/audio/recorder.h>

#include <muze/audio/audiosession.h>

#include "capture.h"

#include <muze/audio/devices.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/logging.h>
#include <muze/wav/wavwriter.h>

#include <QAudioDevice>
#include <QAudioSource>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QSemaphore>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

namespace muze::audio {

namespace {
constexpr int kOpenAttempts = 5;
constexpr int kPollMs = 50;
}

QString recordingMarkerPath(const QString& wavPath)
{
    return wavPath + QStringLiteral(".recording");
}

// Everything one take needs; lives from start() to stop().
struct Recorder::Session {
    std::shared_ptr<CaptureShared> shared;
    QString wavPath;
    wav::WavWriter writer;
    RecordingStats format;
    QThread captureThread;
    QObject* captureContext = nullptr; // on captureThread
    QAudioSource* source = nullptr; // on captureThread
    CaptureDevice* device = nullptr; // on captureThread
    std::thread disk;
    QTimer poll;
    // Opening, on the capture thread: what to open, and how far it got.
    QAudioDevice audioDevice;
    QAudioFormat captureFormat;
    Json marker;
    bool fileOpen = false;
    int attempt = 0;
    QElapsedTimer sinceOpened; // the device is open; started() waits for its first audio
    int firstAudioTimeoutMs = 10000;
    bool limitSignalled = false;
    qint64 gapSignalled = 0;
    QSemaphore finalized; // released by the capture thread once the take is finalized
};

// What finalizing a take on the capture thread came to.
struct Recorder::Outcome {
    RecordingStats stats;
    std::optional<Error> error;
};

Recorder::Recorder(QObject* parent)
    : QObject(parent)
{
    // A phone call takes the microphone: end the take now, cleanly, with what was recorded.
    connect(&AudioSession::instance(), &AudioSession::interruptionBegan, this, [this] {
        if (m_state == State::Starting) {
            cancelStart();
            Q_EMIT startFailed(makeError(
                tr("another app took the microphone (a call?); record again after it"), errc::interrupted));
            return;
        }
        if (m_state != State::Recording)
            return;
        (void)stop();
        Q_EMIT failed(tr("another app took the microphone (a call?); the take so far is kept"));
    });
}

Recorder::~Recorder()
{
    if (m_state == State::Starting)
        cancelStart();
    if (m_state == State::Recording)
        (void)stop();
    if (m_state == State::Stopping) {
        // The owner goes: wait for the take to be finalized. Its queued report dies with us.
        m_session->finalized.acquire();
        m_session->captureThread.quit();
        m_session->captureThread.wait();
        m_session.reset();
        m_state = State::Idle;
    }
}

// The OS must let Muze record (audiosession.h): the microphone permission, and on iOS the
// session category. Nothing is created before this passes.
Status Recorder::prepareAudioSession()
{
    AudioSession& session = AudioSession::instance();
    switch (session.microphonePermission()) {
    case MicrophonePermission::Denied:
        return makeError(microphoneDeniedMessage(), errc::mic_denied);
    case MicrophonePermission::Undetermined:
        session.requestMicrophonePermission({});
        return makeError(
            tr("Muze asked to use the microphone: allow it, then record again."), errc::mic_undetermined);
    case MicrophonePermission::Granted:
        break;
    }
    return session.activateForRecording();
}

QString Recorder::wavPath() const
{
    return m_session ? m_session->wavPath : QString(); // starting or recording
}

Status Recorder::start(const QString& wavPath, const RecordOptions& options)
{
    if (m_state != State::Idle)
        return makeError(QStringLiteral("already recording"), errc::busy);
    if (Status s = prepareAudioSession(); !s)
        return s;
    const QFileInfo target(wavPath);
    if (wavPath.isEmpty() || target.isDir() || !target.absoluteDir().exists())
        return makeError(QStringLiteral("cannot record into \"%1\": its folder does not exist").arg(wavPath),
            errc::bad_path);
    const int generation = ++m_generation;
    m_state = State::Starting;
    // QMediaDevices lives on this thread; looking a device up only reads its list.
    auto device = findDevice(DeviceMode::Input, options.device);
    if (!device) {
        failStartLater(device.error());
        return {};
    }
    // Format: 44.1 or 48 kHz, mono or stereo, 16/24-bit or float as the device allows.
    const QAudioFormat preferred = device->preferredFormat();
    int rate = options.sampleRate;
    if (rate <= 0) {
        rate = preferred.sampleRate();
        if (rate != 44100 && rate != 48000)
            rate = device->maximumSampleRate() >= 48000 ? 48000 : 44100;
    }
    int channels = options.channels > 0 ? options.channels : std::clamp(preferred.channelCount(), 1, 2);
    channels = std::min(channels, std::max(1, device->maximumChannelCount()));
    const auto formats = device->supportedSampleFormats();
    auto supports = [&](QAudioFormat::SampleFormat f) { return formats.contains(f); };
    wav::SampleFormat fileFormat = options.format.value_or(
        supports(QAudioFormat::Int32) || supports(QAudioFormat::Float) ? wav::SampleFormat::Int24
                                                                       : wav::SampleFormat::Int16);
    QList<QAudioFormat::SampleFormat> order;
    switch (fileFormat) {
    case wav::SampleFormat::Int16:
        order = {QAudioFormat::Int16, QAudioFormat::Float, QAudioFormat::Int32};
        break;
    case wav::SampleFormat::Int24:
    case wav::SampleFormat::Int32:
        order = {QAudioFormat::Int32, QAudioFormat::Float, QAudioFormat::Int16};
        break;
    case wav::SampleFormat::Float32:
        order = {QAudioFormat::Float, QAudioFormat::Int32, QAudioFormat::Int16};
        break;
    }
    QAudioFormat format;
    format.setSampleRate(rate);
    format.setChannelCount(channels);
    bool found = false;
    for (auto f : order) {
        format.setSampleFormat(f);
        if (device->isFormatSupported(format)) {
            found = true;
            break;
        }
    }
    if (!found) {
        failStartLater(makeError(QStringLiteral("the input device \"%1\" cannot record %2 Hz, %3 channel(s)")
                                     .arg(device->description())
                                     .arg(rate)
                                     .arg(channels),
            errc::unsupported_device_format));
        return {};
    }

    auto session = std::make_unique<Session>();
    const int frameBytes = channels * bytesPerSample(format.sampleFormat());
    // Ten seconds of audio (at least 4 MiB) absorb any stall of the disk.
    const size_t ring = std::max<size_t>(size_t(4) << 20, size_t(rate) * size_t(frameBytes) * 10);
    session->shared = std::make_shared<CaptureShared>(ring - ring % size_t(frameBytes));
    CaptureShared& shared = *session->shared;
    shared.frameBytes = frameBytes;
    shared.sampleRate = rate;
    shared.maxFrames = options.maxSeconds > 0 ? std::llround(options.maxSeconds * rate) : 0;
    shared.captureFormat = format.sampleFormat();
    session->wavPath = wavPath;
    session->firstAudioTimeoutMs = std::max(0, options.firstAudioTimeoutMs);
    session->format.sampleRate = rate;
    session->format.channels = channels;
    session->format.format = fileFormat;
    session->format.deviceDescription = device->description();

    Json marker = options.marker.is_object() ? options.marker : Json::object();
    marker["pid"] = QCoreApplication::applicationPid();
    marker["started_at"] = toStd(nowIso());
    marker["sample_rate"] = rate;
    marker["channels"] = channels;
    session->marker = std::move(marker);
    session->audioDevice = *device;
    session->captureFormat = format;

    // Capture thread: the files, QAudioSource and its timers live there, away from the
    // owner's event loop (docs/ARCHITECTURE.md, Threads).
    session->captureThread.setObjectName(QStringLiteral("muze-capture"));
    session->captureThread.start(QThread::TimeCriticalPriority);
    session->captureContext = new QObject;
    session->captureContext->moveToThread(&session->captureThread);
    Session* sp = session.get();
    m_session = std::move(session);
    QMetaObject::invokeMethod(
        sp->captureContext, [this, sp, generation] { openOnCaptureThread(sp, generation); }, Qt::QueuedConnection);
    return {};
}

// On the capture thread: the marker and the WAV (once), then the device. A refused stream is
// tried again after 200 ms more than the last wait, on this thread's event loop. Reports to
// onOpened() on the owner's thread; a failure leaves no file. stop() cancels by deleting
// captureContext, which takes a pending retry with it.
void Recorder::openOnCaptureThread(Session* sp, int generation)
{
    auto report = [this, generation](std::optional<Error> error) {
        QMetaObject::invokeMethod(
            this, [this, generation, error] { onOpened(generation, error); }, Qt::QueuedConnection);
    };
    if (!sp->fileOpen) {
        // The marker goes down before the first byte of the take.
        if (Status s = writeFileAtomic(recordingMarkerPath(sp->wavPath), dumpJson(sp->marker)); !s)
            return report(s.error());
        const RecordingStats& f = sp->format;
        if (Status s = sp->writer.open(sp->wavPath, {f.sampleRate, f.channels, f.format}); !s) {
            QFile::remove(recordingMarkerPath(sp->wavPath));
            return report(s.error());
        }
        sp->fileOpen = true;
    }
    const QAudioDevice& dev = sp->audioDevice;
    const QAudioFormat& format = sp->captureFormat;
    sp->device = new CaptureDevice(sp->shared);
    sp->device->open(QIODevice::WriteOnly | QIODevice::Unbuffered);
    sp->source = new QAudioSource(dev, format);
    // ~50 ms fragments: small enough for a lively meter, large enough to be cheap.
    sp->source->setBufferSize(qsizetype(format.bytesForDuration(50000)));
    sp->source->start(sp->device);
    if (sp->source->error() == QAudio::NoError && sp->source->state() != QAudio::StoppedState) {
        QObject::connect(sp->source, &QAudioSource::stateChanged, sp->source, [sp](QAudio::State st) {
            if (st == QAudio::StoppedState && sp->source->error() != QAudio::NoError)
                sp->shared->fail(QStringLiteral("the input device stopped (error %1)").arg(int(sp->source->error())));
        });
        return report(std::nullopt);
    }
    const QString openError = QStringLiteral("cannot open the input device \"%1\" (error %2)")
                                  .arg(dev.description())
                                  .arg(int(sp->source->error()));
    qCWarning(lcAudio) << openError << "attempt" << sp->attempt + 1;
    delete sp->source;
    delete sp->device;
    sp->source = nullptr;
    sp->device = nullptr;
    if (++sp->attempt < kOpenAttempts) {
        QTimer::singleShot(
            200 * sp->attempt, sp->captureContext, [this, sp, generation] { openOnCaptureThread(sp, generation); });
        return;
    }
    (void)sp->writer.finalize();
    QFile::remove(sp->wavPath);
    QFile::remove(recordingMarkerPath(sp->wavPath));
    sp->fileOpen = false;
    report(makeError(openError, errc::device_error));
}

// On the owner's thread: the capture thread opened the device, or gave up.
void Recorder::onOpened(int generation, const std::optional<Error>& error)
{
    if (generation != m_generation || m_state != State::Starting || !m_session)
        return; // stop() cancelled this start
    if (error) {
        cancelStart();
        Q_EMIT startFailed(*error);
        return;
    }
    Session* sp = m_session.get();
    // Disk thread: drains the ring into the WAV; header rewritten and fsynced each second.
    sp->disk = std::thread([sp] { drainToWav(*sp->shared, sp->writer); });

    // Still starting: a device can take a while to deliver its first audio (a PulseAudio
    // null sink's monitor idles with 2 s blocks), and until it does nothing is being recorded.
    // poll() says started() once audio flows, so the take is as long as the time the user
    // saw it counting.
    sp->sinceOpened.start();
    sp->poll.setInterval(kPollMs);
    connect(&sp->poll, &QTimer::timeout, this, &Recorder::poll);
    sp->poll.start();
}

// A start that fails before a session exists still reports after start() returned.
void Recorder::failStartLater(const Error& error)
{
    const int generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation, error] {
            if (generation != m_generation || m_state != State::Starting)
                return;
            cancelStart();
            Q_EMIT startFailed(error);
        },
        Qt::QueuedConnection);
}

// Ends a start under way: the capture thread lets go of the device and of the files, which
// are removed (nothing was recorded yet).
void Recorder::cancelStart()
{
    ++m_generation;
    m_state = State::Idle;
    std::unique_ptr<Session> session = std::move(m_session);
    if (!session)
        return;
    Session* sp = session.get();
    QMetaObject::invokeMethod(
        sp->captureContext,
        [sp] {
            if (sp->source)
                sp->source->stop();
            delete sp->source;
            delete sp->device;
            sp->source = nullptr;
            sp->device = nullptr;
            delete sp->captureContext; // and a pending retry with it
            sp->captureContext = nullptr;
            if (sp->disk.joinable()) { // the device was open, waiting for its first audio
                sp->shared->stopDisk.store(true);
                sp->disk.join();
            }
            if (sp->fileOpen) {
                (void)sp->writer.finalize();
                QFile::remove(sp->wavPath);
                QFile::remove(recordingMarkerPath(sp->wavPath));
            }
        },
        Qt::BlockingQueuedConnection);
    session->captureThread.quit();
    session->captureThread.wait();
}

void Recorder::poll()
{
    if (m_state == State::Starting && !pollStarting())
        return;
    if (m_state != State::Recording)
        return;
    CaptureShared& s = *m_session->shared;
    if (s.failed.load()) {
        const QString message = s.errorMessage();
        (void)stop();
        Q_EMIT failed(message);
        return;
    }
    const qint64 gap = s.gap.load();
    if (gap > m_session->gapSignalled) {
        m_session->gapSignalled = gap;
        qCWarning(lcAudio) << "input fell behind the clock by" << gap << "frames";
        Q_EMIT gapDetected(gap);
    }
    if (s.limitReached.load() && !m_session->limitSignalled) {
        m_session->limitSignalled = true;
        Q_EMIT limitReached();
    }
}

// The device is open and the take not yet started: true once its first audio arrived (the
// take is recording from then on); a device that fails or stays silent ends the start.
bool Recorder::pollStarting()
{
    Session* sp = m_session.get();
    CaptureShared& s = *sp->shared;
    std::optional<Error> error;
    if (s.failed.load())
        error = makeError(s.errorMessage(), errc::device_error);
    else if (s.captured.load() == 0 && sp->sinceOpened.elapsed() > sp->firstAudioTimeoutMs)
        error = makeError(QStringLiteral("the input device \"%1\" delivered no audio in %2 s")
                              .arg(sp->format.deviceDescription)
                              .arg(double(sp->firstAudioTimeoutMs) / 1000.0),
            errc::device_error);
    if (error) {
        cancelStart();
        Q_EMIT startFailed(*error);
        return false;
    }
    if (s.captured.load() == 0)
        return false;
    m_state = State::Recording;
    qCDebug(lcAudio) << "recording" << sp->wavPath << sp->format.sampleRate << "Hz" << sp->format.channels << "ch"
                     << wav::sampleFormatName(sp->format.format) << "from" << sp->format.deviceDescription << "after"
                     << sp->sinceOpened.elapsed() << "ms";
    Q_EMIT started();
    return m_state == State::Recording; // a handler may have stopped the take
}

RecordingStats Recorder::stats() const
{
    if (m_state != State::Recording)
        return {};
    const CaptureShared& s = *m_session->shared;
    RecordingStats st = m_session->format;
    st.framesCaptured = s.captured.load();
    st.framesWritten = s.written.load();
    st.framesDropped = s.dropped.load();
    st.gapFrames = s.gap.load();
    st.maxClockDeficitFrames = s.maxDeficit.load();
    return st;
}

float Recorder::takePeakLevel()
{
    return m_state == State::Recording ? m_session->shared->peak.exchange(0.0f) : 0.0f;
}

Status Recorder::stop()
{
    if (m_state == State::Idle || m_state == State::Stopping)
        return makeError(QStringLiteral("not recording"), errc::not_recording);
    if (m_state == State::Starting) {
        cancelStart();
        return makeError(QStringLiteral("the recording had not started"), errc::not_started);
    }
    ++m_generation;
    m_state = State::Stopping;
    Session* sp = m_session.get();
    sp->poll.stop();
    // Finalizing writes and fsyncs the file: on the capture thread, never on the owner's.
    QMetaObject::invokeMethod(
        sp->captureContext,
        [this, sp] {
            auto outcome = std::make_shared<Outcome>(finishOnCaptureThread(sp));
            QMetaObject::invokeMethod(
                this, [this, outcome] { onFinished(outcome); }, Qt::QueuedConnection);
            sp->finalized.release(); // after the report is queued: ~Recorder may go on from here
        },
        Qt::QueuedConnection);
    return {};
}

// On the capture thread: lets go of the device, drains the ring into the WAV, finalizes it
// (header + fsync) and removes the marker. The file stays playable whatever fails.
Recorder::Outcome Recorder::finishOnCaptureThread(Session* sp)
{
    sp->source->stop();
    delete sp->source;
    delete sp->device;
    sp->source = nullptr;
    sp->device = nullptr;
    delete sp->captureContext;
    sp->captureContext = nullptr;
    CaptureShared& s = *sp->shared;
    s.stopDisk.store(true);
    sp->disk.join();

    Outcome out;
    RecordingStats& st = out.stats;
    st = sp->format;
    st.framesCaptured = s.captured.load();
    st.framesWritten = s.written.load();
    st.framesDropped = s.dropped.load();
    st.gapFrames = s.gap.load();
    st.maxClockDeficitFrames = s.maxDeficit.load();
    const Status finalized = sp->writer.finalize();
    QFile::remove(recordingMarkerPath(sp->wavPath));
    qCDebug(lcAudio) << "recorded" << st.framesWritten << "frames," << st.framesDropped << "dropped," << st.gapFrames
                     << "gap frames, max clock lag" << st.maxClockDeficitFrames;
    if (s.failed.load()) { // the cause first (a full disk), then what finalize kept
        QMutexLocker lock(&s.errorMutex);
        out.error = makeError(finalized ? s.error : s.error + QStringLiteral("; ") + finalized.error().message,
            errc::io_error);
    } else if (!finalized) {
        out.error = finalized.error();
    }
    return out;
}

// On the owner's thread: the take is finalized; the capture thread has nothing left to do.
void Recorder::onFinished(const std::shared_ptr<Outcome>& outcome)
{
    if (m_state != State::Stopping || !m_session)
        return;
    std::unique_ptr<Session> session = std::move(m_session);
    m_state = State::Idle; // a handler may start the next take
    session->captureThread.quit();
    session->captureThread.wait(); // idle by now: only its event loop is left to end
    session.reset();
    if (outcome->error)
        Q_EMIT stopFailed(*outcome->error);
    else
        Q_EMIT finished(outcome->stats);
}

} // namespace muze::audio
