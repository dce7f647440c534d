#include <muze/sync/syncplan.h>

#include "takeguard.h" // isParentItemPath

#include <muze/sync/syncpaths.h>

#include <algorithm>

namespace muze::sync {

namespace {

bool isDelete(const Action& a)
{
    return a.kind == ActionKind::DeleteRemote || a.kind == ActionKind::DeleteLocal;
}

int priority(const Action& a)
{
    // A take's delete waits for the pass's mix merges, which decide whether it still has a user.
    if (isDelete(a) && isTakePath(a.path))
        return 6;
    // A parent item's delete goes last, projects before collections: what is left then needs it.
    if (isDelete(a) && isParentItemPath(a.path))
        return a.path.endsWith(QLatin1String("/project.json")) ? 7 : 8;
    switch (a.kind) {
    case ActionKind::DeleteRemote:
        return 0;
    case ActionKind::DeleteLocal:
        return 1;
    case ActionKind::Forget:
    case ActionKind::Record:
    case ActionKind::CloudOnly:
        return 2;
    case ActionKind::Resolve:
        return 3;
    case ActionKind::Download:
        return 4;
    case ActionKind::Upload:
        return 5;
    default:
        return 9;
    }
}

// An encrypted remote and no keys here: only the key ring may move.
void skipLocked(std::vector<Action>& actions)
{
    for (Action& a : actions) {
        if (a.kind != ActionKind::None && a.kind != ActionKind::Skip && !isPlaintextPath(a.path)) {
            a.kind = ActionKind::Skip;
            a.why = QStringLiteral("vault is locked");
        }
    }
}

// Rule 4 says "this round"; the engine may rather wait a moment than leave such files behind.
bool onlySettling(const std::vector<Action>& actions)
{
    return std::all_of(actions.begin(), actions.end(),
        [](const Action& a) { return a.kind != ActionKind::Skip || a.why == QLatin1String("settling"); });
}

} // namespace

SyncPlan plan(PlanInput input)
{
    SyncPlan out;
    out.actions = std::move(input.actions);
    std::vector<Action>& actions = out.actions;

    out.locked = !input.hasCodec || (input.remoteEncrypted && !input.encrypting);
    if (out.locked) {
        skipLocked(actions);
        out.message = QStringLiteral("This vault is encrypted and locked on this device: unlock it with its password "
                                     "(muze-cli keys unlock) to sync its files");
    }
    out.ringPending = std::any_of(actions.begin(), actions.end(),
        [](const Action& a) { return a.kind != ActionKind::None && isPlaintextPath(a.path); });

    // Rule 5: refuse a pass that would wipe most of one side; what it would do stays queued.
    out.massDelete = checkMassDelete(actions, input.localFiles, input.remoteFiles);
    if (out.massDelete.tripped && !input.force) {
        out.refused = true;
        out.message = out.massDelete.message + QStringLiteral(": refusing without --force");
        for (const Action& a : actions) {
            if (a.kind != ActionKind::None)
                out.queue.push_back({a.path, actionName(a.kind), 0, {}, 0});
        }
        return out;
    }

    for (const Action& a : actions) {
        if (a.kind == ActionKind::None)
            continue;
        if (a.kind == ActionKind::Skip) {
            out.skipped << QStringLiteral("%1: %2").arg(a.path, a.why);
            out.queue.push_back({a.path, QStringLiteral("skip"), 0, a.why, 0});
            continue;
        }
        out.queue.push_back({a.path, actionName(a.kind), 0, {}, 0});
        if (!input.failed.contains(a.path))
            out.work.push_back(a);
    }
    if (out.work.empty()) {
        out.onlySettling = !out.skipped.isEmpty() && onlySettling(actions);
        return out;
    }

    std::stable_sort(out.work.begin(), out.work.end(), [](const Action& x, const Action& y) {
        const int px = priority(x), py = priority(y);
        if (px != py)
            return px < py;
        return isJsonPath(x.path) && !isJsonPath(y.path);
    });
    // Ring first: a key ring coming in may carry the key other files now need. It goes alone;
    // the engine makes its keys again and plans the rest anew.
    if (input.canRemakeKeys && out.work.size() > 1) {
        const auto ring = std::find_if(out.work.begin(), out.work.end(), [](const Action& a) {
            return isPlaintextPath(a.path) && (a.kind == ActionKind::Download || a.kind == ActionKind::Resolve);
        });
        if (ring != out.work.end()) {
            out.work = {*ring};
            out.ringOnly = true;
        }
    }
    return out;
}

} // namespace muze::sync
