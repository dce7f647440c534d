#include "addvaultdialog.h"

#include "dropboxconnectdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace muze::gui {

namespace {
constexpr int kMinPassword = 8;
}

AddVaultDialog::AddVaultDialog(const QString& defaultParentDir, QWidget* parent)
    : QDialog(parent), m_parentDir(defaultParentDir)
{
    setWindowTitle(tr("Add vault"));
    setObjectName(QStringLiteral("addVaultDialog"));
    auto* form = new QFormLayout(this);
    // The dialog grows when the sync row or a longer hint appears, instead of clipping them.
    form->setSizeConstraint(QLayout::SetMinimumSize);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("vaultName"));
    m_name->setPlaceholderText(tr("e.g. Local Backup"));
    form->addRow(tr("Name:"), m_name);

    auto* row = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setAccessibleName(tr("Folder on this device"));
    m_folder->setObjectName(QStringLiteral("vaultFolder"));
    auto* choose = new QPushButton(tr("Choose…"), this);
    row->addWidget(m_folder, 1);
    row->addWidget(choose);
    form->addRow(tr("Folder on this device:"), row);

    m_sync = new QComboBox(this);
    m_sync->addItem(tr("Nowhere — this device only"), LocalOnly);
    m_sync->addItem(tr("A folder (backup drive, NAS)"), Folder);
    m_sync->addItem(tr("Dropbox"), Dropbox);
    m_sync->addItem(tr("iCloud Drive"), ICloud);
    form->addRow(tr("Sync with:"), m_sync);

    auto* remoteRow = new QHBoxLayout;
    m_remote = new QLineEdit(this);
    m_remote->setObjectName(QStringLiteral("vaultRemote"));
    m_remoteChoose = new QPushButton(tr("Choose…"), this);
    remoteRow->addWidget(m_remote, 1);
    remoteRow->addWidget(m_remoteChoose);
    m_remoteLabel = new QLabel(tr("Sync folder:"), this);
    form->addRow(m_remoteLabel, remoteRow);
    m_form = form;
    m_remoteRow = form->rowCount() - 1;

    m_encrypt = new QCheckBox(tr("Encrypt end to end with a password"), this);
    m_password = new QLineEdit(this);
    m_password->setEchoMode(QLineEdit::Password);
    m_confirm = new QLineEdit(this);
    m_confirm->setEchoMode(QLineEdit::Password);
    form->addRow(m_encrypt);
    form->addRow(tr("Password:"), m_password);
    form->addRow(tr("Repeat:"), m_confirm);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    form->addRow(m_hint);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Create vault"));
    form->addRow(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, [this](const QString& name) {
        if (!m_folderEdited) // follow the name until the user picks a folder
            m_folder->setText(QDir(m_parentDir).filePath(name.trimmed()));
        if (!m_remoteEdited && m_sync->currentData().toInt() == Dropbox)
            m_remote->setText(QStringLiteral("/Apps/Muze/") + name.trimmed());
        validate();
    });
    connect(m_folder, &QLineEdit::textEdited, this, [this] {
        m_folderEdited = true;
        validate();
    });
    connect(m_remote, &QLineEdit::textEdited, this, [this] {
        m_remoteEdited = true;
        m_dropboxConfirmed = false;
        validate();
    });
    connect(choose, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder for the vault"), m_parentDir);
        if (!dir.isEmpty()) {
            m_folderEdited = true;
            m_folder->setText(dir);
            validate();
        }
    });
    connect(m_remoteChoose, &QPushButton::clicked, this, [this] {
        if (m_sync->currentData().toInt() == Dropbox) {
            connectDropbox();
            return;
        }
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Folder to sync with"));
        if (!dir.isEmpty()) {
            m_remoteEdited = true;
            m_remote->setText(dir);
            validate();
        }
    });
    connect(m_sync, &QComboBox::currentIndexChanged, this, &AddVaultDialog::syncChoiceChanged);
    connect(m_encrypt, &QCheckBox::toggled, this, &AddVaultDialog::validate);
    connect(m_password, &QLineEdit::textChanged, this, &AddVaultDialog::validate);
    connect(m_confirm, &QLineEdit::textChanged, this, &AddVaultDialog::validate);
    syncChoiceChanged();
    resize(520, sizeHint().height());
}

void AddVaultDialog::syncChoiceChanged()
{
    const int choice = m_sync->currentData().toInt();
    m_remoteEdited = false;
    m_remote->clear();
    // The whole row, so the form lays its label column out again (hiding the label alone left
    // it one character wide once shown).
    m_form->setRowVisible(m_remoteRow, choice != LocalOnly);
    m_dropboxConfirmed = false;
    m_remoteChoose->setVisible(choice == Folder || choice == Dropbox);
    m_remoteChoose->setText(choice == Dropbox ? tr("Connect…") : tr("Choose…"));
    if (choice == Folder)
        m_remoteLabel->setText(tr("Sync folder:"));
    else if (choice == Dropbox) {
        m_remoteLabel->setText(tr("Dropbox folder:"));
        m_remote->setText(QStringLiteral("/Apps/Muze/") + m_name->text().trimmed());
    } else if (choice == ICloud) {
        m_remoteLabel->setText(tr("iCloud container:"));
        m_remote->setText(vault::kDefaultICloudContainer);
    }
    validate();
}

void AddVaultDialog::validate()
{
    const int choice = m_sync->currentData().toInt();
    QString problem;
    if (m_name->text().trimmed().isEmpty())
        problem = tr("Give the vault a name.");
    else if (m_folder->text().trimmed().isEmpty())
        problem = tr("Choose a folder on this device.");
    else if (choice == Folder && m_remote->text().trimmed().isEmpty())
        problem = tr("Choose the folder to sync with.");
    else if (choice == Dropbox && !m_remote->text().startsWith(QLatin1Char('/')))
        problem = tr("The Dropbox folder starts with /, e.g. /Apps/Muze/Band.");
    else if (m_encrypt->isChecked() && m_password->text().size() < kMinPassword)
        problem = tr("The password needs at least %1 characters.").arg(kMinPassword);
    else if (m_encrypt->isChecked() && m_password->text() != m_confirm->text())
        problem = tr("The two passwords differ.");
    m_password->setEnabled(m_encrypt->isChecked());
    m_confirm->setEnabled(m_encrypt->isChecked());
    m_ok->setEnabled(problem.isEmpty());
    if (!problem.isEmpty())
        m_hint->setText(problem);
    else if (choice == Dropbox)
        m_hint->setText(m_dropboxConfirmed
                            ? tr("Dropbox is connected; the vault syncs with this folder.")
                            : tr("Create vault first asks you to sign in to Dropbox in your browser (once per device) "
                                 "and to confirm the folder."));
    else if (choice == ICloud)
        m_hint->setText(tr("iCloud Drive syncs on Apple devices; elsewhere the vault stays offline."));
    else if (m_encrypt->isChecked())
        m_hint->setText(tr("Without the password nobody can read what leaves this device — not even you. Keep it safe."));
    else
        m_hint->setText(tr("The vault keeps its collections, projects and takes in this folder."));
}

bool AddVaultDialog::connectDropbox()
{
    const std::optional<QString> folder = DropboxConnectDialog::connectAndPickFolder(this, m_remote->text().trimmed());
    if (!folder)
        return false;
    m_remote->setText(*folder);
    m_remoteEdited = true;
    m_dropboxConfirmed = true;
    validate();
    return true;
}

void AddVaultDialog::accept()
{
    // A Dropbox vault nobody can sign in to would only ever say "auth": sign in (and make the
    // folder) now, while the user is here.
    if (m_sync->currentData().toInt() == Dropbox && !m_dropboxConfirmed && !connectDropbox())
        return;
    QDialog::accept();
}

vault::VaultSpec AddVaultDialog::spec() const
{
    vault::VaultSpec s;
    s.name = m_name->text().trimmed();
    s.path = m_folder->text().trimmed();
    switch (m_sync->currentData().toInt()) {
    case Folder:
        s.provider = vault::Provider::Local;
        s.remotePath = m_remote->text().trimmed();
        break;
    case Dropbox:
        s.provider = vault::Provider::Dropbox;
        s.dropboxFolderPath = m_remote->text().trimmed();
        break;
    case ICloud:
        s.provider = vault::Provider::ICloud;
        s.icloudContainerId = m_remote->text().trimmed();
        break;
    default:
        s.provider = vault::Provider::Local;
    }
    return s;
}

QByteArray AddVaultDialog::password() const
{
    return m_encrypt->isChecked() ? m_password->text().toUtf8() : QByteArray();
}

} // namespace muze::gui
