#include "dropboxaccountpanel.h"

#include "dropboxconnectdialog.h"

#include <muze/auth/signout.h>
#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/remote/dropboxclient.h>

#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QThreadPool>
#include <QVBoxLayout>

namespace muze::gui {

DropboxAccountPanel::DropboxAccountPanel(QWidget* parent)
    : QWidget(parent)
    , m_appKey(auth::dropboxAppKey())
{
    setObjectName(QStringLiteral("dropboxAccountPanel"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_name = new QLabel(this);
    m_email = new QLabel(this);
    m_space = new QLabel(this);
    for (QLabel* l : {m_name, m_email, m_space})
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Signed in as:"), m_name);
    form->addRow(tr("Email:"), m_email);
    form->addRow(tr("Space:"), m_space);
    layout->addLayout(form);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto* buttons = new QHBoxLayout;
    m_disconnect = new QPushButton(tr("Disconnect"), this);
    m_disconnect->setToolTip(tr("Sign this device out of Dropbox: every Dropbox vault here stops syncing."));
    m_switch = new QPushButton(tr("Switch account…"), this);
    m_signIn = new QPushButton(tr("Sign in…"), this);
    buttons->addWidget(m_disconnect);
    buttons->addWidget(m_switch);
    buttons->addWidget(m_signIn);
    buttons->addStretch();
    layout->addLayout(buttons);
    layout->addStretch();
    connect(m_disconnect, &QPushButton::clicked, this, &DropboxAccountPanel::disconnectAccount);
    connect(m_switch, &QPushButton::clicked, this, &DropboxAccountPanel::signIn);
    connect(m_signIn, &QPushButton::clicked, this, &DropboxAccountPanel::signIn);
    refresh();
}

void DropboxAccountPanel::refresh()
{
    if (m_appKey.isEmpty()) {
        showAccount(false, {}, {}, 0, 0, tr("This copy of Muze has no Dropbox app key."));
        m_signIn->setEnabled(false);
        return;
    }
    ++m_pending;
    m_status->setText(tr("Asking Dropbox…"));
    QPointer<DropboxAccountPanel> self(this);
    QThreadPool::globalInstance()->start([self, appKey = m_appKey] {
        bool signedIn = false;
        QString name, email, error;
        qint64 used = 0, allocated = 0;
        auto stored = auth::KeychainTokenStore(appKey).load();
        if (!stored) {
            error = stored.errorString();
        } else if (stored->has_value()) {
            signedIn = true;
            const auth::DropboxEndpoints endpoints = auth::DropboxEndpoints::fromEnvironment();
            remote::DropboxClient client(endpoints, auth::keychainTokenManager(appKey, endpoints));
            auto account = client.rpc(QStringLiteral("users/get_current_account"));
            auto space = account ? client.rpc(QStringLiteral("users/get_space_usage")) : Result<Json>(account.error());
            if (account && space) {
                name = jsonString(account->value("name", Json::object()), "display_name");
                email = jsonString(*account, "email");
                used = jsonInteger(*space, "used", 0, 0, qint64(1) << 62);
                allocated = jsonInteger(space->value("allocation", Json::object()), "allocated", 0, 0, qint64(1) << 62);
            } else {
                error = account ? space.errorString() : account.errorString();
                signedIn = !(account ? space.error() : account.error()).is(errc::auth);
            }
        }
        QMetaObject::invokeMethod(
            qApp,
            [=] {
                if (!self)
                    return;
                --self->m_pending;
                self->showAccount(signedIn, name, email, used, allocated, error);
            },
            Qt::QueuedConnection);
    });
}

void DropboxAccountPanel::showAccount(
    bool signedIn, const QString& name, const QString& email, qint64 used, qint64 allocated, const QString& error)
{
    const QLocale locale;
    m_name->setText(signedIn ? (name.isEmpty() ? tr("(unknown)") : name) : tr("Not signed in"));
    m_email->setText(email);
    if (signedIn && error.isEmpty())
        m_space->setText(allocated > 0 ? tr("%1 used of %2 (%3 %)")
                                             .arg(locale.formattedDataSize(used), locale.formattedDataSize(allocated),
                                                 locale.toString(100.0 * double(used) / double(allocated), 'f', 1))
                                       : tr("%1 used").arg(locale.formattedDataSize(used)));
    else
        m_space->clear();
    if (!error.isEmpty())
        m_status->setText(signedIn ? tr("Could not ask Dropbox: %1").arg(error)
                                   : tr("Dropbox no longer accepts this device's sign-in: %1").arg(error));
    else
        m_status->setText(
            signedIn ? QString() : tr("This device is not signed in to Dropbox, so its Dropbox vaults do not sync."));
    m_disconnect->setVisible(signedIn);
    m_switch->setVisible(signedIn);
    m_signIn->setVisible(!signedIn);
}

void DropboxAccountPanel::disconnectAccount()
{
    const auto answer = QMessageBox::question(this, tr("Disconnect Dropbox"),
        tr("Sign this device out of Dropbox? Every Dropbox vault on this device stops syncing until you sign in "
           "again. Nothing is deleted, here or in your Dropbox."));
    if (answer != QMessageBox::Yes)
        return;
    ++m_pending;
    m_disconnect->setEnabled(false);
    m_status->setText(tr("Signing out…"));
    QPointer<DropboxAccountPanel> self(this);
    QThreadPool::globalInstance()->start([self, appKey = m_appKey] {
        auto out = auth::signOut(appKey, auth::DropboxEndpoints::fromEnvironment());
        QMetaObject::invokeMethod(
            qApp,
            [self, out] {
                if (!self)
                    return;
                --self->m_pending;
                self->m_disconnect->setEnabled(true);
                if (!out) {
                    self->m_status->setText(out.errorString());
                    return;
                }
                self->showAccount(false, {}, {}, 0, 0, {});
                if (!out->revokeProblem.isEmpty())
                    self->m_status->setText(
                        tr("Signed out on this device; Dropbox could not be told (%1).").arg(out->revokeProblem));
                Q_EMIT self->signInChanged();
            },
            Qt::QueuedConnection);
    });
}

void DropboxAccountPanel::signIn()
{
    // Dropbox asks which account (force_reauthentication), also after a Disconnect.
    if (!DropboxConnectDialog::signInAgain(window(), DropboxConnectDialog::Mode::SwitchAccount))
        return;
    refresh();
    Q_EMIT signInChanged();
}

} // namespace muze::gui
