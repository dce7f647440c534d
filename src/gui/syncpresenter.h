#pragma once
// Keeps one sync worker per synced vault (through sync::SyncController), mirrors their state
// into the vault registry (so the sidebar shows it), and asks the user when sync needs a
// decision: a mass delete to confirm, a locked vault to unlock. GUI thread only.

#include <QObject>
#include <QPointer>
#include <QSet>

class QWidget;

namespace muze::vault {
class VaultManager;
}
namespace muze::sync {
class SyncController;
struct VaultStatus;
}

namespace muze::gui {

class FileStateModel;

class SyncPresenter : public QObject {
    Q_OBJECT
public:
    SyncPresenter(vault::VaultManager& vaults, QWidget* dialogParent);
    ~SyncPresenter() override;

    sync::SyncController* controller() const { return m_controller; }
    /// Every synced file's state, per vault (batched from the workers).
    FileStateModel* fileStates() const { return m_fileStates; }
    void syncNow(const QString& vaultId);
    /// Re-reads the vault's settings from disk and applies them to its worker.
    void reloadSettings(const QString& vaultId);
    /// True while the vault's remote refuses this device's sign-in (sync state "signed-out").
    bool isSignedOut(const QString& vaultId) const { return m_signedOut.contains(vaultId); }
    /// The Dropbox sign-in changed (signed in again, switched, disconnected): restarts the
    /// Dropbox vaults' workers so they read the new tokens, and syncs them.
    void dropboxSignInChanged();

Q_SIGNALS:
    void progress(const QString& vaultId, qint64 bytesDone, qint64 bytesTotal, int filesDone, int filesTotal);
    void message(const QString& text);
    void vaultContentChanged(const QString& vaultId); // a sync run finished: reload views
    /// The vault became signed out (or signed in again); `message` says why.
    void signedOutChanged(const QString& vaultId, bool signedOut, const QString& message);

private:
    void reconcileWorkers();
    void onStatus(const sync::VaultStatus& status);
    void askToUnlock(const QString& vaultId);

    vault::VaultManager& m_vaults;
    QPointer<QWidget> m_dialogParent;
    sync::SyncController* m_controller = nullptr;
    FileStateModel* m_fileStates = nullptr;
    bool m_asking = false;
    QSet<QString> m_signedOut;
};

} // namespace muze::gui
