#pragma once
// A streaming WAV writer for takes that grow while they are recorded. The header is kept
// valid as the file grows: every `syncIntervalFrames` the data is fsynced, then the RIFF and
// data sizes are rewritten and fsynced, so a crash or power cut leaves a playable file holding
// everything up to the last sync (about a second). recoverWav() extends the header of such a
// file to every whole frame that reached the disk.
//
// Not thread-safe: one thread writes (the recorder's writer thread). Calls may block on disk.

#include <muze/util/result.h>
#include <muze/wav/wavformat.h>

#include <QFile>
#include <QString>

namespace muze::wav {

struct WavSpec {
    int sampleRate = 48000;
    int channels = 2;
    SampleFormat format = SampleFormat::Int16;
};

class WavWriter {
public:
    WavWriter() = default;
    ~WavWriter(); // finalizes an open file (best effort; call finalize() to see errors)
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    /// Creates (truncates) `path` and writes a header for an empty take. A zero interval
    /// means one second of frames.
    Status open(const QString& path, const WavSpec& spec, qint64 syncIntervalFrames = 0);
    bool isOpen() const { return m_file.isOpen(); }
    const WavSpec& spec() const { return m_spec; }
    int blockAlign() const;

    /// Appends raw samples in the file's format. A trailing partial frame is kept and
    /// completed by the next call.
    Status writeRaw(const char* data, qint64 bytes);
    /// Appends `frames` interleaved float frames, converted (and clipped) to the file's format.
    Status writeFloat(const float* interleaved, qint64 frames);

    /// Makes everything written so far durable and visible in the header.
    Status sync();
    /// Final header, fsync, close. Further writes fail.
    Status finalize();

    qint64 framesWritten() const { return m_dataBytes / blockAlign(); }

private:
    Status writeHeader(qint64 dataBytes);
    Status appendData(const char* data, qint64 bytes);
    Status fail(const QString& why);

    QFile m_file;
    WavSpec m_spec;
    qint64 m_dataBytes = 0;
    qint64 m_syncedBytes = 0;
    qint64 m_syncInterval = 0;
    QByteArray m_partial; // bytes of an incomplete frame
    QByteArray m_convert;
    bool m_failed = false;
};

/// Largest data chunk a RIFF file can describe.
constexpr qint64 kMaxWavDataBytes = 0xFFFFFFFFLL - 58;

/// Size of the header WavWriter writes: 44 bytes for integer PCM (RIFF, 16-byte fmt, data);
/// 58 for float, which by the spec carries cbSize in fmt and a fact chunk (frame count).
qint64 wavHeaderBytes(wav::SampleFormat format);
/// Builds that header for `dataBytes` of samples.
QByteArray makeWavHeader(const WavSpec& spec, qint64 dataBytes);

/// Rewrites the RIFF/data sizes of a WAV whose writer died, so its data chunk covers every
/// whole frame present in the file (only when data is the last chunk). Returns the frames.
Result<qint64> recoverWav(const QString& path);

/// fsync (POSIX) / _commit (Windows) of an open file.
bool syncToDisk(QFile& file);

} // namespace muze::wav
