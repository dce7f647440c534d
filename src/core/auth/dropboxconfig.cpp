#include <muze/auth/dropboxconfig.h>

#include <QSettings>
#include <QtGlobal>

namespace muze::auth {
namespace {

QUrl fromEnv(const char* name, const QUrl& fallback)
{
    const QString value = qEnvironmentVariable(name).trimmed();
    if (value.isEmpty())
        return fallback;
    QUrl url(value);
    return url.isValid() ? url : fallback;
}

QUrl joined(const QUrl& base, const QString& path)
{
    QUrl url = base;
    QString p = base.path();
    while (p.endsWith(QLatin1Char('/')))
        p.chop(1);
    url.setPath(p + path);
    return url;
}

} // namespace

DropboxEndpoints DropboxEndpoints::fromEnvironment()
{
    DropboxEndpoints e;
    e.api = fromEnv("MUZE_DROPBOX_API_URL", e.api);
    e.content = fromEnv("MUZE_DROPBOX_CONTENT_URL", e.content);
    e.notify = fromEnv("MUZE_DROPBOX_NOTIFY_URL", e.notify);
    e.authorize = fromEnv("MUZE_DROPBOX_AUTH_URL", e.authorize);
    if (e.authorize.path().isEmpty() || e.authorize.path() == QLatin1String("/"))
        e.authorize = joined(e.authorize, QStringLiteral("/oauth2/authorize"));
    return e;
}

QUrl DropboxEndpoints::token() const { return joined(api, QStringLiteral("/oauth2/token")); }
QUrl DropboxEndpoints::apiRoute(const QString& route) const { return joined(api, QStringLiteral("/2/") + route); }
QUrl DropboxEndpoints::contentRoute(const QString& route) const
{
    return joined(content, QStringLiteral("/2/") + route);
}
QUrl DropboxEndpoints::notifyRoute(const QString& route) const { return joined(notify, QStringLiteral("/2/") + route); }

QString dropboxAppKey()
{
    const QString env = qEnvironmentVariable("MUZE_DROPBOX_APP_KEY").trimmed();
    if (!env.isEmpty())
        return env;
    return QSettings().value(QStringLiteral("dropbox/app_key")).toString().trimmed();
}

} // namespace muze::auth
