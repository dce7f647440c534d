#pragma once
// Real conflicts for tests: a small band vault (collection › project › mix with one take of
// about 2 MB) on device A, synced to B through a folder remote, then edited on both devices.
// Used by the sync suite and by the GUI tests of the Conflicts dialog.

#include "devices.h"

#include <QString>

namespace muze::test {

struct Band {
    QString mixId;
    QString trackId;
    QString mixFile; // vault-relative
    QString take;    // vault-relative WAV of the track
};

/// Builds the vault on `a` through VaultStore (mix "Opening song", track "Guitar") and syncs a, b.
Band seedBand(World& w, Device& a, Device& b);
/// The mix's name and the track's gain edited on both devices (B later); A syncs, then B (B
/// detects the two field conflicts, its values win), then A again.
void makeFieldConflicts(Device& a, Device& b, const Band& band);
/// Both devices record over the take (B's is newer); A syncs, B, A: B's take at the path,
/// A's take as the conflicted copy on both devices.
void makeTakeConflict(Device& a, Device& b, const Band& band);
/// A take of `seconds` (44.1 kHz stereo PCM16: ~176 kB per second) at `freq` Hz.
QByteArray bandTake(int seconds, double freq);

} // namespace muze::test
