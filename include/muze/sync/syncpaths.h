#pragma once
// Which vault paths sync touches, and the recording marker the audio engine and sync agree on.
//
// Recording marker: while a take is being recorded into `<dir>/<track-id>.wav`, the recorder
// keeps an empty (or JSON {"pid": N}) file `<dir>/<track-id>.wav.recording` beside it, created
// before the first byte of the WAV and removed after the WAV is finalised. Sync skips the WAV
// while the marker exists (DESIGN.md §3 rule 4) and never syncs markers. A marker naming a pid that
// is no longer alive on this machine is stale (the recorder crashed): the WAV syncs again.

#include <QString>

namespace muze::sync {

inline const QString kRecordingSuffix = QStringLiteral(".recording");

/// `<wav path>.recording`
inline QString recordingMarkerFor(const QString& wavPath) { return wavPath + kRecordingSuffix; }

/// JSON model files: merged three-way on conflict.
bool isJsonPath(const QString& relPath);
/// Audio takes: conflicted copies on conflict; downloaded on demand when the vault says so.
bool isAudioPath(const QString& relPath);
/// A take: collections/<cid>/projects/<pid>/audio/<track-id>.wav (the file a mix's track plays).
bool isTakePath(const QString& relPath);
/// Never synced: local-only state (.muze-state/), recording markers, OS litter (.DS_Store,
/// Thumbs.db, desktop.ini), editor/backup temp files (*~, .#*, *.swp), our own temp files.
bool isIgnoredPath(const QString& relPath);
/// Synced without encryption even in an encrypted vault: the key ring (it holds only wrapped keys).
bool isPlaintextPath(const QString& relPath);
/// A path from a remote we may act on: safe relative (no "..", absolute, NUL, backslash, control
/// characters, segments over 255 bytes), NFC, and not ignored or local-only.
bool isAcceptableRemotePath(const QString& relPath);

/// The case- and normalisation-insensitive identity of a path (Dropbox and macOS compare
/// paths this way): NFC, then case folded.
QString pathKey(const QString& relPath);

/// `<dir>/<stem> (conflicted copy <device> <yyyy-mm-dd hhmmss>).<ext>` (extension last).
QString conflictedCopyPath(const QString& relPath, const QString& deviceName, const QString& stamp);
/// `<dir>/<stem> (case clash[ N]).<ext>`
QString caseClashPath(const QString& relPath, int n);

} // namespace muze::sync
