#pragma once
// The sound of an earlier version of a mix, for A/B by ear (issue 12): the version's JSON as
// an audio::MixSpec. A take still in the vault is played from there (a track id names one
// immutable take); a take that is gone is fetched on demand from the remote's history into
// `.muze-state/history-takes/` (local state, never synced), once. Blocking I/O: call it off the
// GUI thread.

#include <muze/audio/mixer.h>
#include <muze/sync/itemhistory.h>

namespace muze::gui {

Result<audio::MixSpec> versionMixSpec(const sync::HistoryAccess& access, const QString& mixFile, const Json& doc);

} // namespace muze::gui
