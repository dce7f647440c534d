#pragma once
// The OAuth2 authorization-code flow with PKCE (S256) against Dropbox (no client secret: Muze
// is a public client). Three ways for the code to come back:
//   Loopback  (default) the browser is redirected to http://127.0.0.1:53134/muze/oauth/callback,
//             where this object listens. If that port is taken, start() falls back to Paste.
//   AppScheme the browser opens com.krondor.muze://oauth?code=…&state=…, which the OS hands to
//             the app (Apple builds; on Linux the .desktop file's x-scheme-handler); the app
//             passes that URL to handleRedirect().
//   Paste     no redirect: Dropbox shows the code and the user pastes it (submitCode()).
//
//   OAuthPkce flow({endpoints, appKey});
//   if (auto s = flow.start(); !s) ...        // listens (or falls back), builds the authorize URL
//   openBrowser(flow.authorizeUrl());
//   if (flow.mode() == OAuthPkce::Redirect::Paste) flow.submitCode(readLine());
//   Result<Tokens> t = flow.waitForTokens(5 * 60 * 1000);   // blocking (CLI)
// or connect to finished() and read result() (GUI; everything is asynchronous).
//
// Threading: lives in one thread with an event loop (or one that calls waitForTokens).

#include <muze/auth/dropboxconfig.h>
#include <muze/auth/tokens.h>

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QTcpServer;
class QTcpSocket;

namespace muze::auth {

class OAuthPkce : public QObject {
    Q_OBJECT
public:
    enum class Redirect { Loopback, AppScheme, Paste };

    struct Options {
        DropboxEndpoints endpoints;
        QString appKey;
        quint16 port = kDefaultRedirectPort; // Loopback only; 0 = any free port (tests)
        Redirect redirect = Redirect::Loopback;
        bool pasteWhenPortBusy = true; // Loopback whose port is taken: fall back to Paste
        bool forceReauthentication = false; // Dropbox asks for the account again ("Switch account")
    };

    explicit OAuthPkce(Options options, QObject* parent = nullptr);
    ~OAuthPkce() override;

    /// Prepares verifier and state; Loopback binds 127.0.0.1:port (or falls back to Paste,
    /// see fallbackReason()).
    Status start();
    QUrl authorizeUrl() const;
    /// The redirect URI sent to Dropbox; empty in Paste mode.
    QUrl redirectUri() const;
    quint16 port() const;
    Redirect mode() const { return m_mode; }
    /// Why a Loopback flow became a Paste flow ("" when it did not).
    QString fallbackReason() const { return m_fallbackReason; }

    /// Paste mode: exchanges the code the user copied from Dropbox's page (surrounding blanks
    /// are ignored). finished() follows.
    void submitCode(const QString& code);
    /// AppScheme mode: the URL the OS opened (com.krondor.muze://oauth?...). Returns false
    /// (and does nothing) when it is not an answer to this sign-in: another scheme or path,
    /// or a flow already finished. A wrong state ends the sign-in with error "auth".
    bool handleRedirect(const QUrl& url);

    /// Blocks (local event loop) until the code was exchanged, the timeout passed ("timeout")
    /// or cancel() was called ("cancelled").
    Result<Tokens> waitForTokens(int timeoutMs);
    void cancel();

    bool isFinished() const { return m_result.has_value(); }
    bool isExchanging() const { return m_codeReceived && !isFinished(); }
    /// Valid once finished() was emitted.
    Result<Tokens> result() const;

Q_SIGNALS:
    /// The code arrived (the code exchange is starting).
    void redirectReceived();
    void finished();

private:
    void onConnection();
    void onSocketData(QTcpSocket* socket);
    /// Checks the redirect's state/error/code; an error text for the browser page, or "".
    /// Checks a redirect's state, error and code (`item` reads a decoded query item). Returns
    /// the code; or "" with `why` set (the flow is finished when the answer was a refusal).
    QString takeRedirect(const std::function<QString(const char*)>& item, QString* why);
    void exchangeCode(const QString& code);
    void finish(Result<Tokens> result);

    Options m_options;
    Redirect m_mode = Redirect::Loopback;
    QString m_fallbackReason;
    QString m_verifier;
    QString m_state;
    QTcpServer* m_server = nullptr;
    QNetworkAccessManager* m_nam = nullptr;
    bool m_started = false;
    bool m_codeReceived = false;
    std::optional<Result<Tokens>> m_result;
};

} // namespace muze::auth
