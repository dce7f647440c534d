#pragma once
// One Muze per user and config dir: a second launch hands its arguments to the running app
// and exits. That is how the OS delivers com.krondor.muze://oauth?code=…&state=… on Linux (the
// .desktop file's x-scheme-handler starts `muze URL`); on Apple the URL arrives as an open-URL
// event, which openUrl() receives through QDesktopServices::setUrlHandler.
//
//   InstanceRouter router(InstanceRouter::keyFor(configDir));
//   if (router.forwardToRunning(args)) return 0;       // the running app took them
//   router.listen();
//   connect(&router, &InstanceRouter::urlReceived, ...);   // com.krondor.muze: URLs
//
// Transport: a QLocalServer (a Unix socket or a named pipe, readable by this user only); a
// message is a 4-byte big-endian length and a UTF-8 JSON array of strings, answered "ok".
// GUI thread only.

#include <muze/util/result.h>

#include <QObject>
#include <QStringList>
#include <QUrl>

class QLocalServer;
class QLocalSocket;

namespace muze::gui {

class InstanceRouter : public QObject {
    Q_OBJECT
public:
    explicit InstanceRouter(QString key, QObject* parent = nullptr);
    ~InstanceRouter() override;

    /// The key of the instance for `configDir` ("" = the default one) and this user.
    static QString keyFor(const QString& configDir);

    /// Sends `arguments` to the running instance and waits for it to take them. True: this
    /// process should exit. False: no instance is running (or it did not answer in time).
    bool forwardToRunning(const QStringList& arguments, int timeoutMs = 3000);
    /// Becomes the running instance. Error when another one already listens.
    Status listen();
    bool isListening() const;
    QString serverName() const { return m_name; }

public Q_SLOTS:
    /// A URL the OS opened (Apple's open-URL event, or an argument): emits urlReceived.
    void openUrl(const QUrl& url);

Q_SIGNALS:
    /// Every message from a later launch (possibly empty: "bring the window to the front").
    void argumentsReceived(const QStringList& arguments);
    /// Each com.krondor.muze: URL among them (and those given to openUrl()).
    void urlReceived(const QUrl& url);

private:
    void onConnection();
    void onData(QLocalSocket* socket);

    QString m_name;
    QLocalServer* m_server = nullptr;
};

/// The com.krondor.muze: URLs among command-line arguments.
QList<QUrl> appSchemeUrls(const QStringList& arguments);

} // namespace muze::gui
