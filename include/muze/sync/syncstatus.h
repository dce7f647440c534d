#pragma once
// What sync tells the app, as plain values: the state of a vault (VaultStatus) and of each of
// its files (FileSyncState). Both cross threads in queued signals (SyncWorker → SyncController
// → GUI); the states are Q_ENUMs so they print and compare as enums, never as strings.
//
//   connect(sync, &SyncController::statusChanged, this, [](const VaultStatus& s) {
//       if (s.offline) showBanner(s.pendingChanges);
//   });

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

namespace muze::sync {
Q_NAMESPACE

/// One file's sync state. Declared in the order of how much it needs the user's eye:
/// worstFileState() picks the later one.
enum class FileState { Synced, CloudOnly, Pending, Syncing, Error, Conflict };
Q_ENUM_NS(FileState)

enum class VaultState {
    Idle, // the worker has not reported yet
    Syncing, // a run is going
    Synced, // the last run converged
    Pending, // skipped files (recording, settling) or another process holds the vault: soon
    Offline, // the remote cannot be reached; changes wait in the journal, retried with backoff
    Error, // per-file errors or a failed run (message says why)
    Locked, // encrypted and no keys here (or a key ring that cannot be trusted)
    SignedOut, // the remote refused our credentials: sign in again
    Attention, // the mass-delete rail refused a pass: ask the user, then syncNow(force=true)
    Paused, // the user paused this vault or all vaults
};
Q_ENUM_NS(VaultState)

QString fileStateName(FileState s); // "synced" | "syncing" | "pending" | "conflict" | "error" | "cloud-only"
QString vaultStateName(VaultState s); // "idle" | "syncing" | "synced" | "pending" | "offline" | "error" |
                                      // "locked" | "signed-out" | "attention" | "paused"
/// The state a folder (mix, project) shows for two of its files: the one that needs more attention.
inline FileState worstFileState(FileState a, FileState b)
{
    return int(a) >= int(b) ? a : b;
}

struct VaultStatus {
    QString vaultId;
    VaultState state = VaultState::Idle;
    QString message; // for humans: why (error, locked, attention) or the run's summary
    bool locked = false; // encrypted, no usable keys on this device
    bool signedOut = false; // the remote needs the user to sign in again ("auth")
    bool offline = false; // the remote could not be reached by the last run
    bool paused = false; // this vault or all vaults are paused
    bool massDeleteRefused = false;
    int conflicts = 0; // open conflict records of the vault (.muze/conflicts)
    int pendingChanges = -1; // files waiting to sync (known after each run; -1: not counted yet)
};

struct FileSyncState {
    QString path; // vault-relative
    FileState state = FileState::Synced;
    QString detail; // the error, why it is pending, or the conflict id
    qint64 bytesDone = -1; // Syncing: bytes of this file moved so far (-1: unknown)
    qint64 bytesTotal = -1; // Syncing: its size (-1: unknown)
};
using FileSyncStates = QList<FileSyncState>;

} // namespace muze::sync

Q_DECLARE_METATYPE(muze::sync::VaultStatus)
Q_DECLARE_METATYPE(muze::sync::FileSyncState)
