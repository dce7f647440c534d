#pragma once
// A/B by ear (issue 12): two mixes (the current version and an earlier one) rendered side by
// side by their own Mixers at the same position, one of them heard. A switch takes effect in
// the next rendered block and crossfades linearly over kFadeFrames, so the listener hears the
// other version at once, at the same place, with neither a gap nor a click.
//
// The timeline is the first mix's (A): rendering ends where A ends; B is cut there or padded
// with silence. Both must run at the same sample rate (Player::loadComparison checks).
// Threading: render() and attach() on the audio thread; select() from any thread.

#include <muze/audio/mixer.h>

#include <atomic>
#include <vector>

namespace muze::audio {

class AbSwitch {
public:
    static constexpr qint64 kFadeFrames = 480; // 10 ms at 48 kHz

    /// What render() plays: `a` alone (b null), or a and b side by side. Not owned.
    void attach(Mixer* a, Mixer* b);
    bool comparing() const { return m_b != nullptr; }

    /// Hear B (true) or A (false) from the next block on.
    void select(bool b) { m_wantB.store(b); }
    bool selected() const { return m_wantB.load(); }

    /// Renders up to `frames` stereo frames (interleaved L R) from A's position and advances
    /// both mixes; returns the frames rendered (A's count).
    qint64 render(float* stereoOut, qint64 frames);
    void seek(qint64 frame);

private:
    Mixer* m_a = nullptr;
    Mixer* m_b = nullptr;
    std::atomic<bool> m_wantB{false};
    float m_weightB = 0.0f; // 0 = A heard, 1 = B heard; moves by 1/kFadeFrames per frame
    std::vector<float> m_bufferB;
};

} // namespace muze::audio
