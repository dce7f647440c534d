#pragma once
// Renders a mix to a WAV file through the same Mixer as playback (sample-exact). The file
// appears at its final path only when complete (temp file + fsync + rename).

#include <muze/audio/mixer.h>
#include <muze/wav/wavformat.h>

#include <atomic>
#include <functional>

namespace muze::audio {

struct MixdownOptions {
    wav::SampleFormat format = wav::SampleFormat::Float32;
    /// Called now and then with frames done and total; may run on any thread.
    std::function<void(qint64 done, qint64 total)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

struct MixdownResult {
    qint64 frames = 0;
    int sampleRate = 0;
    QStringList problems; // tracks left out (missing audio) — only muted ones can be
};

/// Fails when an audible track's audio is missing (a mixdown never silently drops a part).
Result<MixdownResult> renderMixdown(const MixSpec& spec, const QString& outPath, const MixdownOptions& options = {});

} // namespace muze::audio
