// The audio session on macOS and iOS (include/muze/audio/audiosession.h). Compiled on Apple
// platforms only, with ARC.
//
// iOS: AVAudioSession category playAndRecord (the mix plays while a take records), activated
// before each take; its interruption notification (a phone call, Siri, an alarm) becomes
// interruptionBegan(), on which the Recorder stops and finalizes the WAV, so the take keeps
// everything recorded before the call and its header is valid. A reset of the media services
// is treated the same way. The microphone permission is AVAudioApplication's (iOS 17) or
// AVAudioSession's (older).
// macOS: no session to configure; the permission is AVCaptureDevice's for audio.
#import <AVFoundation/AVFoundation.h>
#import <Foundation/Foundation.h>
#include <TargetConditionals.h>

#include <muze/audio/audiosession.h>
#include <muze/util/logging.h>

#include <QMetaObject>
#include <QPointer>

namespace muze::audio {

namespace {

class AppleAudioSession final : public AudioSession {
public:
    AppleAudioSession()
    {
#if TARGET_OS_IPHONE
        QPointer<AppleAudioSession> self(this);
        NSNotificationCenter* center = [NSNotificationCenter defaultCenter];
        m_interruption = [center addObserverForName:AVAudioSessionInterruptionNotification
                                             object:[AVAudioSession sharedInstance]
                                              queue:nil
                                         usingBlock:^(NSNotification* note) {
                                             NSNumber* type = note.userInfo[AVAudioSessionInterruptionTypeKey];
                                             const bool began
                                                 = type.unsignedIntegerValue == AVAudioSessionInterruptionTypeBegan;
                                             notify(self, began);
                                         }];
        m_reset = [center addObserverForName:AVAudioSessionMediaServicesWereResetNotification
                                      object:nil
                                       queue:nil
                                  usingBlock:^(NSNotification*) {
                                      notify(self, true);
                                  }];
#endif
    }

    ~AppleAudioSession() override
    {
        if (m_interruption)
            [[NSNotificationCenter defaultCenter] removeObserver:m_interruption];
        if (m_reset)
            [[NSNotificationCenter defaultCenter] removeObserver:m_reset];
    }

    MicrophonePermission microphonePermission() const override
    {
#if TARGET_OS_IPHONE
        if (@available(iOS 17.0, *)) {
            switch ([AVAudioApplication sharedInstance].recordPermission) {
            case AVAudioApplicationRecordPermissionGranted:
                return MicrophonePermission::Granted;
            case AVAudioApplicationRecordPermissionDenied:
                return MicrophonePermission::Denied;
            default:
                return MicrophonePermission::Undetermined;
            }
        }
        switch ([AVAudioSession sharedInstance].recordPermission) {
        case AVAudioSessionRecordPermissionGranted:
            return MicrophonePermission::Granted;
        case AVAudioSessionRecordPermissionDenied:
            return MicrophonePermission::Denied;
        default:
            return MicrophonePermission::Undetermined;
        }
#else
        switch ([AVCaptureDevice authorizationStatusForMediaType:AVMediaTypeAudio]) {
        case AVAuthorizationStatusAuthorized:
            return MicrophonePermission::Granted;
        case AVAuthorizationStatusDenied:
        case AVAuthorizationStatusRestricted:
            return MicrophonePermission::Denied;
        default:
            return MicrophonePermission::Undetermined;
        }
#endif
    }

    void requestMicrophonePermission(std::function<void(bool)> done) override
    {
        // The answer comes on an arbitrary queue: hand it to this object's thread.
        QPointer<AppleAudioSession> self(this);
        auto answer = ^(BOOL granted) {
            const bool ok = granted;
            if (!self)
                return;
            QMetaObject::invokeMethod(self.data(), [done, ok] {
                if (done)
                    done(ok);
            }, Qt::QueuedConnection);
        };
#if TARGET_OS_IPHONE
        if (@available(iOS 17.0, *)) {
            [AVAudioApplication requestRecordPermissionWithCompletionHandler:answer];
            return;
        }
        [[AVAudioSession sharedInstance] requestRecordPermission:answer];
#else
        [AVCaptureDevice requestAccessForMediaType:AVMediaTypeAudio completionHandler:answer];
#endif
    }

    Status activateForRecording() override
    {
#if TARGET_OS_IPHONE
        AVAudioSession* session = [AVAudioSession sharedInstance];
        NSError* error = nil;
        const AVAudioSessionCategoryOptions options = AVAudioSessionCategoryOptionDefaultToSpeaker
                                                      | AVAudioSessionCategoryOptionAllowBluetoothA2DP;
        if (![session setCategory:AVAudioSessionCategoryPlayAndRecord
                             mode:AVAudioSessionModeDefault
                          options:options
                            error:&error]
            || ![session setActive:YES error:&error]) {
            const QString why = error ? QString::fromNSString(error.localizedDescription) : QString();
            return makeError(QObject::tr("The audio system did not let Muze record: %1").arg(why), errc::audio_session);
        }
#endif
        return {};
    }

    void deactivate() override
    {
#if TARGET_OS_IPHONE
        [[AVAudioSession sharedInstance] setActive:NO
                                       withOptions:AVAudioSessionSetActiveOptionNotifyOthersOnDeactivation
                                             error:nil];
#endif
    }

private:
    static void notify(const QPointer<AppleAudioSession>& self, bool began)
    {
        qCInfo(lcAudio) << "audio session interruption" << (began ? "began" : "ended");
        if (!self)
            return;
        // Emitted here (any thread): receivers get it queued on theirs.
        if (began)
            Q_EMIT self->interruptionBegan();
        else
            Q_EMIT self->interruptionEnded();
    }

    id m_interruption = nil;
    id m_reset = nil;
};

} // namespace

AudioSession* createPlatformAudioSession() { return new AppleAudioSession; }

} // namespace muze::audio
