// The pure plan of a pass (syncplan.h), table by table: the order of the work, the queue, the
// locked filter, the mass-delete rail, the key ring first, and when only settling files wait.
#include "catch.h"
#include "testsupport.h"

#include <muze/sync/syncplan.h>

#include <string>
#include <vector>

using namespace muze;
using namespace muze::sync;

namespace {

const QString kRing = QStringLiteral(".muze/keyring.json");
const QString kCollection = QStringLiteral("collections/c1/collection.json");
const QString kProject = QStringLiteral("collections/c1/projects/p1/project.json");
const QString kMix = QStringLiteral("collections/c1/projects/p1/mixes/m.json");
const QString kTake = QStringLiteral("collections/c1/projects/p1/audio/t.wav");

Action act(ActionKind kind, const QString& path, const QString& why = {})
{
    Action a;
    a.kind = kind;
    a.path = path;
    a.why = why;
    return a;
}

// "download a, upload b": what a log of the pass would show, in order.
std::string listed(const std::vector<Action>& actions)
{
    QStringList out;
    for (const Action& a : actions)
        out << actionName(a.kind) + QLatin1Char(' ') + a.path;
    return out.join(QStringLiteral(", ")).toStdString();
}

std::string listed(const std::vector<PendingRow>& queue)
{
    QStringList out;
    for (const PendingRow& r : queue)
        out << r.action + QLatin1Char(' ') + r.path
                + (r.lastError.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(r.lastError));
    return out.join(QStringLiteral(", ")).toStdString();
}

// An unlocked plain vault with enough files that no rail trips.
PlanInput unlocked(std::vector<Action> actions)
{
    PlanInput in;
    in.actions = std::move(actions);
    in.localFiles = 100;
    in.remoteFiles = 100;
    return in;
}

} // namespace

TEST_CASE("plan: deletes, journal steps, resolves, downloads, uploads, then take and item deletes")
{
    struct Row {
        const char* what;
        std::vector<Action> actions;
        std::string work;
    };
    const std::vector<Row> table{
        {"remote deletes before local deletes, both before an upload",
            {act(ActionKind::Upload, QStringLiteral("a.json")), act(ActionKind::DeleteLocal, QStringLiteral("b.json")),
                act(ActionKind::DeleteRemote, QStringLiteral("c.json"))},
            "delete_remote c.json, delete_local b.json, upload a.json"},
        {"journal-only steps keep their order, then resolve, download, upload",
            {act(ActionKind::Upload, QStringLiteral("u.json")), act(ActionKind::Download, QStringLiteral("d.json")),
                act(ActionKind::Resolve, QStringLiteral("r.json")), act(ActionKind::Record, QStringLiteral("x.json")),
                act(ActionKind::Forget, QStringLiteral("f.json")),
                act(ActionKind::CloudOnly, QStringLiteral("o.json"))},
            "record x.json, forget f.json, cloud_only o.json, resolve r.json, download d.json, upload u.json"},
        {"a take's delete after the mix upload, then project.json, then collection.json",
            {act(ActionKind::DeleteRemote, kCollection), act(ActionKind::DeleteLocal, kProject),
                act(ActionKind::DeleteRemote, kTake), act(ActionKind::Upload, kMix),
                act(ActionKind::DeleteLocal, QStringLiteral("collections/c1/notes.json"))},
            ("delete_local collections/c1/notes.json, upload " + kMix + ", delete_remote " + kTake + ", delete_local "
                + kProject + ", delete_remote " + kCollection)
                .toStdString()},
        {"JSON before audio within a rank, otherwise the reconciler's order",
            {act(ActionKind::Download, QStringLiteral("a.wav")), act(ActionKind::Download, QStringLiteral("b.json")),
                act(ActionKind::Download, QStringLiteral("c.wav")),
                act(ActionKind::Download, QStringLiteral("d.json"))},
            "download b.json, download d.json, download a.wav, download c.wav"},
        {"a take uploaded or downloaded is no delete: it keeps its kind's rank",
            {act(ActionKind::Upload, kTake), act(ActionKind::Download, QStringLiteral("z.wav"))},
            ("download z.wav, upload " + kTake).toStdString()},
    };
    for (const Row& row : table) {
        INFO(row.what);
        const SyncPlan p = plan(unlocked(row.actions));
        CHECK(listed(p.work) == row.work);
        CHECK_FALSE(p.refused);
        CHECK_FALSE(p.ringOnly);
    }
}

TEST_CASE("plan: the queue holds every action but none, the work leaves out skips and failed paths")
{
    PlanInput in = unlocked({act(ActionKind::None, QStringLiteral("same.json")),
        act(ActionKind::Skip, QStringLiteral("take.wav"), QStringLiteral("recording")),
        act(ActionKind::Upload, QStringLiteral("failed.json")), act(ActionKind::Download, QStringLiteral("new.json"))});
    in.failed.insert(QStringLiteral("failed.json"));
    const SyncPlan p = plan(in);
    CHECK(listed(p.queue) == "skip take.wav (recording), upload failed.json, download new.json");
    CHECK(listed(p.work) == "download new.json");
    CHECK(p.skipped == QStringList{QStringLiteral("take.wav: recording")});
    CHECK(p.message.isEmpty());
    CHECK_FALSE(p.locked);
}

TEST_CASE("plan: an encrypted vault without keys here moves only its key ring")
{
    struct Row {
        const char* what;
        bool hasCodec;
        bool encrypting;
        bool remoteEncrypted;
        bool locked;
    };
    const std::vector<Row> table{
        {"no codec, plain remote", false, false, false, true},
        {"no codec, encrypted remote", false, false, true, true},
        {"plain codec, encrypted remote", true, false, true, true},
        {"plain codec, plain remote", true, false, false, false},
        {"keys, encrypted remote", true, true, true, false},
    };
    for (const Row& row : table) {
        INFO(row.what);
        PlanInput in = unlocked(
            {act(ActionKind::Download, kRing), act(ActionKind::Upload, kMix), act(ActionKind::DeleteLocal, kTake),
                act(ActionKind::Skip, QStringLiteral("s.json"), QStringLiteral("settling"))});
        in.hasCodec = row.hasCodec;
        in.encrypting = row.encrypting;
        in.remoteEncrypted = row.remoteEncrypted;
        const SyncPlan p = plan(in);
        CHECK(p.locked == row.locked);
        CHECK(p.ringPending);
        if (row.locked) {
            CHECK(listed(p.work) == ("download " + kRing).toStdString());
            CHECK(p.skipped
                == QStringList{kMix + QStringLiteral(": vault is locked"), kTake + QStringLiteral(": vault is locked"),
                    QStringLiteral("s.json: settling")});
            CHECK(p.message.contains(QStringLiteral("muze-cli keys unlock")));
        } else {
            CHECK(p.work.size() == 3);
            CHECK(p.skipped == QStringList{QStringLiteral("s.json: settling")});
            CHECK(p.message.isEmpty());
        }
    }
}

TEST_CASE("rule 5: the plan refuses a pass that would delete most of one side")
{
    struct Row {
        const char* what;
        ActionKind kind;
        int deletes;
        int localFiles;
        int remoteFiles;
        bool force;
        bool refused;
    };
    const std::vector<Row> table{
        {"4 of 6 local files", ActionKind::DeleteLocal, 4, 6, 100, false, true},
        {"4 of 6 remote files", ActionKind::DeleteRemote, 4, 100, 6, false, true},
        {"4 of 6 with --force", ActionKind::DeleteLocal, 4, 6, 100, true, false},
        {"exactly half", ActionKind::DeleteLocal, 4, 8, 100, false, false},
        {"below the minimum", ActionKind::DeleteRemote, 2, 100, 2, false, false},
    };
    for (const Row& row : table) {
        INFO(row.what);
        std::vector<Action> actions{act(ActionKind::Upload, QStringLiteral("keep.json")),
            act(ActionKind::Skip, QStringLiteral("busy.wav"), QStringLiteral("recording"))};
        for (int i = 0; i < row.deletes; ++i)
            actions.push_back(act(row.kind, QStringLiteral("gone%1.json").arg(i)));
        PlanInput in = unlocked(actions);
        in.localFiles = row.localFiles;
        in.remoteFiles = row.remoteFiles;
        in.force = row.force;
        const SyncPlan p = plan(in);
        CHECK(p.refused == row.refused);
        CHECK(p.massDelete.tripped == (row.refused || row.force));
        // The queue keeps what the pass would do, refused or not.
        CHECK(p.queue.size() == size_t(row.deletes + 2));
        if (row.refused) {
            CHECK(p.work.empty());
            CHECK(p.skipped.isEmpty());
            CHECK(p.message.endsWith(QStringLiteral(": refusing without --force")));
            CHECK(p.message.contains(QString::number(row.deletes)));
        } else {
            CHECK(p.work.size() == size_t(row.deletes + 1));
            CHECK(p.message.isEmpty());
        }
    }
}

TEST_CASE("rule 5: deletes a locked vault skips do not trip the rail")
{
    std::vector<Action> actions;
    for (int i = 0; i < 4; ++i)
        actions.push_back(act(ActionKind::DeleteLocal, QStringLiteral("gone%1.json").arg(i)));
    PlanInput in = unlocked(actions);
    in.localFiles = 4;
    in.hasCodec = false;
    const SyncPlan p = plan(in);
    CHECK(p.locked);
    CHECK_FALSE(p.refused);
    CHECK(p.work.empty());
    CHECK(p.skipped.size() == 4);
}

TEST_CASE("plan: a key ring coming in goes alone when the engine can remake its keys")
{
    struct Row {
        const char* what;
        ActionKind ring;
        bool canRemakeKeys;
        int others;
        bool ringOnly;
    };
    const std::vector<Row> table{
        {"downloaded ring with other work", ActionKind::Download, true, 2, true},
        {"resolved ring with other work", ActionKind::Resolve, true, 2, true},
        {"uploaded ring: nothing new to read", ActionKind::Upload, true, 2, false},
        {"no codec provider", ActionKind::Download, false, 2, false},
        {"the ring is all the work", ActionKind::Download, true, 0, false},
    };
    for (const Row& row : table) {
        INFO(row.what);
        std::vector<Action> actions;
        for (int i = 0; i < row.others; ++i) // before the ring in path order, and earlier in rank
            actions.push_back(act(ActionKind::DeleteRemote, QStringLiteral(".a%1.json").arg(i)));
        actions.push_back(act(row.ring, kRing));
        PlanInput in = unlocked(actions);
        in.hasCodec = true;
        in.encrypting = true;
        in.remoteEncrypted = true;
        in.canRemakeKeys = row.canRemakeKeys;
        const SyncPlan p = plan(in);
        CHECK(p.ringOnly == row.ringOnly);
        CHECK(p.ringPending);
        CHECK(p.queue.size() == size_t(row.others + 1)); // the rest still queued
        if (row.ringOnly) {
            CHECK(listed(p.work) == (actionName(row.ring) + QLatin1Char(' ') + kRing).toStdString());
        } else {
            REQUIRE(p.work.size() == size_t(row.others + 1));
            CHECK(p.work.back().path == kRing);
        }
    }
}

TEST_CASE("plan: a pass with nothing to do but files still settling says so")
{
    struct Row {
        const char* what;
        std::vector<Action> actions;
        QSet<QString> failed;
        bool onlySettling;
    };
    const std::vector<Row> table{
        {"one settling file", {act(ActionKind::Skip, QStringLiteral("a.json"), QStringLiteral("settling"))}, {}, true},
        {"settling and recording",
            {act(ActionKind::Skip, QStringLiteral("a.json"), QStringLiteral("settling")),
                act(ActionKind::Skip, QStringLiteral("t.wav"), QStringLiteral("recording"))},
            {}, false},
        {"nothing at all", {act(ActionKind::None, QStringLiteral("a.json"))}, {}, false},
        {"settling, and a path that failed earlier",
            {act(ActionKind::Skip, QStringLiteral("a.json"), QStringLiteral("settling")),
                act(ActionKind::Upload, QStringLiteral("b.json"))},
            {QStringLiteral("b.json")}, true},
        {"settling, and work to do",
            {act(ActionKind::Skip, QStringLiteral("a.json"), QStringLiteral("settling")),
                act(ActionKind::Upload, QStringLiteral("b.json"))},
            {}, false},
    };
    for (const Row& row : table) {
        INFO(row.what);
        PlanInput in = unlocked(row.actions);
        in.failed = row.failed;
        CHECK(plan(in).onlySettling == row.onlySettling);
    }
}
