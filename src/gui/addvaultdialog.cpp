#include "addvaultdialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace muze::gui {

AddVaultDialog::AddVaultDialog(const QString& defaultParentDir, QWidget* parent)
    : QDialog(parent), m_parentDir(defaultParentDir)
{
    setWindowTitle(tr("Add vault"));
    setObjectName(QStringLiteral("addVaultDialog"));
    auto* form = new QFormLayout(this);
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("vaultName"));
    m_name->setPlaceholderText(tr("e.g. Local Backup"));
    form->addRow(tr("Name:"), m_name);

    auto* row = new QHBoxLayout;
    m_folder = new QLineEdit(this);
    m_folder->setObjectName(QStringLiteral("vaultFolder"));
    auto* choose = new QPushButton(tr("Choose…"), this);
    row->addWidget(m_folder, 1);
    row->addWidget(choose);
    form->addRow(tr("Folder:"), row);

    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setStyleSheet(QStringLiteral("color: palette(mid);"));
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
        validate();
    });
    connect(m_folder, &QLineEdit::textEdited, this, [this] {
        m_folderEdited = true;
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
    validate();
    resize(480, sizeHint().height());
}

void AddVaultDialog::validate()
{
    const bool ok = !m_name->text().trimmed().isEmpty() && !m_folder->text().trimmed().isEmpty();
    m_ok->setEnabled(ok);
    m_hint->setText(tr("A local vault keeps its collections, projects and takes in this folder."));
}

vault::VaultSpec AddVaultDialog::spec() const
{
    vault::VaultSpec s;
    s.name = m_name->text().trimmed();
    s.provider = vault::Provider::Local;
    s.path = m_folder->text().trimmed();
    return s;
}

} // namespace muze::gui
