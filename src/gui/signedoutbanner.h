#pragma once
// The "Signed out of Dropbox" strip above the current vault: shown while Dropbox refuses this
// device's sign-in (revoked at dropbox.com, or expired for good), with **Sign in again**, which
// opens the Connect dialog in sign-in-again mode and restarts the Dropbox vaults' sync.
// GUI thread only.

#include <QFrame>

class QLabel;
class QPushButton;

namespace muze::vault {
class VaultManager;
}

namespace muze::gui {

class SyncPresenter;

class SignedOutBanner : public QFrame {
    Q_OBJECT
public:
    SignedOutBanner(vault::VaultManager& vaults, SyncPresenter* sync, QWidget* parent = nullptr);

    QLabel* textLabel() const { return m_text; }
    QPushButton* signInButton() const { return m_signIn; }

private:
    void refresh();
    void signInAgain();

    vault::VaultManager& m_vaults;
    SyncPresenter* m_sync;
    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QPushButton* m_signIn = nullptr;
};

} // namespace muze::gui
