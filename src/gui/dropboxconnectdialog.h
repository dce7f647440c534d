#pragma once
// "Connect Dropbox": signs this device in to Dropbox when it is not yet (OAuth2 with PKCE in
// the system browser — on desktops that is the "in-app browser"; Muze never sees the password),
// then lets the user pick or create the vault's folder in their Dropbox.
//
//   if (auto folder = DropboxConnectDialog::connectAndPickFolder(this, "/Apps/Muze/Band"))
//       spec.dropboxFolderPath = *folder;
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
    /// Runs the dialog; the chosen folder ("/Apps/Muze/Band"), or nullopt when cancelled.
    static std::optional<QString> connectAndPickFolder(QWidget* parent, const QString& suggestedFolder = {});

    explicit DropboxConnectDialog(const QString& suggestedFolder, QWidget* parent = nullptr);
    ~DropboxConnectDialog() override;

    QString selectedFolder() const;
    bool isConnected() const { return m_connected; }

    /// How the sign-in page is opened (default QDesktopServices::openUrl). Tests replace it.
    static void setUrlOpener(std::function<bool(const QUrl&)> opener);

    void accept() override;

Q_SIGNALS:
    /// The device is signed in and the folder list is showing.
    void connected();

private:
    void startSignIn();
    void signInFinished();
    void showFolders();
    void onListed(const QString& path, const QStringList& folders, const QString& error);
    void onCreated(const QString& path, const QString& error);
    void newFolder();
    QTreeWidgetItem* itemFor(const QString& path) const;

    QString m_appKey;
    bool m_connected = false;
    bool m_accepting = false;
    QStackedWidget* m_pages = nullptr;
    QLabel* m_connectText = nullptr;
    QPushButton* m_connectButton = nullptr;
    QTreeWidget* m_tree = nullptr;
    QLineEdit* m_path = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_ok = nullptr;
    std::unique_ptr<auth::OAuthPkce> m_flow;
    QThread* m_thread = nullptr;
    DropboxFolderBrowser* m_browser = nullptr;
};

} // namespace muze::gui
