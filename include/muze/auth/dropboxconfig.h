#pragma once
// Where Dropbox is and which app Muze signs in as. Real Dropbox by default; tests, benches
// and offline development point the MUZE_DROPBOX_*_URL variables at the emulator.

#include <QString>
#include <QUrl>

namespace muze::auth {

/// The loopback port of the OAuth redirect listener. It is fixed because Dropbox only accepts
/// redirect URIs registered with the app, port included: http://127.0.0.1:53134/muze/oauth/callback
/// (README "Dropbox app"). When the port is taken, sign-in falls back to pasting a code.
constexpr quint16 kDefaultRedirectPort = 53134;
inline const QString kRedirectPath = QStringLiteral("/muze/oauth/callback");
/// The app's own URL scheme (Info.plist CFBundleURLTypes, the Linux .desktop file's
/// x-scheme-handler): the redirect URI of Apple builds, where a loopback listener cannot work
/// because the app is suspended while the browser is in front.
inline const QString kAppScheme = QStringLiteral("com.krondor.muze");
inline const QString kAppSchemeRedirect = QStringLiteral("com.krondor.muze://oauth");

struct DropboxEndpoints {
    QUrl api = QUrl(QStringLiteral("https://api.dropboxapi.com"));
    QUrl content = QUrl(QStringLiteral("https://content.dropboxapi.com"));
    QUrl notify = QUrl(QStringLiteral("https://notify.dropboxapi.com"));
    QUrl authorize = QUrl(QStringLiteral("https://www.dropbox.com/oauth2/authorize"));

    /// Defaults overridden by MUZE_DROPBOX_API_URL, MUZE_DROPBOX_CONTENT_URL,
    /// MUZE_DROPBOX_NOTIFY_URL and MUZE_DROPBOX_AUTH_URL (a bare host gets /oauth2/authorize).
    static DropboxEndpoints fromEnvironment();

    QUrl token() const;          // <api>/oauth2/token
    QUrl apiRoute(const QString& route) const;     // <api>/2/<route>
    QUrl contentRoute(const QString& route) const; // <content>/2/<route>
    QUrl notifyRoute(const QString& route) const;  // <notify>/2/<route>
};

/// The Dropbox app key: MUZE_DROPBOX_APP_KEY, else the setting "dropbox/app_key" (QSettings).
/// Empty when neither is set.
QString dropboxAppKey();

} // namespace muze::auth
