#include <muze/audio/player.h>

#include <muze/audio/abswitch.h>

#include <muze/audio/devices.h>
#include <muze/util/logging.h>

#include <QAudioSink>
#include <QMutex>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <cmath>
#include <cstring>

namespace muze::audio {

struct Player::Shared {
    std::atomic<qint64> position{0};
    std::atomic<qint64> length{0};
    std::atomic<int> rate{48000};
    std::atomic<bool> playing{false};
    std::atomic<bool> starting{false};
    QMutex mutex;
    QStringList problems;
};

namespace {

// What QAudioSink pulls from (pull mode, on the player's thread): the Mixer's output in the
// sink's sample format.
class MixDevice : public QIODevice {
public:
    MixDevice(Mixer& mixer, AbSwitch& ab, QAudioFormat::SampleFormat format)
        : m_mixer(mixer)
        , m_ab(ab)
        , m_format(format)
    {
    }
    bool isSequential() const override { return true; }
    bool atEnd() const override { return m_mixer.atEnd(); }

protected:
    qint64 writeData(const char*, qint64) override { return -1; }
    qint64 readData(char* data, qint64 maxlen) override
    {
        const int sampleBytes = m_format == QAudioFormat::Float ? 4 : 2;
        const qint64 frames = m_ab.render(bufferFor(maxlen / (2 * sampleBytes)), maxlen / (2 * sampleBytes));
        const qint64 samples = frames * 2;
        if (m_format == QAudioFormat::Float) {
            std::memcpy(data, m_buffer.data(), size_t(samples) * 4);
        } else {
            for (qint64 i = 0; i < samples; ++i) {
                const float v = std::nearbyint(m_buffer[size_t(i)] * 32768.0f);
                const auto s = qint16(std::clamp(v, -32768.0f, 32767.0f));
                std::memcpy(data + i * 2, &s, 2);
            }
        }
        return samples * sampleBytes;
    }

private:
    float* bufferFor(qint64 frames)
    {
        m_buffer.resize(size_t(std::max<qint64>(frames, 1) * 2));
        return m_buffer.data();
    }

    Mixer& m_mixer;
    AbSwitch& m_ab; // renders m_mixer, or it and an earlier version side by side
    QAudioFormat::SampleFormat m_format;
    std::vector<float> m_buffer;
};

} // namespace

// Lives on the player's thread: owns the Mixer, the sink and the device it pulls from.
class Player::Engine : public QObject {
public:
    Engine(Player* owner, std::shared_ptr<Shared> shared)
        : m_owner(owner)
        , m_shared(std::move(shared))
    {
        m_ab.attach(&m_mixer, nullptr);
        m_tick.setInterval(20);
        QObject::connect(&m_tick, &QTimer::timeout, this, [this] { tick(); });
        m_retry.setSingleShot(true);
        QObject::connect(&m_retry, &QTimer::timeout, this, [this] { attempt(); });
    }
    ~Engine() override { (void)halt(); }

    Status load(const MixSpec& spec)
    {
        const bool wasPlaying = halt();
        const qint64 keep = m_mixer.position();
        m_ab.attach(&m_mixer, nullptr);
        if (Status s = m_mixer.open(spec); !s)
            return s;
        m_mixer.seek(keep);
        publish();
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->problems = m_mixer.problems();
        }
        for (const QString& p : m_mixer.problems())
            qCWarning(lcAudio) << "playback leaves out" << p;
        if (wasPlaying)
            startDevice();
        return {};
    }

    // The current mix and an earlier version side by side (AbSwitch), keeping the position.
    Status loadComparison(const MixSpec& current, const MixSpec& other)
    {
        if (Status s = load(current); !s)
            return s;
        const bool wasPlaying = halt();
        if (Status s = m_other.open(other); !s)
            return s;
        if (m_other.sampleRate() != m_mixer.sampleRate())
            return makeError(QStringLiteral("the two versions play at different sample rates (%1 and %2 Hz)")
                                 .arg(m_mixer.sampleRate())
                                 .arg(m_other.sampleRate()),
                errc::unsupported);
        m_ab.attach(&m_mixer, &m_other);
        m_ab.seek(m_mixer.position());
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->problems += m_other.problems();
        }
        if (wasPlaying)
            startDevice();
        return {};
    }
    void hearOther(bool other) { m_ab.select(other); }

    void setDevice(const QAudioDevice& device) { m_device = device; }
    void setTrackMix(const QString& id, const TrackMix& mix) { m_mixer.setTrackMix(id, mix); }
    void setMasterGainDb(double db) { m_mixer.setMasterGainDb(db); }

    // Starts the device without waiting: success or failure is reported through the owner's
    // started() / startFailed(). A device that refuses the stream is tried again by m_retry.
    void play(int generation)
    {
        m_generation = generation;
        startDevice();
    }
    // The owner could not even find the device: reported the same way as a refused one.
    void failStart(int generation, const Error& error)
    {
        m_generation = generation;
        finishStart(error);
    }

    // Stops playing or cancels a start under way; true when either was going on.
    bool halt()
    {
        const bool starting = m_starting;
        m_retry.stop();
        m_starting = false;
        m_shared->starting.store(false);
        if (!m_sink)
            return starting;
        m_tick.stop();
        // What was heard, not what was rendered: the next play() starts where the listener is.
        const qint64 heard = heardPosition();
        m_sink->stop();
        delete m_sink;
        m_sink = nullptr;
        m_source.reset();
        m_ab.seek(heard);
        publish();
        m_shared->playing.store(false);
        notifyPlaying(false);
        return true;
    }
    void stop() { (void)halt(); }

    void seek(qint64 frame)
    {
        const bool wasPlaying = halt();
        m_ab.seek(frame);
        publish();
        if (wasPlaying)
            startDevice();
    }

private:
    static constexpr int kAttempts = 5;

    void startDevice()
    {
        if (m_sink || m_starting)
            return;
        m_starting = true;
        m_shared->starting.store(true);
        m_attempt = 0;
        if (m_mixer.atEnd())
            m_ab.seek(0);
        attempt();
    }

    // One try at opening the device; on a refusal the next try waits 200 ms more than the last
    // (a server that is still starting refuses the first stream), on the event loop, not asleep.
    void attempt()
    {
        if (!m_starting)
            return;
        const QAudioDevice& device = m_device;
        if (device.isNull())
            return finishStart(makeError(QStringLiteral("no audio output device"), errc::no_device));
        QAudioFormat format;
        format.setSampleRate(m_mixer.sampleRate());
        format.setChannelCount(2);
        format.setSampleFormat(QAudioFormat::Float);
        if (!device.isFormatSupported(format))
            format.setSampleFormat(QAudioFormat::Int16);
        if (!device.isFormatSupported(format))
            return finishStart(makeError(QStringLiteral("the output device \"%1\" cannot play %2 Hz stereo")
                                             .arg(device.description())
                                             .arg(format.sampleRate()),
                errc::unsupported_device_format));
        m_source = std::make_unique<MixDevice>(m_mixer, m_ab, format.sampleFormat());
        m_source->open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        m_sink = new QAudioSink(device, format, this);
        m_sink->setBufferSize(qsizetype(format.bytesForDuration(150000))); // 150 ms of latency
        m_startFrame = m_mixer.position();
        m_sink->start(m_source.get());
        if (m_sink->error() == QAudio::NoError && m_sink->state() != QAudio::StoppedState) {
            QObject::connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State st) {
                if (st == QAudio::StoppedState && m_sink && m_sink->error() != QAudio::NoError) {
                    const QString message
                        = QStringLiteral("the output device stopped (error %1)").arg(int(m_sink->error()));
                    // Not inside the sink's own signal: halt() deletes it.
                    QMetaObject::invokeMethod(
                        this,
                        [this, message] {
                            halt();
                            notifyFailed(message);
                        },
                        Qt::QueuedConnection);
                }
            });
            m_idle.invalidate();
            m_tick.start();
            m_starting = false;
            m_shared->starting.store(false);
            m_shared->playing.store(true);
            notifyStarted();
            notifyPlaying(true);
            return;
        }
        const QString error = QStringLiteral("cannot open the output device \"%1\" (error %2)")
                                  .arg(device.description())
                                  .arg(int(m_sink->error()));
        qCWarning(lcAudio) << error << "attempt" << m_attempt + 1;
        delete m_sink;
        m_sink = nullptr;
        m_source.reset();
        if (++m_attempt < kAttempts) {
            m_retry.start(200 * m_attempt);
            return;
        }
        finishStart(makeError(error, errc::device_error));
    }

    void finishStart(const Error& error)
    {
        m_starting = false;
        m_shared->starting.store(false);
        QMetaObject::invokeMethod(
            m_owner,
            [o = m_owner, g = m_generation, error] {
                if (g == o->m_generation)
                    Q_EMIT o->startFailed(error);
            },
            Qt::QueuedConnection);
    }

    void notifyStarted()
    {
        QMetaObject::invokeMethod(
            m_owner,
            [o = m_owner, g = m_generation] {
                if (g == o->m_generation)
                    Q_EMIT o->started();
            },
            Qt::QueuedConnection);
    }

    qint64 heardPosition() const
    {
        if (!m_sink)
            return m_mixer.position();
        const qint64 played = m_sink->processedUSecs() * m_mixer.sampleRate() / 1000000;
        return std::clamp<qint64>(m_startFrame + played, 0, m_mixer.position());
    }

    void publish()
    {
        m_shared->position.store(heardPosition());
        m_shared->length.store(m_mixer.length());
        m_shared->rate.store(m_mixer.sampleRate());
    }

    void tick()
    {
        publish();
        if (!m_mixer.atEnd())
            return;
        // Rendering is done; let the device play what it holds, then report the end.
        if (!m_idle.isValid())
            m_idle.start();
        if (heardPosition() >= m_mixer.length() || m_idle.elapsed() > 1500) {
            (void)halt();
            m_mixer.seek(m_mixer.length());
            publish();
            QMetaObject::invokeMethod(
                m_owner, [o = m_owner] { Q_EMIT o->finished(); }, Qt::QueuedConnection);
        }
    }

    void notifyPlaying(bool playing)
    {
        QMetaObject::invokeMethod(
            m_owner, [o = m_owner, playing] { Q_EMIT o->playingChanged(playing); }, Qt::QueuedConnection);
    }
    void notifyFailed(const QString& message)
    {
        QMetaObject::invokeMethod(
            m_owner, [o = m_owner, message] { Q_EMIT o->failed(message); }, Qt::QueuedConnection);
    }

    Player* m_owner;
    std::shared_ptr<Shared> m_shared;
    Mixer m_mixer;
    Mixer m_other; // an earlier version, while comparing
    AbSwitch m_ab;
    std::unique_ptr<MixDevice> m_source;
    QAudioSink* m_sink = nullptr;
    QAudioDevice m_device; // resolved on the owner's thread (QMediaDevices lives there)
    qint64 m_startFrame = 0;
    QTimer m_tick{this}; // a child, so it moves to the player thread with the engine
    QTimer m_retry{this}; // the next try at opening the device
    bool m_starting = false;
    int m_attempt = 0;
    int m_generation = 0; // the owner's, when the start under way was asked for
    QElapsedTimer m_idle;
};

Player::Player(QObject* parent)
    : QObject(parent)
    , m_shared(std::make_shared<Shared>())
{
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("muze-playback"));
    m_engine = new Engine(this, m_shared);
    m_engine->moveToThread(m_thread);
    m_thread->start(QThread::TimeCriticalPriority);
}

Player::~Player()
{
    Engine* engine = m_engine;
    QMetaObject::invokeMethod(
        engine, [engine] { delete engine; }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

Status Player::load(const MixSpec& spec)
{
    Status result;
    QMetaObject::invokeMethod(
        m_engine, [&] { result = m_engine->load(spec); }, Qt::BlockingQueuedConnection);
    return result;
}

Status Player::loadComparison(const MixSpec& current, const MixSpec& other)
{
    Status result;
    QMetaObject::invokeMethod(
        m_engine, [&] { result = m_engine->loadComparison(current, other); }, Qt::BlockingQueuedConnection);
    return result;
}

void Player::hearOther(bool other)
{
    m_hearingOther.store(other);
    QMetaObject::invokeMethod(
        m_engine, [e = m_engine, other] { e->hearOther(other); }, Qt::QueuedConnection);
}

void Player::setOutputDevice(const QString& device)
{
    m_deviceName = device;
}

void Player::setTrackMix(const QString& trackId, const TrackMix& mix)
{
    QMetaObject::invokeMethod(
        m_engine, [e = m_engine, trackId, mix] { e->setTrackMix(trackId, mix); }, Qt::QueuedConnection);
}

void Player::setMasterGainDb(double db)
{
    QMetaObject::invokeMethod(
        m_engine, [e = m_engine, db] { e->setMasterGainDb(db); }, Qt::QueuedConnection);
}

Status Player::play()
{
    if (isPlaying() || isStarting())
        return {};
    if (length() <= 0)
        return makeError(tr("nothing to play: the mix has no audio yet"), errc::empty);
    const int generation = ++m_generation;
    m_shared->starting.store(true); // the engine clears it when the start ends
    // QMediaDevices lives on this thread; looking a device up only reads its list.
    auto device = findDevice(DeviceMode::Output, m_deviceName);
    Engine* e = m_engine;
    if (!device) {
        QMetaObject::invokeMethod(
            e, [e, generation, error = device.error()] { e->failStart(generation, error); }, Qt::QueuedConnection);
        return {};
    }
    QMetaObject::invokeMethod(
        e,
        [e, generation, d = *device] {
            e->setDevice(d);
            e->play(generation);
        },
        Qt::QueuedConnection);
    return {};
}

void Player::stop()
{
    ++m_generation; // a start under way reports nothing
    QMetaObject::invokeMethod(
        m_engine, [e = m_engine] { e->stop(); }, Qt::BlockingQueuedConnection);
}

void Player::seek(qint64 frame)
{
    m_shared->position.store(std::clamp<qint64>(frame, 0, m_shared->length.load()));
    QMetaObject::invokeMethod(
        m_engine, [e = m_engine, frame] { e->seek(frame); }, Qt::QueuedConnection);
}

bool Player::isPlaying() const
{
    return m_shared->playing.load();
}
bool Player::isStarting() const
{
    return m_shared->starting.load();
}
qint64 Player::position() const
{
    return m_shared->position.load();
}
qint64 Player::length() const
{
    return m_shared->length.load();
}
int Player::sampleRate() const
{
    return m_shared->rate.load();
}

QStringList Player::problems() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->problems;
}

} // namespace muze::audio
