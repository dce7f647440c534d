#pragma once
// Lists and creates folders in the user's Dropbox for DropboxConnectDialog, on a thread of
// its own (the Dropbox client blocks its thread; the GUI thread never waits on the network).
// Create it, move it to a QThread, call its slots through queued connections.

#include <QObject>
#include <QStringList>

#include <memory>

namespace muze::remote {
class DropboxClient;
}

namespace muze::gui {

class DropboxFolderBrowser : public QObject {
    Q_OBJECT
public:
    explicit DropboxFolderBrowser(QString appKey);
    ~DropboxFolderBrowser() override;

public Q_SLOTS:
    /// The folders directly inside `path` ("" = the top of the Dropbox), by display path.
    void list(const QString& path);
    /// Creates `path` (an existing folder is fine).
    void createFolder(const QString& path);

Q_SIGNALS:
    void listed(const QString& path, const QStringList& folders, const QString& error);
    void created(const QString& path, const QString& error);

private:
    remote::DropboxClient& client();

    QString m_appKey;
    std::unique_ptr<remote::DropboxClient> m_client;
};

} // namespace muze::gui
