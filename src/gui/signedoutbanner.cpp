#include "signedoutbanner.h"

#include "dropboxconnectdialog.h"
#include "syncpresenter.h"

#include <muze/vault/vaultmanager.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QStatusBar>
#include <QVBoxLayout>

namespace muze::gui {

SignedOutBanner::SignedOutBanner(vault::VaultManager& vaults, SyncPresenter* sync, QWidget* parent)
    : QFrame(parent)
    , m_vaults(vaults)
    , m_sync(sync)
{
    setObjectName(QStringLiteral("signedOutBanner"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(
        QStringLiteral("#signedOutBanner { background: #fff4ce; border: 1px solid #e0b400; border-radius: 4px; }"
                       "#signedOutBanner QLabel { color: #3b3000; }"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(12, 8, 12, 8);
    auto* texts = new QVBoxLayout;
    m_title = new QLabel(tr("Signed out of Dropbox"), this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    texts->addWidget(m_title);
    texts->addWidget(m_text);
    row->addLayout(texts, 1);
    m_signIn = new QPushButton(tr("Sign in again"), this);
    m_signIn->setObjectName(QStringLiteral("signInAgain"));
    row->addWidget(m_signIn, 0, Qt::AlignVCenter);
    connect(m_signIn, &QPushButton::clicked, this, &SignedOutBanner::signInAgain);
    connect(m_sync, &SyncPresenter::signedOutChanged, this, &SignedOutBanner::refresh);
    connect(&m_vaults, &vault::VaultManager::currentVaultChanged, this, &SignedOutBanner::refresh);
    hide();
}

void SignedOutBanner::refresh()
{
    const auto current = m_vaults.current();
    if (!current || !m_sync->isSignedOut(current->id)) {
        hide();
        return;
    }
    m_text->setText(tr("Dropbox no longer accepts this device's sign-in (it was revoked or has expired), so "
                       "\"%1\" is not syncing. Your work stays on this device; changes sync once you sign in again.")
                        .arg(current->name));
    show();
}

void SignedOutBanner::signInAgain()
{
    if (!DropboxConnectDialog::signInAgain(window(), DropboxConnectDialog::Mode::SignInAgain))
        return;
    if (auto* main = qobject_cast<QMainWindow*>(window())) // the refusal shown there is over
        main->statusBar()->clearMessage();
    m_sync->dropboxSignInChanged(); // every Dropbox vault uses the one sign-in
}

} // namespace muze::gui
