#include "syncpresenter.h"

#include "filestatemodel.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/sync/synccontroller.h>
#include <muze/sync/syncsettings.h>
#include <muze/sync/syncstatus.h>
#include <muze/util/clock.h>
#include <muze/vault/vaultmanager.h>

#include <QApplication>
#include <QInputDialog>
#include <QMessageBox>
#include <QThreadPool>
#include <QWidget>

namespace muze::gui {

namespace {
bool hasRemote(const vault::VaultRecord& r)
{
    return !(r.provider == vault::Provider::Local && r.remotePath.isEmpty());
}
} // namespace

SyncPresenter::SyncPresenter(vault::VaultManager& vaults, QWidget* dialogParent)
    : QObject(dialogParent), m_vaults(vaults), m_dialogParent(dialogParent), m_controller(new sync::SyncController(this))
{
    connect(m_controller, &sync::SyncController::statusChanged, this, &SyncPresenter::onStatus);
    connect(m_controller, &sync::SyncController::progress, this, &SyncPresenter::progress);
    m_fileStates = new FileStateModel(this);
    m_controller->setConfigDir(m_vaults.configDir()); // where "pause all" is remembered
    connect(m_controller, &sync::SyncController::fileStatesChanged, m_fileStates, &FileStateModel::apply);
    connect(m_controller, &sync::SyncController::syncFinished, this,
            [this](const QString& vaultId, bool, const QString&) { Q_EMIT vaultContentChanged(vaultId); });
    connect(&m_vaults, &vault::VaultManager::vaultsChanged, this, &SyncPresenter::reconcileWorkers);
    reconcileWorkers();
}

SyncPresenter::~SyncPresenter() = default;

void SyncPresenter::reconcileWorkers()
{
    for (const QString& id : m_controller->vaultIds()) {
        if (!m_vaults.byId(id)) {
            m_controller->removeVault(id);
            m_fileStates->forget(id);
        }
    }
    for (const vault::VaultRecord& r : m_vaults.vaults()) {
        if (hasRemote(r) && !m_controller->hasVault(r.id))
            m_controller->addVault(r, m_vaults.device().name, m_vaults.device().id);
    }
}

void SyncPresenter::syncNow(const QString& vaultId)
{
    if (m_controller->hasVault(vaultId))
        m_controller->syncNow(vaultId);
    else
        Q_EMIT message(tr("This vault lives only on this device; there is nothing to sync."));
}

void SyncPresenter::reloadSettings(const QString& vaultId)
{
    const auto record = m_vaults.byId(vaultId);
    if (!record || !m_controller->hasVault(vaultId))
        return;
    if (auto settings = sync::SyncSettings::load(record->path))
        m_controller->setSettings(vaultId, *settings);
}

void SyncPresenter::dropboxSignInChanged()
{
    for (const vault::VaultRecord& r : m_vaults.vaults()) {
        if (r.provider == vault::Provider::Dropbox && m_controller->hasVault(r.id))
            m_controller->removeVault(r.id); // its token manager holds the old tokens
    }
    reconcileWorkers(); // new workers sync at once
}

void SyncPresenter::onStatus(const sync::VaultStatus& st)
{
    using sync::VaultState;
    const QString& vaultId = st.vaultId;
    const QString& text = st.message;
    vault::SyncStatus status = vault::SyncStatus::Synced;
    QDateTime lastSynced;
    switch (st.state) {
    case VaultState::Syncing: status = vault::SyncStatus::Syncing; break;
    case VaultState::Offline: status = vault::SyncStatus::Offline; break;
    case VaultState::Error:
    case VaultState::Locked:
    case VaultState::SignedOut:
    case VaultState::Attention: status = vault::SyncStatus::Error; break;
    case VaultState::Synced:
    case VaultState::Pending: lastSynced = clock().now(); break; // pending files sync next round
    case VaultState::Idle:
    case VaultState::Paused: break;
    }
    if (const auto r = m_vaults.byId(vaultId); r && (r->syncStatus != status || lastSynced.isValid()))
        (void)m_vaults.setSyncState(vaultId, status, lastSynced);
    if (!text.isEmpty() && st.state != VaultState::Synced && st.state != VaultState::Syncing)
        Q_EMIT message(text);

    // Only a pass that got through proves the sign-in works again ("syncing" proves nothing).
    const bool signedOut = st.state == VaultState::SignedOut;
    const bool signedIn = st.state == VaultState::Synced || st.state == VaultState::Pending;
    if ((signedOut && !m_signedOut.contains(vaultId)) || (signedIn && m_signedOut.contains(vaultId))) {
        if (signedOut)
            m_signedOut.insert(vaultId);
        else
            m_signedOut.remove(vaultId);
        Q_EMIT signedOutChanged(vaultId, signedOut, text);
    }
    if (st.state == VaultState::Locked)
        askToUnlock(vaultId);
    if (st.state == VaultState::Attention && m_dialogParent && !m_asking) {
        m_asking = true;
        const auto answer = QMessageBox::warning(
            m_dialogParent, tr("Many files would be deleted"),
            tr("%1\n\nDelete them on every device? Choose No to keep everything and look first.").arg(text),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        m_asking = false;
        if (answer == QMessageBox::Yes)
            m_controller->syncNow(vaultId, true);
    }
}

void SyncPresenter::askToUnlock(const QString& vaultId)
{
    const auto record = m_vaults.byId(vaultId);
    if (!record || !m_dialogParent || m_asking)
        return;
    m_asking = true;
    bool ok = false;
    const QString password = QInputDialog::getText(m_dialogParent, tr("Unlock %1").arg(record->name),
                                                   tr("This vault is end-to-end encrypted. Its password:"),
                                                   QLineEdit::Password, QString(), &ok);
    m_asking = false;
    if (!ok || password.isEmpty())
        return;
    const QString root = record->path;
    QPointer<SyncPresenter> self(this);
    QThreadPool::globalInstance()->start([self, root, vaultId, pw = password.toUtf8()]() mutable {
        bool repaired = false;
        const Status s = crypto::unlockVault(root, vaultId, pw, crypto::MasterKeyStore(), &repaired); // Argon2id: ~1 s
        crypto::wipe(pw);
        QMetaObject::invokeMethod(qApp, [self, vaultId, s, repaired] {
            if (!self)
                return;
            if (!s) {
                Q_EMIT self->message(s.errorString());
                return;
            }
            if (repaired)
                Q_EMIT self->message(tr("Unlocked. The vault's key ring had been changed by someone without the password; "
                                        "it was repaired from the keys this device keeps."));
            self->m_controller->syncNow(vaultId);
        }, Qt::QueuedConnection);
    });
}

} // namespace muze::gui
