#pragma once
// Strict RIFF/WAVE header parsing. Accepts PCM 16/24/32-bit integer and 32-bit float,
// mono or stereo, plain or WAVE_FORMAT_EXTENSIBLE; anything else is a clear error.

#include <muze/util/result.h>

#include <QIODevice>
#include <QString>

namespace muze::wav {

enum class SampleFormat { Int16, Int24, Int32, Float32 };
QString sampleFormatName(SampleFormat f); // "pcm16" | "pcm24" | "pcm32" | "float32"
/// The inverse of sampleFormatName; false for an unknown name.
bool sampleFormatFromName(const QString& name, SampleFormat* out);

struct WavInfo {
    SampleFormat format = SampleFormat::Int16;
    int sampleRate = 0;
    int channels = 0;
    qint64 dataOffset = 0; // byte offset of the first sample
    qint64 dataBytes = 0; // bytes of sample data (whole frames)
    bool extensible = false;
    /// The data chunk claims more bytes than the file holds (a take whose writer died before
    /// it could update the header): dataBytes covers the whole frames that are present.
    bool truncated = false;

    int bytesPerSample() const { return format == SampleFormat::Int16 ? 2 : format == SampleFormat::Int24 ? 3 : 4; }
    int blockAlign() const { return bytesPerSample() * channels; }
    qint64 frames() const { return blockAlign() ? dataBytes / blockAlign() : 0; }
    double durationSeconds() const { return sampleRate ? double(frames()) / sampleRate : 0.0; }
};

/// Parses the header of a WAV stream (the device is read from its start; size is used to
/// detect truncation). Errors carry code "bad_wav" or "unsupported_wav".
Result<WavInfo> parseWavHeader(QIODevice& device, const QString& what);
Result<WavInfo> probeWavFile(const QString& path);

/// Limits the parser enforces (a garbage header is an error, never an allocation or a hang).
constexpr int kMaxWavChunks = 4096;
constexpr qint64 kMaxFmtChunkBytes = 4096;
constexpr int kMinSampleRate = 1000;
constexpr int kMaxSampleRate = 768000;

} // namespace muze::wav
