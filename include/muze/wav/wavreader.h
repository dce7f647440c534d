#pragma once
// Frame-accurate reading of a WAV file as interleaved float samples in [-1, 1).
// Not thread-safe: one reader per thread (open the same file twice for two threads).

#include <muze/util/result.h>
#include <muze/wav/wavformat.h>

#include <QByteArray>
#include <QFile>
#include <QString>

#include <vector>

namespace muze::wav {

/// Integer samples map to float by dividing by 2^(bits-1): exact, and the inverse of what
/// WavWriter::writeFloat does for in-range values.
float sampleToFloat(const char* sample, SampleFormat format);

class WavReader {
public:
    WavReader() = default;
    WavReader(const WavReader&) = delete;
    WavReader& operator=(const WavReader&) = delete;

    /// Opens and validates the file (errors as probeWavFile).
    Status open(const QString& path);
    void close();
    bool isOpen() const { return m_file.isOpen(); }

    const WavInfo& info() const { return m_info; }
    qint64 frames() const { return m_info.frames(); }
    int channels() const { return m_info.channels; }
    int sampleRate() const { return m_info.sampleRate; }

    /// Reads up to `count` frames starting at `frame` into `out` (count * channels floats).
    /// Returns the frames read: fewer at the end of the data, 0 past it, -1 on an I/O error.
    qint64 read(qint64 frame, qint64 count, float* out);

    /// The whole file, interleaved (for tests and small tools; refuses > `maxFrames`).
    static Result<std::vector<float>> readAll(
        const QString& path, WavInfo* info = nullptr, qint64 maxFrames = qint64(1) << 28);

private:
    QFile m_file;
    WavInfo m_info;
    QByteArray m_buffer;
};

} // namespace muze::wav
