#include "dropboxconnectdialog.h"

#include "dropboxfolderbrowser.h"

#include <muze/auth/oauthpkce.h>
#include <muze/auth/tokenmanager.h>
#include <muze/auth/tokenstore.h>
#include <muze/auth/websignin.h>
#include <muze/util/logging.h>

#include <QDesktopServices>
#include <QPointer>
#include <QSettings>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QStackedWidget>
#include <QThread>
#include <QThreadPool>
#include <QUrlQuery>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace muze::gui {
namespace {

constexpr int PathRole = Qt::UserRole + 1;
constexpr int LoadedRole = Qt::UserRole + 2;

std::function<bool(const QUrl&)>& urlOpener()
{
    static std::function<bool(const QUrl&)> opener = [](const QUrl& url) {
        // Where the platform has a sign-in sheet (Apple: ASWebAuthenticationSession), an
        // app-scheme sign-in runs in it and the sheet hands the redirect straight back.
        auth::WebSignIn& sheet = auth::platformWebSignIn();
        const bool appScheme = QUrlQuery(url).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded)
                                   .startsWith(auth::kAppScheme + QLatin1Char(':'));
        if (sheet.available() && appScheme
            && sheet.start(url, auth::kAppScheme, [](const QUrl& callback, const QString& error) {
                   if (!callback.isEmpty())
                       DropboxConnectDialog::deliverRedirect(callback);
                   else if (!error.isEmpty())
                       qCWarning(lcAuth) << "Dropbox sign-in sheet:" << error;
               }))
            return true;
        return QDesktopServices::openUrl(url);
    };
    return opener;
}

quint16 g_redirectPort = auth::kDefaultRedirectPort;
QPointer<DropboxConnectDialog> g_waiting; // the dialog whose sign-in waits for the app scheme

// iOS suspends the app while Safari is in front, so only the app's URL scheme can bring the code
// back: where the platform has a sign-in sheet (Apple, auth/websignin.h) it is used; elsewhere
// the loopback listener does, unless the setting dropbox/redirect says "scheme".
auth::OAuthPkce::Redirect preferredRedirect()
{
    if (auth::platformWebSignIn().available())
        return auth::OAuthPkce::Redirect::AppScheme;
    const QString choice = QSettings().value(QStringLiteral("dropbox/redirect")).toString();
    return choice == QLatin1String("scheme") ? auth::OAuthPkce::Redirect::AppScheme : auth::OAuthPkce::Redirect::Loopback;
}

} // namespace

void DropboxConnectDialog::setUrlOpener(std::function<bool(const QUrl&)> opener) { urlOpener() = std::move(opener); }
void DropboxConnectDialog::setRedirectPort(quint16 port) { g_redirectPort = port; }

bool DropboxConnectDialog::deliverRedirect(const QUrl& url)
{
    return g_waiting && g_waiting->m_flow && g_waiting->m_flow->handleRedirect(url);
}

bool DropboxConnectDialog::signInAgain(QWidget* parent, Mode mode)
{
    DropboxConnectDialog dialog(QString(), parent, mode);
    return dialog.exec() == QDialog::Accepted;
}

std::optional<QString> DropboxConnectDialog::connectAndPickFolder(QWidget* parent, const QString& suggestedFolder)
{
    DropboxConnectDialog dialog(suggestedFolder, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.selectedFolder();
}

DropboxConnectDialog::DropboxConnectDialog(const QString& suggestedFolder, QWidget* parent, Mode mode)
    : QDialog(parent), m_appKey(auth::dropboxAppKey()), m_mode(mode)
{
    setWindowTitle(mode == Mode::PickFolder ? tr("Connect Dropbox")
                   : mode == Mode::SignInAgain ? tr("Sign in to Dropbox again")
                                               : tr("Switch Dropbox account"));
    setMinimumSize(520, 420);
    auto* layout = new QVBoxLayout(this);
    m_pages = new QStackedWidget(this);
    layout->addWidget(m_pages);

    // Page 0: sign in.
    auto* signIn = new QWidget(m_pages);
    auto* signInLayout = new QVBoxLayout(signIn);
    m_connectText = new QLabel(signIn);
    m_connectText->setWordWrap(true);
    m_connectText->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_connectText->setOpenExternalLinks(false);
    connect(m_connectText, &QLabel::linkActivated, this, [](const QString& link) { urlOpener()(QUrl(link)); });
    m_connectButton = new QPushButton(tr("Connect to Dropbox…"), signIn);
    signInLayout->addStretch();
    signInLayout->addWidget(m_connectText);
    signInLayout->addWidget(m_connectButton, 0, Qt::AlignHCenter);
    // Without a redirect (the port was taken, or the user chose it) Dropbox shows a code.
    m_codeRow = new QWidget(signIn);
    auto* codeLayout = new QHBoxLayout(m_codeRow);
    codeLayout->setContentsMargins(0, 0, 0, 0);
    codeLayout->addWidget(new QLabel(tr("Access code:"), m_codeRow));
    m_code = new QLineEdit(m_codeRow);
    m_code->setPlaceholderText(tr("Paste the code Dropbox shows"));
    codeLayout->addWidget(m_code, 1);
    m_finish = new QPushButton(tr("Finish Sign-in"), m_codeRow);
    codeLayout->addWidget(m_finish);
    m_codeRow->hide();
    signInLayout->addWidget(m_codeRow);
    m_useCode = new QPushButton(tr("Use a code instead"), signIn);
    m_useCode->setFlat(true);
    m_useCode->setToolTip(tr("When the browser cannot come back to Muze (another computer, a blocked port), "
                             "Dropbox shows a code to paste here."));
    m_useCode->hide();
    signInLayout->addWidget(m_useCode, 0, Qt::AlignHCenter);
    signInLayout->addStretch();
    connect(m_finish, &QPushButton::clicked, this, &DropboxConnectDialog::submitCode);
    connect(m_code, &QLineEdit::returnPressed, this, &DropboxConnectDialog::submitCode);
    connect(m_useCode, &QPushButton::clicked, this, [this] { startSignIn(true); });
    m_pages->addWidget(signIn);
    connect(m_connectButton, &QPushButton::clicked, this, [this] { startSignIn(false); });

    // Page 1: pick a folder.
    auto* folders = new QWidget(m_pages);
    auto* folderLayout = new QVBoxLayout(folders);
    folderLayout->addWidget(new QLabel(tr("Choose the folder in your Dropbox that holds this vault:"), folders));
    m_tree = new QTreeWidget(folders);
    m_tree->setHeaderHidden(true);
    m_tree->setColumnCount(1);
    folderLayout->addWidget(m_tree);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(new QLabel(tr("Folder:"), folders));
    m_path = new QLineEdit(suggestedFolder.isEmpty() ? QStringLiteral("/Apps/Muze") : suggestedFolder, folders);
    pathRow->addWidget(m_path, 1);
    auto* newFolderButton = new QPushButton(tr("New Folder…"), folders);
    pathRow->addWidget(newFolderButton);
    folderLayout->addLayout(pathRow);
    m_pages->addWidget(folders);
    connect(newFolderButton, &QPushButton::clicked, this, &DropboxConnectDialog::newFolder);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
        if (item && !item->data(0, PathRole).toString().isEmpty())
            m_path->setText(item->data(0, PathRole).toString());
    });
    connect(m_tree, &QTreeWidget::itemExpanded, this, [this](QTreeWidgetItem* item) {
        if (!item->data(0, LoadedRole).toBool())
            QMetaObject::invokeMethod(m_browser, "list", Qt::QueuedConnection,
                                      Q_ARG(QString, item->data(0, PathRole).toString()));
    });

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    m_ok->setText(tr("Use This Folder"));
    m_ok->setEnabled(false);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &DropboxConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &DropboxConnectDialog::reject);

    if (m_appKey.isEmpty()) {
        m_connectText->setText(tr("This copy of Muze has no Dropbox app key (setting dropbox/app_key or "
                                  "MUZE_DROPBOX_APP_KEY), so it cannot connect to Dropbox."));
        m_connectButton->setEnabled(false);
        return;
    }

    // The folder browser works on its own thread for as long as the dialog lives.
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("muze-dropbox-browser"));
    m_browser = new DropboxFolderBrowser(m_appKey);
    m_browser->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_browser, &QObject::deleteLater);
    connect(m_browser, &DropboxFolderBrowser::listed, this, &DropboxConnectDialog::onListed);
    connect(m_browser, &DropboxFolderBrowser::created, this, &DropboxConnectDialog::onCreated);
    m_thread->start();

    if (m_mode != Mode::PickFolder) {
        // Old tokens may still be stored (refused by Dropbox, or another account): sign in anyway.
        m_ok->hide();
        m_connectText->setText(m_mode == Mode::SignInAgain
                                   ? tr("Dropbox no longer accepts this device's sign-in (it was revoked or has "
                                        "expired). Sign in again to resume syncing: your browser opens Dropbox's "
                                        "sign-in page, and Muze never sees your password.")
                                   : tr("Sign in with the Dropbox account Muze should use from now on. Your vaults "
                                        "on this device sync with that account's folders."));
        m_connectButton->setText(tr("Sign In to Dropbox…"));
        return;
    }
    auto stored = auth::KeychainTokenStore(m_appKey).load();
    if (stored && stored->has_value()) {
        showFolders();
    } else {
        m_connectText->setText(tr("Muze keeps this vault in a folder of your Dropbox. Connect your Dropbox account: "
                                  "your browser opens Dropbox's sign-in page, and Muze never sees your password."));
        if (!stored)
            m_status->setText(stored.errorString());
    }
}

DropboxConnectDialog::~DropboxConnectDialog()
{
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
    }
}

void DropboxConnectDialog::startSignIn(bool paste)
{
    auth::OAuthPkce::Options options{auth::DropboxEndpoints::fromEnvironment(), m_appKey, g_redirectPort};
    options.redirect = paste ? auth::OAuthPkce::Redirect::Paste : preferredRedirect();
    options.forceReauthentication = m_mode == Mode::SwitchAccount;
    m_flow = std::make_unique<auth::OAuthPkce>(options);
    if (Status s = m_flow->start(); !s) {
        m_status->setText(s.errorString());
        return;
    }
    connect(m_flow.get(), &auth::OAuthPkce::finished, this, &DropboxConnectDialog::signInFinished);
    g_waiting = this;
    const bool pasting = m_flow->mode() == auth::OAuthPkce::Redirect::Paste;
    const QUrl url = m_flow->authorizeUrl();
    const bool opened = urlOpener()(url);
    const QString again = QStringLiteral("<a href=\"%1\">%2</a>").arg(url.toString(QUrl::FullyEncoded).toHtmlEscaped(),
                                                                       tr("open the Dropbox page again"));
    QString text = opened ? tr("Approve Muze in the browser window that just opened. ")
                          : tr("Open this page in a browser and approve Muze: ");
    if (pasting)
        text = (opened ? tr("Approve Muze in the browser window that just opened; Dropbox then shows an access "
                            "code. Copy it into the field below. ")
                       : tr("Open this page in a browser and approve Muze, then copy the access code Dropbox "
                            "shows into the field below: "));
    m_connectText->setText(text + again);
    m_connectButton->setText(pasting ? tr("Start Over") : tr("Waiting for Dropbox…"));
    m_connectButton->setEnabled(pasting);
    m_codeRow->setVisible(pasting);
    m_useCode->setVisible(!pasting);
    m_code->clear();
    m_finish->setEnabled(true);
    if (pasting)
        m_code->setFocus();
    m_status->setText(m_flow->fallbackReason().isEmpty()
                          ? QString()
                          : tr("Muze could not wait for the browser on this computer (%1), so Dropbox will show "
                               "a code instead.")
                                .arg(m_flow->fallbackReason()));
}

void DropboxConnectDialog::submitCode()
{
    if (!m_flow || m_flow->mode() != auth::OAuthPkce::Redirect::Paste || m_flow->isFinished() || m_flow->isExchanging())
        return;
    if (m_code->text().trimmed().isEmpty()) {
        m_status->setText(tr("Paste the access code Dropbox showed after you approved Muze."));
        return;
    }
    m_finish->setEnabled(false);
    m_status->setText(tr("Finishing the sign-in…"));
    m_flow->submitCode(m_code->text());
}

void DropboxConnectDialog::signInFinished()
{
    auto tokens = m_flow->result();
    m_connectButton->setEnabled(true);
    m_connectButton->setText(m_mode == Mode::PickFolder ? tr("Connect to Dropbox…") : tr("Sign In to Dropbox…"));
    m_codeRow->hide();
    m_useCode->hide();
    if (!tokens) {
        m_status->setText(tokens.errorString());
        return;
    }
    auto previous = auth::KeychainTokenStore(m_appKey).load();
    if (Status s = auth::KeychainTokenStore(m_appKey).save(*tokens); !s) {
        m_status->setText(tr("Signed in, but the keychain refused the sign-in: %1").arg(s.errorString()));
        return;
    }
    if (m_mode == Mode::SwitchAccount && previous && previous->has_value()
        && (*previous)->refreshToken != tokens->refreshToken)
        revokeInBackground(**previous);
    if (m_mode != Mode::PickFolder) {
        m_connected = true;
        Q_EMIT connected();
        QDialog::accept();
        return;
    }
    showFolders();
}

void DropboxConnectDialog::revokeInBackground(const auth::Tokens& old)
{
    // The replaced sign-in should not stay valid at Dropbox: refresh it (its access token may
    // have expired) and revoke that, which ends its refresh token too. Best effort.
    QThreadPool::globalInstance()->start([old] {
        const auth::DropboxEndpoints endpoints = auth::DropboxEndpoints::fromEnvironment();
        auto fresh = old.refreshToken.isEmpty() ? Result<auth::Tokens>(old) : auth::httpRefresher(endpoints)(old);
        if (!fresh)
            return; // already refused: nothing left to revoke
        QNetworkAccessManager nam;
        if (Status s = auth::revokeToken(nam, endpoints, fresh->accessToken); !s)
            qCInfo(lcAuth) << "could not revoke the replaced Dropbox sign-in:" << s.errorString();
    });
}

void DropboxConnectDialog::showFolders()
{
    m_connected = true;
    m_pages->setCurrentIndex(1);
    m_tree->clear();
    auto* root = new QTreeWidgetItem(m_tree, {tr("Dropbox")});
    root->setData(0, PathRole, QString());
    m_ok->setEnabled(true);
    m_status->setText(tr("Loading your folders…"));
    QMetaObject::invokeMethod(m_browser, "list", Qt::QueuedConnection, Q_ARG(QString, QString()));
    Q_EMIT connected();
}

QTreeWidgetItem* DropboxConnectDialog::itemFor(const QString& path) const
{
    QList<QTreeWidgetItem*> stack = {m_tree->topLevelItem(0)};
    while (!stack.isEmpty()) {
        QTreeWidgetItem* item = stack.takeLast();
        if (!item)
            continue;
        if (item->data(0, PathRole).toString().compare(path, Qt::CaseInsensitive) == 0)
            return item;
        for (int i = 0; i < item->childCount(); ++i)
            stack << item->child(i);
    }
    return nullptr;
}

void DropboxConnectDialog::onListed(const QString& path, const QStringList& folders, const QString& error)
{
    m_status->setText(error);
    QTreeWidgetItem* parent = itemFor(path);
    if (!parent || !error.isEmpty())
        return;
    qDeleteAll(parent->takeChildren());
    parent->setData(0, LoadedRole, true);
    for (const QString& folder : folders) {
        auto* item = new QTreeWidgetItem(parent, {folder.section(QLatin1Char('/'), -1)});
        item->setData(0, PathRole, folder);
        item->setChildIndicatorPolicy(QTreeWidgetItem::ShowIndicator); // children load on expand
    }
    parent->setChildIndicatorPolicy(QTreeWidgetItem::DontShowIndicatorWhenChildless);
    parent->setExpanded(true);
}

void DropboxConnectDialog::newFolder()
{
    QTreeWidgetItem* current = m_tree->currentItem();
    const QString base = current ? current->data(0, PathRole).toString() : QString();
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("New Folder"), tr("Name of the new folder in %1:")
                                                   .arg(base.isEmpty() ? tr("your Dropbox") : base),
                                               QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || name.isEmpty() || name.contains(QLatin1Char('/')))
        return;
    QMetaObject::invokeMethod(m_browser, "createFolder", Qt::QueuedConnection, Q_ARG(QString, base + QLatin1Char('/') + name));
}

void DropboxConnectDialog::onCreated(const QString& path, const QString& error)
{
    if (!error.isEmpty()) {
        m_accepting = false;
        m_ok->setEnabled(true);
        m_status->setText(error);
        return;
    }
    if (m_accepting) { // the chosen folder exists now
        QDialog::accept();
        return;
    }
    m_path->setText(path);
    const QString parent = path.section(QLatin1Char('/'), 0, -2);
    QMetaObject::invokeMethod(m_browser, "list", Qt::QueuedConnection, Q_ARG(QString, parent));
}

QString DropboxConnectDialog::selectedFolder() const
{
    QString path = m_path->text().trimmed();
    while (path.size() > 1 && path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

void DropboxConnectDialog::accept()
{
    if (m_mode != Mode::PickFolder) { // done when signed in; there is no folder to choose
        if (m_connected)
            QDialog::accept();
        return;
    }
    const QString folder = selectedFolder();
    if (!m_connected || !folder.startsWith(QLatin1Char('/')) || folder.size() < 2 || folder.contains(QStringLiteral("//"))) {
        m_status->setText(tr("Choose a folder inside your Dropbox, e.g. /Apps/Muze/Band."));
        return;
    }
    // Make sure the folder exists before the vault points at it.
    m_accepting = true;
    m_ok->setEnabled(false);
    m_status->setText(tr("Preparing %1…").arg(folder));
    QMetaObject::invokeMethod(m_browser, "createFolder", Qt::QueuedConnection, Q_ARG(QString, folder));
}

} // namespace muze::gui
