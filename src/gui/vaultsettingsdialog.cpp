#include "vaultsettingsdialog.h"

#include "activitypanel.h"
#include "background.h"
#include "devicestab.h"
#include "dropboxaccountpanel.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QFormLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QThreadPool>
#include <QVBoxLayout>

namespace muze::gui {

namespace {

struct Usage {
    qint64 bytes = 0;
    qint64 files = 0;
    qint64 audioBytes = 0;
};

} // namespace

VaultSettingsDialog::VaultSettingsDialog(vault::VaultManager& vaults, const QString& vaultId, QWidget* parent)
    : QDialog(parent), m_vaults(vaults), m_record(*vaults.byId(vaultId))
{
    setObjectName(QStringLiteral("vaultSettingsDialog"));
    setWindowTitle(tr("%1 — Settings").arg(m_record.name));
    auto* layout = new QVBoxLayout(this);
    auto* tabs = new QTabWidget(this);
    tabs->addTab(buildSyncTab(), tr("Sync"));
    if (m_record.provider == vault::Provider::Dropbox) { // who this device syncs as, and switching
        auto* account = new DropboxAccountPanel(this);
        connect(account, &DropboxAccountPanel::signInChanged, this, &VaultSettingsDialog::dropboxSignInChanged);
        tabs->addTab(account, tr("Account"));
    }
    tabs->addTab(buildStorageTab(), tr("Storage"));
    tabs->addTab(buildSecurityTab(), tr("Security"));
    auto* devices = new DevicesTab(m_vaults, m_record, this);
    connect(devices, &DevicesTab::keyRotated, this, &VaultSettingsDialog::keyRotated);
    tabs->addTab(devices, tr("Devices"));
    tabs->addTab(new ActivityPanel(m_record.path, this), tr("Activity"));
    tabs->addTab(buildDangerTab(), tr("Danger zone"));
    layout->addWidget(tabs);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(520, 380);
    refreshStorage();
    refreshEncryption();
}

QWidget* VaultSettingsDialog::buildSyncTab()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_frequency = new QComboBox(page);
    m_frequency->addItem(tr("Every 5 minutes"), 5);
    m_frequency->addItem(tr("Every 15 minutes"), 15);
    m_frequency->addItem(tr("Every hour"), 60);
    m_frequency->addItem(tr("Only when I ask"), 0);
    m_dataTypes = new QComboBox(page);
    m_dataTypes->addItem(tr("Projects and audio"), int(sync::DataTypes::All));
    m_dataTypes->addItem(tr("Projects only (no audio)"), int(sync::DataTypes::JsonOnly));
    m_audio = new QComboBox(page);
    m_audio->addItem(tr("Download every take"), int(sync::AudioDownload::All));
    m_audio->addItem(tr("Download takes when opened"), int(sync::AudioDownload::OnDemand));
    m_bandwidth = new QSpinBox(page);
    m_bandwidth->setRange(0, 1000000);
    m_bandwidth->setSuffix(tr(" KiB/s"));
    m_bandwidth->setSpecialValueText(tr("Unlimited"));
    form->addRow(tr("Sync:"), m_frequency);
    form->addRow(tr("What to sync:"), m_dataTypes);
    form->addRow(tr("Audio:"), m_audio);
    form->addRow(tr("Bandwidth limit:"), m_bandwidth);

    const bool hasRemote = !(m_record.provider == vault::Provider::Local && m_record.remotePath.isEmpty());
    page->setEnabled(hasRemote);
    if (!hasRemote)
        form->addRow(new QLabel(tr("This vault lives only on this device; there is nothing to sync."), page));

    auto settings = sync::SyncSettings::load(m_record.path);
    const sync::SyncSettings s = settings ? *settings : sync::SyncSettings();
    m_frequency->setCurrentIndex(std::max(0, m_frequency->findData(s.intervalMinutes)));
    m_dataTypes->setCurrentIndex(std::max(0, m_dataTypes->findData(int(s.dataTypes))));
    m_audio->setCurrentIndex(std::max(0, m_audio->findData(int(s.audioDownload))));
    m_bandwidth->setValue(int(s.bandwidthKiBps));
    return page;
}

bool VaultSettingsDialog::save()
{
    auto loaded = sync::SyncSettings::load(m_record.path);
    sync::SyncSettings s = loaded ? *loaded : sync::SyncSettings();
    s.intervalMinutes = m_frequency->currentData().toInt();
    s.dataTypes = sync::DataTypes(m_dataTypes->currentData().toInt());
    s.audioDownload = sync::AudioDownload(m_audio->currentData().toInt());
    s.bandwidthKiBps = m_bandwidth->value();
    if (const Status st = s.save(m_record.path); !st) {
        QMessageBox::warning(this, windowTitle(), st.errorString());
        return false;
    }
    Q_EMIT settingsSaved(m_record.id);
    return true;
}

QWidget* VaultSettingsDialog::buildStorageTab()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    form->addRow(tr("Folder:"), new QLabel(m_record.path, page));
    m_storage = new QLabel(tr("Measuring…"), page);
    m_storage->setObjectName(QStringLiteral("storageUsage"));
    form->addRow(tr("On this device:"), m_storage);
    return page;
}

void VaultSettingsDialog::refreshStorage()
{
    const QString root = m_record.path;
    runInBackground(
        this,
        [root] {
            Usage u;
            QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                it.next();
                const qint64 size = it.fileInfo().size();
                u.bytes += size;
                ++u.files;
                if (it.fileName().endsWith(QLatin1String(".wav"), Qt::CaseInsensitive))
                    u.audioBytes += size;
            }
            return u;
        },
        [this](Usage u) {
            const QLocale locale;
            const QString files = u.files == 1 ? tr("1 file") : tr("%1 files").arg(u.files);
            m_storage->setText(tr("%1 in %2, of which audio %3")
                                   .arg(locale.formattedDataSize(u.bytes), files, locale.formattedDataSize(u.audioBytes)));
        });
}

QWidget* VaultSettingsDialog::buildSecurityTab()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_encryption = new QLabel(tr("Checking…"), page);
    m_encryption->setObjectName(QStringLiteral("encryptionStatus"));
    m_encryption->setWordWrap(true);
    form->addRow(tr("Encryption:"), m_encryption);
    m_oldPassword = new QLineEdit(page);
    m_oldPassword->setEchoMode(QLineEdit::Password);
    m_newPassword = new QLineEdit(page);
    m_newPassword->setEchoMode(QLineEdit::Password);
    m_changePassword = new QPushButton(tr("Change password"), page);
    form->addRow(tr("Current password:"), m_oldPassword);
    form->addRow(tr("New password:"), m_newPassword);
    form->addRow(QString(), m_changePassword);
    m_rotateKey = new QPushButton(tr("Make a new key"), page);
    m_rotateKey->setObjectName(QStringLiteral("rotateKey"));
    m_rotateKey->setToolTip(tr("After a device was lost or a password leaked: new files use a new key at once, "
                               "and Muze re-encrypts the others in the background as it syncs."));
    form->addRow(tr("Key rotation:"), m_rotateKey);
    for (QWidget* w : {static_cast<QWidget*>(m_oldPassword), static_cast<QWidget*>(m_newPassword),
                       static_cast<QWidget*>(m_changePassword), static_cast<QWidget*>(m_rotateKey)})
        w->setEnabled(false);
    connect(m_changePassword, &QPushButton::clicked, this, &VaultSettingsDialog::changePassword);
    connect(m_rotateKey, &QPushButton::clicked, this, &VaultSettingsDialog::rotateKey);
    return page;
}

void VaultSettingsDialog::refreshEncryption()
{
    const QString root = m_record.path;
    const QString id = m_record.id;
    struct Seen {
        Result<crypto::VaultKeyStatus> status;
        int older = 0; // files the journal says are stored under an older key
    };
    runInBackground(
        this,
        [root, id] {
            Seen seen{crypto::vaultKeyStatus(root, id), 0};
            if (seen.status && seen.status->unlocked) {
                if (Result<sync::KeyUsage> u = sync::storedKeyUsage(root, seen.status->activeKeyId))
                    seen.older = u->older;
            }
            return seen;
        },
        [this](Seen seen) {
            const Result<crypto::VaultKeyStatus>& status = seen.status;
            if (!status) {
                m_encryption->setText(status.errorString());
                return;
            }
            if (!status->encrypted) {
                m_encryption->setText(tr("Not encrypted. Files are stored as they are."));
                return;
            }
            QString text = status->unlocked ? tr("End-to-end encrypted (key %1 of %2). Unlocked on this device.")
                                                  .arg(status->activeKeyId)
                                                  .arg(status->keyIds.size())
                                            : tr("End-to-end encrypted; locked on this device: %1").arg(status->lockedReason);
            if (seen.older > 0)
                text += QLatin1Char(' ')
                    + (seen.older == 1 ? tr("1 file is still stored under an older key; it moves to the new one as Muze syncs.")
                                       : tr("%1 files are still stored under an older key; they move to the new one as Muze "
                                            "syncs.")
                                             .arg(seen.older));
            m_encryption->setText(text);
            for (QWidget* w : {static_cast<QWidget*>(m_oldPassword), static_cast<QWidget*>(m_newPassword),
                               static_cast<QWidget*>(m_changePassword)})
                w->setEnabled(true);
            m_rotateKey->setEnabled(status->unlocked);
        });
}

void VaultSettingsDialog::changePassword()
{
    const QByteArray oldPw = m_oldPassword->text().toUtf8();
    const QByteArray newPw = m_newPassword->text().toUtf8();
    if (newPw.size() < 8) {
        QMessageBox::warning(this, windowTitle(), tr("Choose a new password of at least 8 characters."));
        return;
    }
    m_changePassword->setEnabled(false);
    m_changePassword->setText(tr("Changing…"));
    const QString root = m_record.path;
    const QString id = m_record.id;
    runInBackground(
        this, [=] { return crypto::changeVaultPassword(root, id, oldPw, newPw); },
        [this](Status s) {
            m_changePassword->setEnabled(true);
            m_changePassword->setText(tr("Change password"));
            if (!s) {
                QMessageBox::warning(this, windowTitle(), s.errorString());
                return;
            }
            m_oldPassword->clear();
            m_newPassword->clear();
            QMessageBox::information(this, windowTitle(), tr("The password is changed on every device."));
        });
}

void VaultSettingsDialog::rotateKey()
{
    const auto answer = QMessageBox::question(
        this, windowTitle(),
        tr("Make a new encryption key for \"%1\"?\n\nNew and changed files use it at once. The other files are "
           "re-encrypted in the background as Muze syncs; every device that has the vault unlocked picks the new key up "
           "by itself. The password stays the same.")
            .arg(m_record.name));
    if (answer != QMessageBox::Yes)
        return;
    m_rotateKey->setEnabled(false);
    m_rotateKey->setText(tr("Making a key…"));
    const QString root = m_record.path;
    const QString id = m_record.id;
    runInBackground(
        this, [=] { return crypto::rotateVaultKey(root, id); },
        [this, id](Result<quint32> rotated) {
            m_rotateKey->setText(tr("Make a new key"));
            m_rotateKey->setEnabled(true);
            if (!rotated) {
                QMessageBox::warning(this, windowTitle(), rotated.errorString());
                return;
            }
            Q_EMIT keyRotated(id);
            refreshEncryption();
        });
}

QWidget* VaultSettingsDialog::buildDangerTab()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* removeLabel = new QLabel(tr("Remove the vault from Muze on this device. Its folder and its copy in the "
                                      "cloud stay as they are."),
                                   page);
    removeLabel->setWordWrap(true);
    auto* remove = new QPushButton(tr("Remove from Muze…"), page);
    auto* deleteLabel = new QLabel(tr("Delete the vault's folder on this device, with every take in it. Takes "
                                      "that were never synced are lost."),
                                   page);
    deleteLabel->setWordWrap(true);
    auto* del = new QPushButton(tr("Delete vault and its files…"), page);
    del->setStyleSheet(QStringLiteral("color: #d1242f;"));
    layout->addWidget(removeLabel);
    layout->addWidget(remove);
    layout->addSpacing(16);
    layout->addWidget(deleteLabel);
    layout->addWidget(del);
    layout->addStretch(1);
    connect(remove, &QPushButton::clicked, this, [this] { removeVault(false); });
    connect(del, &QPushButton::clicked, this, [this] { removeVault(true); });
    return page;
}

void VaultSettingsDialog::removeVault(bool deleteFiles)
{
    if (deleteFiles) {
        bool ok = false;
        const QString typed = QInputDialog::getText(this, tr("Delete vault"),
                                                    tr("Type the vault's name, %1, to delete it and its files:").arg(m_record.name),
                                                    QLineEdit::Normal, QString(), &ok);
        if (!ok || typed != m_record.name)
            return;
    } else if (QMessageBox::question(this, tr("Remove vault"), tr("Remove \"%1\" from Muze?").arg(m_record.name))
               != QMessageBox::Yes) {
        return;
    }
    if (const Status s = m_vaults.remove(m_record.id, deleteFiles); !s) {
        QMessageBox::warning(this, windowTitle(), s.errorString());
        return;
    }
    Q_EMIT vaultRemoved(m_record.id);
    accept();
}

} // namespace muze::gui
