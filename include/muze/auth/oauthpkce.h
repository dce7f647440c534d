#pragma once
// The OAuth2 authorization-code flow with PKCE (S256) against Dropbox, with the redirect
// caught by a listener on 127.0.0.1 (no client secret: Muze is a public client).
//
//   OAuthPkce flow({endpoints, appKey, port});
//   if (auto s = flow.start(); !s) ...        // listens, builds the authorize URL
//   openBrowser(flow.authorizeUrl());
//   Result<Tokens> t = flow.waitForTokens(5 * 60 * 1000);   // blocking (CLI)
// or connect to finished() and read result() (GUI; everything is asynchronous).
//
// Threading: lives in one thread with an event loop (or one that calls waitForTokens).

#include <muze/auth/dropboxconfig.h>
#include <muze/auth/tokens.h>

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QTcpServer;
class QTcpSocket;

namespace muze::auth {

class OAuthPkce : public QObject {
    Q_OBJECT
public:
    struct Options {
        DropboxEndpoints endpoints;
        QString appKey;
        quint16 port = kDefaultRedirectPort; // 0 = any free port (tests)
    };

    explicit OAuthPkce(Options options, QObject* parent = nullptr);
    ~OAuthPkce() override;

    /// Binds the redirect listener to 127.0.0.1:port and prepares verifier and state.
    Status start();
    QUrl authorizeUrl() const;
    QUrl redirectUri() const;
    quint16 port() const;

    /// Blocks (local event loop) until the browser came back and the code was exchanged,
    /// the timeout passed ("timeout") or cancel() was called ("cancelled").
    Result<Tokens> waitForTokens(int timeoutMs);
    void cancel();

    bool isFinished() const { return m_result.has_value(); }
    /// Valid once finished() was emitted.
    Result<Tokens> result() const;

Q_SIGNALS:
    /// The browser reached the redirect URI (the code exchange is starting).
    void redirectReceived();
    void finished();

private:
    void onConnection();
    void onSocketData(QTcpSocket* socket);
    void exchangeCode(const QString& code);
    void finish(Result<Tokens> result);

    Options m_options;
    QString m_verifier;
    QString m_state;
    QTcpServer* m_server = nullptr;
    QNetworkAccessManager* m_nam = nullptr;
    bool m_codeReceived = false;
    std::optional<Result<Tokens>> m_result;
};

} // namespace muze::auth
