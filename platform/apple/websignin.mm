// Dropbox sign-in on macOS and iOS through ASWebAuthenticationSession
// (include/muze/auth/websignin.h). Compiled on Apple platforms only, with ARC.
//
// The session shows Dropbox's authorize page in a sheet over Muze's window and ends when the
// page redirects to com.krondor.muze://oauth?code=…&state=…, which it hands back without the
// OS routing the URL (CFBundleURLTypes in Info.plist registers the scheme as well, for a browser
// that opens it outside the sheet).
#import <AuthenticationServices/AuthenticationServices.h>
#import <Foundation/Foundation.h>
#include <TargetConditionals.h>
#if TARGET_OS_IPHONE
#import <UIKit/UIKit.h>
#else
#import <AppKit/AppKit.h>
#endif

#include <muze/auth/websignin.h>

// The window the sheet is presented over: Muze's key window.
@interface MuzeSignInAnchor : NSObject <ASWebAuthenticationPresentationContextProviding>
@end

@implementation MuzeSignInAnchor
- (ASPresentationAnchor)presentationAnchorForWebAuthenticationSession:(ASWebAuthenticationSession*)session
{
    (void)session;
#if TARGET_OS_IPHONE
    for (UIScene* scene in UIApplication.sharedApplication.connectedScenes) {
        if (![scene isKindOfClass:[UIWindowScene class]])
            continue;
        for (UIWindow* window in static_cast<UIWindowScene*>(scene).windows) {
            if (window.isKeyWindow)
                return window;
        }
    }
    return ASPresentationAnchor();
#else
    return NSApp.keyWindow ?: NSApp.windows.firstObject;
#endif
}
@end

namespace muze::auth {

namespace {

class AppleWebSignIn final : public WebSignIn {
public:
    bool available() const override { return true; }

    bool start(const QUrl& url, const QString& callbackScheme, Done done) override
    {
        cancel();
        if (!m_anchor)
            m_anchor = [[MuzeSignInAnchor alloc] init];
        NSURL* authorize = url.toNSURL();
        Done callback = std::move(done);
        ASWebAuthenticationSession* session = [[ASWebAuthenticationSession alloc]
                  initWithURL:authorize
            callbackURLScheme:callbackScheme.toNSString()
            completionHandler:^(NSURL* callbackUrl, NSError* error) {
                QUrl result = callbackUrl ? QUrl::fromNSURL(callbackUrl) : QUrl();
                QString why;
                if (error && !(error.domain == ASWebAuthenticationSessionErrorDomain
                               && error.code == ASWebAuthenticationSessionErrorCodeCanceledLogin))
                    why = QString::fromNSString(error.localizedDescription);
                // The handler may run off the main thread; Muze's GUI thread is the main thread.
                dispatch_async(dispatch_get_main_queue(), ^{
                    callback(result, why);
                });
            }];
        session.presentationContextProvider = m_anchor;
        // Reuse the browser's Dropbox sign-in cookie: one tap for a signed-in user.
        session.prefersEphemeralWebBrowserSession = NO;
        if (![session start])
            return false;
        m_session = session; // kept alive until it ends or is cancelled
        return true;
    }

    void cancel() override
    {
        [m_session cancel];
        m_session = nil;
    }

private:
    ASWebAuthenticationSession* m_session = nil;
    MuzeSignInAnchor* m_anchor = nil;
};

} // namespace

WebSignIn& platformWebSignIn()
{
    static AppleWebSignIn apple;
    return apple;
}

} // namespace muze::auth
