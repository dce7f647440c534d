#pragma once
// The mix as sound: which tracks are heard, how loud and where, summed to stereo float.
// Playback (Player) and Mixdown render through the same Mixer::render, so an exported
// mixdown is sample for sample what the transport plays.
//
// Mixing rules:
//  - A track is audible when it is not muted and either no track is soloed or it is soloed
//    (mute wins over solo).
//  - Gain: linear factor 10^(gain_db / 20); the mix's own gain_db applies on top (master).
//  - Pan, mono tracks: constant-power law, left = cos(θ), right = sin(θ) with
//    θ = (pan + 1)·π/4, so a centred mono track sits at −3 dB in each channel.
//    Pan, stereo tracks: linear balance, centre leaves both channels untouched; pan > 0
//    scales the left channel by (1 − pan), pan < 0 the right by (1 + pan).
//  - The mix runs at the sample rate most of its tracks use (ties: the higher one); tracks
//    at another rate are resampled by linear interpolation (not sample-exact).
//  - The sum is not clipped here (float); the output device or file format clips.
//
// Not thread-safe: a Mixer belongs to one thread (the player's audio thread, or the caller
// of renderMixdown).

#include <muze/util/result.h>
#include <muze/wav/wavreader.h>

#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace muze::audio {

struct TrackMix {
    double gainDb = 0.0;
    double pan = 0.0; // -1 (left) .. 1 (right)
    bool muted = false;
    bool solo = false;
};

struct MixTrackSpec {
    QString id;
    QString name;
    QString wavPath; // absolute
    TrackMix mix;
};

struct MixSpec {
    QString vaultRoot;
    QString mixId;
    QString name;
    double masterGainDb = 0.0;
    std::vector<MixTrackSpec> tracks;
};

/// Reads a mix and its tracks from a vault (by mix id or unambiguous name).
Result<MixSpec> loadMixSpec(const QString& vaultRoot, const QString& mixRef);

/// Per-channel gains of one track. For mono tracks both apply to the one channel; for stereo
/// tracks `left` scales the left channel and `right` the right one.
struct StereoGains {
    float left = 0.0f;
    float right = 0.0f;
};
StereoGains trackGains(const TrackMix& mix, int channels, double masterGainDb = 0.0);

class Mixer {
public:
    Mixer();
    ~Mixer();
    Mixer(const Mixer&) = delete;
    Mixer& operator=(const Mixer&) = delete;

    /// Opens every track's WAV. Tracks whose file is missing or unreadable are left out and
    /// listed in problems(); `requireAll` turns any such problem on an audible track into an error.
    Status open(const MixSpec& spec, bool requireAll = false);
    const QStringList& problems() const { return m_problems; }

    int sampleRate() const { return m_rate; }
    qint64 length() const { return m_length; } // frames at sampleRate()
    qint64 position() const { return m_position; }
    void seek(qint64 frame);
    bool atEnd() const { return m_position >= m_length; }

    /// Changes one track's settings (by track id); false when the id is unknown.
    bool setTrackMix(const QString& trackId, const TrackMix& mix);
    void setMasterGainDb(double db);

    /// Renders up to `frames` stereo frames (interleaved L R) from the position and advances.
    /// Returns the frames rendered: fewer at the end of the mix, 0 past it.
    qint64 render(float* stereoOut, qint64 frames);

private:
    struct Track;
    void updateGains();

    std::vector<std::unique_ptr<Track>> m_tracks;
    QStringList m_problems;
    double m_masterGainDb = 0.0;
    int m_rate = 48000;
    qint64 m_length = 0;
    qint64 m_position = 0;
    std::vector<float> m_scratch;
};

} // namespace muze::audio
