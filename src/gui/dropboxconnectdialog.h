#pragma once
// "Connect Dropbox": signs this device in to Dropbox when it is not yet (OAuth2 with PKCE in
// the system browser — on desktops that is the "in-app browser"; Muze never sees the password),
// then lets the user pick or create the vault's folder in their Dropbox.
//
//   if (auto folder = DropboxConnectDialog::connectAndPickFolder(this, "/Apps/Muze/Band"))
//       spec.dropboxFolderPath = *folder;
//   if (DropboxConnectDialog::signInAgain(this)) ...   // signed out for good: new tokens, no folder page
//
// The code comes back to the loopback listener (desktops), to com.krondor.muze://oauth (Apple
// builds, or the setting dropbox/redirect=scheme; the app routes that URL to deliverRedirect()),
// or the user pastes it into the dialog (the port was taken, or "Use a code instead").
//
// Network work runs on the dialog's own thread; the GUI thread never blocks on it.

#include <QDialog>

#include <functional>
#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;
class QThread;
class QTreeWidget;
class QTreeWidgetItem;

namespace muze::auth {
class OAuthPkce;
}

namespace muze::gui {

class DropboxFolderBrowser;

class DropboxConnectDialog : public QDialog {
    Q_OBJECT
public:
    enum class Mode {
        PickFolder,    // sign in if needed, then choose the vault's folder
        SignInAgain,   // always sign in (old tokens were refused); done once signed in
        SwitchAccount, // like SignInAgain, and Dropbox asks which account
    };

    /// Runs the dialog; the chosen folder ("/Apps/Muze/Band"), or nullopt when cancelled.
    static std::optional<QString> connectAndPickFolder(QWidget* parent, const QString& suggestedFolder = {});
    /// Runs the dialog in SignInAgain (or SwitchAccount) mode; true once new tokens are stored.
    static bool signInAgain(QWidget* parent, Mode mode = Mode::SignInAgain);

    explicit DropboxConnectDialog(const QString& suggestedFolder, QWidget* parent = nullptr,
                                  Mode mode = Mode::PickFolder);
    ~DropboxConnectDialog() override;

    QString selectedFolder() const;
    bool isConnected() const { return m_connected; }

    /// How the sign-in page is opened (default QDesktopServices::openUrl). Tests replace it.
    static void setUrlOpener(std::function<bool(const QUrl&)> opener);
    /// The loopback port (default auth::kDefaultRedirectPort). Tests use their own.
    static void setRedirectPort(quint16 port);
    /// Hands a com.krondor.muze://oauth?... URL the OS opened to the sign-in waiting for it.
    /// False when no open dialog is waiting for one.
    static bool deliverRedirect(const QUrl& url);
    /// The field for a pasted access code (visible when the sign-in needs one).
    QLineEdit* codeEdit() const { return m_code; }
    QPushButton* connectButton() const { return m_connectButton; }
    QPushButton* finishButton() const { return m_finish; }
    QPushButton* useCodeButton() const { return m_useCode; }

    void accept() override;

Q_SIGNALS:
    /// The device is signed in and the folder list is showing.
    void connected();

private:
    void startSignIn(bool paste = false);
    void signInFinished();
    void submitCode();
    void showFolders();
    void onListed(const QString& path, const QStringList& folders, const QString& error);
    void onCreated(const QString& path, const QString& error);
    void newFolder();
    QTreeWidgetItem* itemFor(const QString& path) const;

    QString m_appKey;
    Mode m_mode = Mode::PickFolder;
    bool m_connected = false;
    bool m_accepting = false;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_connectText = nullptr;
    QPushButton* m_connectButton = nullptr;
    QWidget* m_codeRow = nullptr;
    QLineEdit* m_code = nullptr;
    QPushButton* m_finish = nullptr;
    QPushButton* m_useCode = nullptr;
    QTreeWidget* m_tree = nullptr;
    QLineEdit* m_path = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_ok = nullptr;
    std::unique_ptr<auth::OAuthPkce> m_flow;
    QThread* m_thread = nullptr;
    DropboxFolderBrowser* m_browser = nullptr;
};

} // namespace muze::gui
