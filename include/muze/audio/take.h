#pragma once
// Takes in a vault: where a recording is written, how it joins its mix, and how a take left
// behind by a crash is recovered.
//
// A take is recorded inside the project's audio folder as `<take-id>.wav` with the marker
// `<take-id>.wav.recording` (JSON: mix id, track name, host, pid, start time) beside it. When the
// take is finished it joins the mix through VaultStore::importTrack (a new track id) and the
// take file and marker are removed. Not thread-safe; call from one thread at a time.

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QString>
#include <QStringList>

namespace muze::audio {

struct TakeTarget {
    QString vaultRoot;
    QString mixId;
    QString wavPath; // absolute path of the take being recorded
    QString trackName; // name the new track gets
};

/// Picks the path of a new take for `mixRef` (creating the audio folder). `name` defaults to
/// "Take N" (N = the mix's track count + 1).
Result<TakeTarget> prepareTake(const QString& vaultRoot, const QString& mixRef, const QString& name = {});

/// Adds the finished take to its mix as a new track and removes the take file and its marker.
/// Returns the new track id.
Result<QString> commitTake(const TakeTarget& take);

/// Takes of this device whose marker is still there but whose recorder is gone (crashed or
/// killed); only those of `mixId` when one is given.
QStringList findOrphanTakes(const QString& vaultRoot, const QString& mixId = {});

/// The marker's content for a take: mix id, track name and this device's host name
/// (Recorder adds pid and start time).
Json takeMarker(const TakeTarget& take);

/// Repairs the header of an orphan take (keeping every whole frame on disk) and commits it
/// to the mix named in its marker. Returns the new track id.
Result<QString> recoverTake(const QString& vaultRoot, const QString& wavPath);

} // namespace muze::audio
