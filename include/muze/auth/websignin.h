#pragma once
// The platform's own sign-in sheet for OAuth (Apple: ASWebAuthenticationSession), behind a
// small interface so no file outside it needs a platform #if (docs/BUILDING-APPLE.md).
//
// On iOS the app is suspended while Safari is in front, so neither a loopback listener nor the
// system browser can bring Dropbox's code back; the sheet opens the authorize URL inside the app
// and hands back the com.krondor.muze://oauth?... URL it ends on (OAuthPkce::Redirect::AppScheme).
//
// Implementations: platform/apple/websignin.mm (macOS, iOS); src/core/auth/websignin_none.cpp
// (elsewhere: no sheet, available() is false and the caller opens the system browser).
// Threading: GUI thread only; `done` is called on the GUI thread.

#include <QString>
#include <QUrl>

#include <functional>

namespace muze::auth {

class WebSignIn {
public:
    /// `callback`: the URL the sign-in ended on (empty when it did not); `error`: why not
    /// ("" when the user cancelled).
    using Done = std::function<void(const QUrl& callback, const QString& error)>;

    virtual ~WebSignIn() = default;
    /// True where this sheet exists; then sign-in uses it with the app's URL scheme.
    virtual bool available() const = 0;
    /// Opens `url`; the sheet closes when it is redirected to `callbackScheme`://…
    /// Returns false when it could not be shown (then `done` is never called).
    virtual bool start(const QUrl& url, const QString& callbackScheme, Done done) = 0;
    /// Closes a sheet that is showing (its `done` is not called).
    virtual void cancel() = 0;
};

/// The platform's sheet (one per process).
WebSignIn& platformWebSignIn();

} // namespace muze::auth
