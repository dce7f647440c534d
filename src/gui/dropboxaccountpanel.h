#pragma once
// The Account section of a Dropbox vault's settings: who this device is signed in as (name,
// email) and the space used of the allocation (users/get_current_account, get_space_usage),
// with **Disconnect** (revoke and forget the sign-in) and **Switch account** (sign in as
// another account). One sign-in serves every Dropbox vault on this device. Network and
// keychain work runs on the thread pool; the GUI thread never waits.

#include <QWidget>

class QLabel;
class QPushButton;

namespace muze::gui {

class DropboxAccountPanel : public QWidget {
    Q_OBJECT
public:
    explicit DropboxAccountPanel(QWidget* parent = nullptr);

    QLabel* nameLabel() const { return m_name; }
    QLabel* emailLabel() const { return m_email; }
    QLabel* spaceLabel() const { return m_space; }
    QLabel* statusLabel() const { return m_status; }
    QPushButton* disconnectButton() const { return m_disconnect; }
    QPushButton* switchButton() const { return m_switch; }
    QPushButton* signInButton() const { return m_signIn; }
    /// No request under way (the labels show the last answer).
    bool isIdle() const { return m_pending == 0; }

    /// Asks Dropbox again who is signed in.
    void refresh();

Q_SIGNALS:
    /// The sign-in changed (disconnected, switched, signed in): sync should restart.
    void signInChanged();

private:
    void showAccount(
        bool signedIn, const QString& name, const QString& email, qint64 used, qint64 allocated, const QString& error);
    void disconnectAccount();
    void signIn();

    QString m_appKey;
    int m_pending = 0;
    QLabel* m_name = nullptr;
    QLabel* m_email = nullptr;
    QLabel* m_space = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_disconnect = nullptr;
    QPushButton* m_switch = nullptr;
    QPushButton* m_signIn = nullptr;
};

} // namespace muze::gui
