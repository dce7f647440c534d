#include "dropboxfolderbrowser.h"

#include <muze/auth/tokenmanager.h>
#include <muze/remote/dropboxclient.h>

namespace muze::gui {

DropboxFolderBrowser::DropboxFolderBrowser(QString appKey) : m_appKey(std::move(appKey)) {}

DropboxFolderBrowser::~DropboxFolderBrowser() = default;

remote::DropboxClient& DropboxFolderBrowser::client()
{
    if (!m_client) { // created in the worker thread, where its network manager must live
        const auth::DropboxEndpoints endpoints = auth::DropboxEndpoints::fromEnvironment();
        remote::DropboxClientOptions options;
        options.maxAttempts = 3;
        m_client = std::make_unique<remote::DropboxClient>(endpoints, auth::keychainTokenManager(m_appKey, endpoints),
                                                           options);
    }
    return *m_client;
}

void DropboxFolderBrowser::list(const QString& path)
{
    QStringList folders;
    auto page = client().rpc(QStringLiteral("files/list_folder"),
                             Json{{"path", toStd(path == QLatin1String("/") ? QString() : path)}, {"recursive", false}});
    while (page) {
        for (const Json& e : page->value("entries", Json::array())) {
            if (jsonString(e, ".tag") == QLatin1String("folder"))
                folders << jsonString(e, "path_display");
        }
        if (!jsonBool(*page, "has_more"))
            break;
        page = client().rpc(QStringLiteral("files/list_folder/continue"), Json{{"cursor", page->value("cursor", "")}});
    }
    folders.sort(Qt::CaseInsensitive);
    Q_EMIT listed(path, folders, page ? QString() : page.errorString());
}

void DropboxFolderBrowser::createFolder(const QString& path)
{
    auto r = client().rpc(QStringLiteral("files/create_folder_v2"), Json{{"path", toStd(path)}, {"autorename", false}});
    const bool exists = !r && client().lastError().summary.contains(QLatin1String("conflict/folder"));
    Q_EMIT created(path, r || exists ? QString() : r.errorString());
}

} // namespace muze::gui
