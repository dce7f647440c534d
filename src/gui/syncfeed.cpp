#include "syncfeed.h"

#include "background.h"

#include <muze/sync/conflictresolve.h>
#include <muze/sync/journal.h>
#include <muze/sync/synccontroller.h>
#include <muze/util/clock.h>
#include <muze/vault/vaultmanager.h>

#include <QDateTime>

namespace muze::gui {

SyncFeed::SyncFeed(vault::VaultManager& vaults, sync::SyncController* controller, QObject* parent)
    : QObject(parent), m_vaults(vaults), m_controller(controller), m_startMs(clock().now().toMSecsSinceEpoch())
{
    if (m_controller) {
        connect(m_controller, &sync::SyncController::vaultStateChanged, this, &SyncFeed::onState);
        connect(m_controller, &sync::SyncController::progress, this, &SyncFeed::onProgress);
        connect(m_controller, &sync::SyncController::allPausedChanged, this, &SyncFeed::changed);
        connect(m_controller, &sync::SyncController::syncFinished, this,
                [this](const QString& vaultId, bool, const QString&) { onFinished(vaultId); });
    }
    // A vault that opens (or appears) lists its conflicts at once, not only after a run.
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &SyncFeed::refreshConflicts);
    connect(&m_vaults, &vault::VaultManager::vaultsChanged, this, [this] {
        for (const vault::VaultRecord& r : m_vaults.vaults()) {
            if (!m_listed.contains(r.id))
                refreshConflicts(r.id);
        }
    });
    refreshAllConflicts();
}

SyncFeed::VaultState SyncFeed::overall() const
{
    // Worst first: what the user has to act on, then what is going on.
    auto rank = [](State s) {
        switch (s) {
        case State::Error: return 5;
        case State::Attention: return 4;
        case State::Offline: return 3;
        case State::Syncing: return 2;
        case State::Paused: return 1;
        case State::Synced: return 1;
        case State::Idle: return 0;
        }
        return 0;
    };
    VaultState out;
    qint64 percentSum = 0;
    int syncing = 0;
    for (auto it = m_states.cbegin(); it != m_states.cend(); ++it) {
        out.conflicts += it->conflicts;
        if (rank(it->state) > rank(out.state)) {
            out.state = it->state;
            out.message = it->message;
        }
        if (it->state == State::Syncing && it->percent >= 0) {
            percentSum += it->percent;
            ++syncing;
        }
    }
    if (out.state == State::Syncing && syncing > 0)
        out.percent = int(percentSum / syncing);
    return out;
}

SyncFeed::UserProblem SyncFeed::classify(const QString& state, const QString& message)
{
    const QString m = message.toLower();
    if (state == QLatin1String("signed-out"))
        return UserProblem::SignedOut;
    if (state == QLatin1String("locked") || m.contains(QLatin1String("key ring")) || m.contains(QLatin1String("keyring")))
        return UserProblem::KeyRing;
    // The remotes' wording (dropboxclient.cpp, dropboxremote.cpp, tokenmanager.cpp).
    if (m.contains(QLatin1String("not signed in")) || m.contains(QLatin1String("not connected to dropbox"))
        || m.contains(QLatin1String("connect dropbox again")) || m.contains(QLatin1String("sign in"))
        || m.contains(QLatin1String("signed out")) || m.contains(QLatin1String("expired_access_token")))
        return UserProblem::SignedOut;
    if (m.contains(QLatin1String("no space")) || m.contains(QLatin1String("disk full")) || m.contains(QLatin1String("disk is full"))
        || m.contains(QLatin1String("insufficient_space")) || m.contains(QLatin1String("quota")))
        return UserProblem::DiskFull;
    if (state == QLatin1String("error"))
        return UserProblem::Other;
    return UserProblem::None;
}

void SyncFeed::onState(const QString& vaultId, const QString& state, const QString& message)
{
    VaultState& s = m_states[vaultId];
    if (state == QLatin1String("syncing")) {
        if (s.state != State::Syncing)
            s.percent = -1;
        s.state = State::Syncing;
    } else if (state == QLatin1String("offline")) {
        s.state = State::Offline;
    } else if (state == QLatin1String("paused")) {
        s.state = State::Paused;
    } else if (state == QLatin1String("idle")) {
        s.state = State::Idle;
    } else if (state == QLatin1String("error") || state == QLatin1String("locked") || state == QLatin1String("signed-out")) {
        s.state = State::Error;
    } else if (state == QLatin1String("attention")) {
        s.state = State::Attention;
    } else {
        s.state = State::Synced; // synced, or pending files that go next round
    }
    s.message = message;
    const UserProblem problem = classify(state, message);
    if (problem != UserProblem::None && problem != UserProblem::Other) {
        if (m_lastProblem.value(vaultId) != message) {
            m_lastProblem.insert(vaultId, message);
            Q_EMIT needsUser(vaultId, problem, message);
        }
    } else if (s.state == State::Synced) {
        m_lastProblem.remove(vaultId); // the same problem again later is news again
    }
    Q_EMIT changed();
}

void SyncFeed::onProgress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal)
{
    VaultState& s = m_states[vaultId];
    const int percent = bytesTotal > 0 ? int(100 * bytesDone / bytesTotal) : (filesTotal > 0 ? 100 * filesDone / filesTotal : -1);
    if (percent == s.percent)
        return;
    s.percent = percent;
    if (s.state == State::Syncing)
        Q_EMIT changed();
}

void SyncFeed::onFinished(const QString& vaultId)
{
    refreshConflicts(vaultId);
    checkUploads(vaultId);
}

void SyncFeed::refreshAllConflicts()
{
    for (const vault::VaultRecord& r : m_vaults.vaults())
        refreshConflicts(r.id);
}

void SyncFeed::refreshConflicts(const QString& vaultId)
{
    const auto record = m_vaults.byId(vaultId);
    if (!record)
        return;
    const QString root = record->path;
    const QString device = m_vaults.device().name;
    runInBackground(
        this,
        [root, device] {
            const sync::ConflictResolver resolver(root, device);
            (void)resolver.detect(); // a stray copy that fails to hash is simply not listed yet
            return int(resolver.list().size());
        },
        [this, vaultId](int count) {
            VaultState& s = m_states[vaultId];
            const int before = s.conflicts;
            const bool first = !m_listed.value(vaultId);
            m_listed.insert(vaultId, true);
            if (count == before && !first)
                return;
            s.conflicts = count;
            Q_EMIT conflictsChanged(vaultId, count);
            if (!first && count > before)
                Q_EMIT newConflicts(vaultId, count - before);
            Q_EMIT changed();
        });
}

void SyncFeed::checkUploads(const QString& vaultId)
{
    const auto record = m_vaults.byId(vaultId);
    if (!record)
        return;
    // Uploads from before this session are old news.
    const qint64 since = m_uploadsSeenMs.value(vaultId, m_startMs);
    runInBackground(
        this,
        [root = record->path, since] {
            std::vector<sync::ActivityRow> fresh;
            if (Result<std::unique_ptr<sync::Journal>> j = sync::Journal::open(root)) {
                if (Result<std::vector<sync::ActivityRow>> rows = (*j)->activity(50)) {
                    for (const sync::ActivityRow& r : *rows) {
                        if (r.timeMs > since)
                            fresh.push_back(r);
                    }
                }
            }
            return fresh;
        },
        [this, vaultId](const std::vector<sync::ActivityRow>& fresh) {
            const qint64 seen = m_uploadsSeenMs.value(vaultId, m_startMs); // a check that overlapped ours
            qint64 newest = seen;
            for (const sync::ActivityRow& r : fresh) {
                if (r.timeMs <= seen)
                    continue;
                newest = std::max(newest, r.timeMs);
                if (r.ok && r.direction == QLatin1String("up") && r.path.endsWith(QLatin1String(".wav"))
                    && r.path.contains(QLatin1String("/audio/")))
                    Q_EMIT uploadFinished(vaultId, r.path);
            }
            m_uploadsSeenMs.insert(vaultId, newest);
        });
}

bool SyncFeed::allPaused() const { return m_controller && m_controller->allPaused(); }

void SyncFeed::setAllPaused(bool paused)
{
    if (m_controller)
        m_controller->setAllPaused(paused);
}

bool SyncFeed::syncNow(const QString& vaultId)
{
    if (!m_controller)
        return false;
    const QStringList ids = vaultId.isEmpty() ? m_controller->vaultIds() : QStringList{vaultId};
    bool any = false;
    for (const QString& id : ids) {
        if (m_controller->hasVault(id)) {
            m_controller->syncNow(id);
            any = true;
        }
    }
    return any;
}

} // namespace muze::gui
