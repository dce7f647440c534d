#pragma once
// What changed between two versions of a collection, project or mix JSON (the History panel
// and `muze-cli history`): name, tempo, key, time signature, notes, tags, colour, mix gain;
// per track: added, removed, renamed, gain, pan, mute, solo, take replaced. A pure function of
// the two documents; fields it does not know (and timestamps) are not reported.

#include <muze/util/json.h>

#include <QString>
#include <QStringList>

#include <vector>

namespace muze::model {

struct FieldChange {
    QString track; // the track's name when the change is inside one ("" for the item itself)
    QString trackId;
    QString field; // "name", "tempo", "notes", "tags", "gain_db", "pan", "muted", "solo",
                   // "track_added", "track_removed", "take", "created", ...
    Json from; // null when not applicable
    Json to;
    QString text; // one readable phrase, e.g. "Bass: gain 0 dB → −3 dB"
};

/// The changes from `before` to `after`. `before` null: the item was created (one "created"
/// change). Track order changes alone are not reported.
std::vector<FieldChange> diffVersions(const Json& before, const Json& after);

/// The phrases joined with "; " ("no changes" when empty).
QString summaryText(const std::vector<FieldChange>& changes);

} // namespace muze::model
