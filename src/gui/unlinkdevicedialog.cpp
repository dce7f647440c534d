#include "unlinkdevicedialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace muze::gui {

namespace {
constexpr int kMinPasswordLength = 8; // as the Security tab asks
}

UnlinkDeviceDialog::UnlinkDeviceDialog(const QString& deviceName, const QString& vaultName, QWidget* parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("unlinkDeviceDialog"));
    setWindowTitle(tr("Unlink %1").arg(deviceName));
    auto* layout = new QVBoxLayout(this);
    m_explain
        = new QLabel(tr("<p>Unlinking <b>%1</b> from “%2” changes the vault's password and makes a new encryption key. "
                        "From then on, %1 cannot open anything written to the vault, and Muze moves the older files to "
                        "the new key as it syncs.</p>"
                        "<p><b>%1 keeps only what it already has:</b> the takes and projects already on its disk stay "
                        "readable there. Unlinking cannot reach into that device and delete them.</p>"
                        "<p>Your other devices need the new password once to keep syncing.</p>")
                         .arg(deviceName.toHtmlEscaped(), vaultName.toHtmlEscaped()),
            this);
    m_explain->setWordWrap(true);
    m_explain->setTextFormat(Qt::RichText);
    layout->addWidget(m_explain);

    auto* form = new QFormLayout;
    auto password = [this] {
        auto* e = new QLineEdit(this);
        e->setEchoMode(QLineEdit::Password);
        connect(e, &QLineEdit::textChanged, this, &UnlinkDeviceDialog::validate);
        return e;
    };
    m_current = password();
    m_new = password();
    m_confirm = password();
    form->addRow(tr("Current password:"), m_current);
    form->addRow(tr("New password:"), m_new);
    form->addRow(tr("New password again:"), m_confirm);
    layout->addLayout(form);
    m_problem = new QLabel(this);
    m_problem->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(m_problem);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_unlink = buttons->addButton(tr("Unlink %1").arg(deviceName), QDialogButtonBox::DestructiveRole);
    m_unlink->setObjectName(QStringLiteral("unlinkConfirm"));
    connect(m_unlink, &QPushButton::clicked, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(480, sizeHint().height());
    validate();
}

QString UnlinkDeviceDialog::problem() const
{
    if (m_current->text().isEmpty())
        return tr("Enter the vault's current password.");
    if (m_new->text().size() < kMinPasswordLength)
        return tr("Choose a new password of at least %n character(s).", "", kMinPasswordLength);
    if (m_new->text() == m_current->text())
        return tr("The new password must differ from the current one: the unlinked device knows that one.");
    if (m_confirm->text() != m_new->text())
        return tr("The new passwords differ.");
    return {};
}

void UnlinkDeviceDialog::validate()
{
    const QString p = problem();
    m_problem->setText(p);
    m_unlink->setEnabled(p.isEmpty());
}

} // namespace muze::gui
