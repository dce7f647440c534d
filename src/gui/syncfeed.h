#pragma once
// SyncFeed: what the Conflicts dialog, the tray icon and the conflict badge know about sync,
// in one place. It is the only GUI class that reads sync::SyncController's signals for them
// (today's string states), so a new worker protocol only needs this adapter re-pointed.
//
// Per vault it keeps: the state (Synced, Syncing n%, Offline, Error, Locked, Attention), the
// number of open conflicts (listed off the GUI thread when a vault opens, after each sync run
// and after a resolution: ConflictResolver::detect() + list()), and it announces news worth a
// desktop notification: a new conflict, an error that needs the user (signed out, disk full,
// key ring tampered), a recording whose upload finished (from the journal's activity log).
// GUI thread only; nothing here waits on I/O.

#include <QHash>
#include <QObject>
#include <QString>

namespace muze::vault {
class VaultManager;
}
namespace muze::sync {
class SyncController;
}

namespace muze::gui {

class SyncFeed : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Synced, Syncing, Paused, Offline, Error, Attention };
    Q_ENUM(State)
    enum class UserProblem { None, SignedOut, DiskFull, KeyRing, Other };
    Q_ENUM(UserProblem)

    struct VaultState {
        State state = State::Idle;
        int percent = -1; // while syncing, when known
        QString message;
        int conflicts = 0;
    };

    /// `controller` may be null (no sync at all): conflicts are still listed.
    SyncFeed(vault::VaultManager& vaults, sync::SyncController* controller, QObject* parent = nullptr);

    vault::VaultManager& vaults() const { return m_vaults; }
    VaultState vaultState(const QString& vaultId) const { return m_states.value(vaultId); }
    /// All vaults at once, the way the tray shows it: the worst state; conflicts summed.
    VaultState overall() const;
    int conflictCount(const QString& vaultId) const { return m_states.value(vaultId).conflicts; }

    /// Lists the vault's conflicts again (detecting stray conflicted copies) in the background.
    void refreshConflicts(const QString& vaultId);
    void refreshAllConflicts();
    /// Sync now (every vault when `vaultId` is empty); false when nothing syncs.
    bool syncNow(const QString& vaultId = {});
    /// Pause / resume every vault (SyncController remembers it across restarts).
    bool canPause() const { return m_controller != nullptr; }
    bool allPaused() const;
    void setAllPaused(bool paused);

    /// Sorts an error message into what the user has to do (the worker sends free text today).
    static UserProblem classify(const QString& state, const QString& message);

Q_SIGNALS:
    void changed(); // any state, percent or count
    void conflictsChanged(const QString& vaultId, int count);
    void newConflicts(const QString& vaultId, int added);
    void needsUser(const QString& vaultId, muze::gui::SyncFeed::UserProblem problem, const QString& message);
    void uploadFinished(const QString& vaultId, const QString& path);

private:
    void onState(const QString& vaultId, const QString& state, const QString& message);
    void onProgress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void onFinished(const QString& vaultId);
    void checkUploads(const QString& vaultId);

    vault::VaultManager& m_vaults;
    sync::SyncController* m_controller;
    qint64 m_startMs = 0;
    QHash<QString, VaultState> m_states;
    QHash<QString, QString> m_lastProblem;   // vault → message last announced (no repeats)
    QHash<QString, qint64> m_uploadsSeenMs;  // vault → newest activity time already announced
    QHash<QString, bool> m_listed;           // vault → conflicts listed at least once
};

} // namespace muze::gui
