#pragma once
// The capture side of the recorder (internal): state shared by the capture thread, the disk
// thread and the Recorder, the QIODevice QAudioSource writes into, and the conversion of
// captured samples to the take's format.

#include "ringbuffer.h"

#include <muze/util/result.h>
#include <muze/wav/wavwriter.h>

#include <QAudioFormat>
#include <QElapsedTimer>
#include <QIODevice>
#include <QMutex>
#include <QMutexLocker>

#include <atomic>
#include <memory>
#include <vector>

namespace muze::audio {

// Counters are atomics; the error text is written once under the mutex.
struct CaptureShared {
    explicit CaptureShared(size_t ringBytes)
        : ring(ringBytes)
    {
    }
    ByteRing ring;
    int frameBytes = 4;
    int sampleRate = 48000;
    qint64 maxFrames = 0;
    QAudioFormat::SampleFormat captureFormat = QAudioFormat::Int16;
    std::atomic<qint64> captured{0}, written{0}, dropped{0}, maxDeficit{0}, gap{0};
    std::atomic<float> peak{0.0f};
    std::atomic<bool> limitReached{false}, stopDisk{false}, failed{false};
    QMutex errorMutex;
    QString error;
    QString errorMessage()
    {
        QMutexLocker lock(&errorMutex);
        return error;
    }

    void fail(const QString& message);
};

// What QAudioSource writes into (pull mode), on the capture thread. It only copies into the
// ring, measures the peak and counts frames against the clock; it never blocks.
class CaptureDevice : public QIODevice {
public:
    explicit CaptureDevice(std::shared_ptr<CaptureShared> shared);

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override;

private:
    void accept(const char* data, qint64 frames);
    void checkClock(qint64 before, qint64 frames);

    std::shared_ptr<CaptureShared> m_shared;
    QByteArray m_carry;
    QElapsedTimer m_clock;
    qint64 m_firstFrames = 0;
};

/// Appends captured samples (in `captureFormat`) to the writer, converted to its format.
Status writeCaptured(wav::WavWriter& w, const char* data, qint64 bytes, QAudioFormat::SampleFormat captureFormat,
    std::vector<float>& scratch, QByteArray& packed);

int bytesPerSample(QAudioFormat::SampleFormat f);

/// The disk thread's loop: drains the ring into `w` until stopDisk is set and the ring is
/// empty; a write error marks `s` failed (what follows is counted, not written).
void drainToWav(CaptureShared& s, wav::WavWriter& w);

} // namespace muze::audio
