// iCloud Drive's ubiquity container on macOS and iOS (include/muze/remote/ubiquitycontainer.h).
// Compiled on Apple platforms only (cmake/MuzeApple.cmake), with ARC. Not compiled or run on the
// project's CI: docs/BUILDING-APPLE.md lists what has been verified.
//
// Threads: the sync worker calls every method (never the main thread: the container URL can
// take seconds to resolve). NSMetadataQuery runs on a private operation queue so the worker
// needs no run loop; the identity notification arrives on whatever thread posts it.
#import <Foundation/Foundation.h>

#include <muze/remote/ubiquitycontainer.h>
#include <muze/util/logging.h>

#include <QDateTime>
#include <QDir>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

namespace muze::remote {

namespace {

NSURL* fileUrl(const QString& path) { return [NSURL fileURLWithPath:path.toNSString()]; }

Error nsError(NSError* error, const QString& what, ErrorCode code = errc::io)
{
    const QString detail = error ? QString::fromNSString(error.localizedDescription) : QString();
    return makeError(detail.isEmpty() ? what : what + QStringLiteral(": ") + detail, code);
}

Error unavailable()
{
    return makeError(
        QStringLiteral("iCloud Drive is off or no iCloud account is signed in on this device"), errc::unavailable);
}

// A stable string for an NSFileVersion: its archived persistentIdentifier, base64.
QString versionId(NSFileVersion* version)
{
    NSError* error = nil;
    NSData* data = [NSKeyedArchiver archivedDataWithRootObject:version.persistentIdentifier
                                         requiringSecureCoding:NO
                                                         error:&error];
    return data ? QString::fromNSString([data base64EncodedStringWithOptions:0]) : QString();
}

NSFileVersion* findVersion(const QString& path, const QString& id)
{
    NSURL* url = fileUrl(path);
    NSArray<NSFileVersion*>* all = [NSFileVersion otherVersionsOfItemAtURL:url];
    for (NSFileVersion* v in all) {
        if (versionId(v) == id)
            return v;
    }
    return nil;
}

// What the identity observer shares with the container; the observer's block holds it, so a
// late notification never touches a destroyed container.
struct Shared {
    std::atomic<bool> available{false};
    std::mutex mutex;
    std::function<void(bool)> callback;
    QString documents; // resolved once per identity
};

class AppleUbiquityContainer final : public UbiquityContainer {
public:
    explicit AppleUbiquityContainer(QString id)
        : m_id(std::move(id))
        , m_shared(std::make_shared<Shared>())
    {
        m_shared->available = [NSFileManager defaultManager].ubiquityIdentityToken != nil;
        std::shared_ptr<Shared> shared = m_shared;
        m_observer = [[NSNotificationCenter defaultCenter]
            addObserverForName:NSUbiquityIdentityDidChangeNotification
                        object:nil
                         queue:nil
                    usingBlock:^(NSNotification*) {
                        const bool now = [NSFileManager defaultManager].ubiquityIdentityToken != nil;
                        shared->available = now;
                        std::function<void(bool)> callback;
                        {
                            std::lock_guard<std::mutex> lock(shared->mutex);
                            shared->documents.clear(); // another account: another container
                            callback = shared->callback;
                        }
                        qCInfo(lcICloud) << "iCloud identity changed; available:" << now;
                        if (callback)
                            callback(now);
                    }];
    }

    ~AppleUbiquityContainer() override { [[NSNotificationCenter defaultCenter] removeObserver:m_observer]; }

    QString containerId() const override { return m_id; }

    Result<QString> documentsRoot() override
    {
        if ([NSThread isMainThread])
            return makeError(QStringLiteral("The iCloud container must not be opened on the main thread"), errc::io);
        if (!available())
            return unavailable();
        {
            std::lock_guard<std::mutex> lock(m_shared->mutex);
            if (!m_shared->documents.isEmpty())
                return m_shared->documents;
        }
        // Blocks while iCloud sets the container up (first launch: seconds).
        NSURL* container = [[NSFileManager defaultManager] URLForUbiquityContainerIdentifier:m_id.toNSString()];
        if (!container)
            return unavailable();
        NSURL* documents = [container URLByAppendingPathComponent:@"Documents" isDirectory:YES];
        NSError* error = nil;
        if (![[NSFileManager defaultManager] createDirectoryAtURL:documents
                                      withIntermediateDirectories:YES
                                                       attributes:nil
                                                            error:&error])
            return nsError(error, QStringLiteral("Cannot create the iCloud Documents folder"));
        const QString path = QString::fromNSString(documents.path);
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->documents = path;
        return path;
    }

    bool available() const override { return m_shared->available.load(); }

    void setAvailabilityCallback(std::function<void(bool)> callback) override
    {
        std::lock_guard<std::mutex> lock(m_shared->mutex);
        m_shared->callback = std::move(callback);
    }

    Result<std::vector<UbiquityItem>> items(const QString& folder) override
    {
        struct Gather {
            std::mutex mutex;
            std::vector<UbiquityItem> items;
        };
        auto gather = std::make_shared<Gather>();
        NSOperationQueue* queue = [[NSOperationQueue alloc] init];
        queue.maxConcurrentOperationCount = 1;
        NSMetadataQuery* query = [[NSMetadataQuery alloc] init];
        query.operationQueue = queue;
        query.searchScopes = @[ NSMetadataQueryUbiquitousDocumentsScope ];
        NSString* prefix = (QDir(folder).absolutePath() + QLatin1Char('/')).toNSString();
        query.predicate = [NSPredicate predicateWithFormat:@"%K BEGINSWITH %@", NSMetadataItemPathKey, prefix];
        dispatch_semaphore_t done = dispatch_semaphore_create(0);
        id observer = [[NSNotificationCenter defaultCenter]
            addObserverForName:NSMetadataQueryDidFinishGatheringNotification
                        object:query
                         queue:queue
                    usingBlock:^(NSNotification*) {
                        [query disableUpdates];
                        std::vector<UbiquityItem> found;
                        for (NSUInteger i = 0; i < query.resultCount; ++i) {
                            NSMetadataItem* item = [query resultAtIndex:i];
                            NSString* type = [item valueForAttribute:NSMetadataItemContentTypeKey];
                            if ([type isEqualToString:@"public.folder"])
                                continue;
                            NSString* path = [item valueForAttribute:NSMetadataItemPathKey];
                            NSString* status = [item valueForAttribute:NSMetadataUbiquitousItemDownloadingStatusKey];
                            NSNumber* downloading = [item valueForAttribute:NSMetadataUbiquitousItemIsDownloadingKey];
                            NSNumber* conflicts = [item valueForAttribute:NSMetadataUbiquitousItemHasUnresolvedConflictsKey];
                            UbiquityItem u;
                            u.path = QString::fromNSString(path);
                            // "Downloaded" is an older copy while a newer one waits in the cloud.
                            if ([status isEqualToString:NSMetadataUbiquitousItemDownloadingStatusCurrent])
                                u.state = DownloadState::Current;
                            else
                                u.state = downloading.boolValue ? DownloadState::Downloading : DownloadState::NotDownloaded;
                            u.hasUnresolvedConflicts = conflicts.boolValue;
                            found.push_back(std::move(u));
                        }
                        [query stopQuery];
                        {
                            std::lock_guard<std::mutex> lock(gather->mutex);
                            gather->items = std::move(found);
                        }
                        dispatch_semaphore_signal(done);
                    }];
        [queue addOperationWithBlock:^{
            [query startQuery];
        }];
        const long timedOut = dispatch_semaphore_wait(done, dispatch_time(DISPATCH_TIME_NOW, 60 * int64_t(NSEC_PER_SEC)));
        [[NSNotificationCenter defaultCenter] removeObserver:observer];
        if (timedOut) {
            [queue addOperationWithBlock:^{
                [query stopQuery];
            }];
            [queue waitUntilAllOperationsAreFinished];
            return makeError(QStringLiteral("iCloud did not list the vault's files in time"), errc::offline);
        }
        std::lock_guard<std::mutex> lock(gather->mutex);
        return gather->items;
    }

    Status startDownload(const QString& path) override
    {
        NSError* error = nil;
        if (![[NSFileManager defaultManager] startDownloadingUbiquitousItemAtURL:fileUrl(path) error:&error])
            return nsError(error, QStringLiteral("iCloud cannot download %1").arg(path), errc::offline);
        return {};
    }

    Status coordinatedRead(const QString& path, const std::function<Status(const QString&)>& read) override
    {
        Status result;
        Status* out = &result;
        const std::function<Status(const QString&)>* fn = &read;
        NSFileCoordinator* coordinator = [[NSFileCoordinator alloc] initWithFilePresenter:nil];
        NSError* error = nil;
        [coordinator coordinateReadingItemAtURL:fileUrl(path)
                                        options:0
                                          error:&error
                                     byAccessor:^(NSURL* url) {
                                         *out = (*fn)(QString::fromNSString(url.path));
                                     }];
        if (error)
            return nsError(error, QStringLiteral("iCloud did not let Muze read %1").arg(path));
        return result;
    }

    Status coordinatedWrite(const QString& path, const std::function<Status(const QString&)>& write) override
    {
        Status result;
        Status* out = &result;
        const std::function<Status(const QString&)>* fn = &write;
        NSFileCoordinator* coordinator = [[NSFileCoordinator alloc] initWithFilePresenter:nil];
        NSError* error = nil;
        // The folder remote writes a temp file and renames it over the old one: a replacement.
        [coordinator coordinateWritingItemAtURL:fileUrl(path)
                                        options:NSFileCoordinatorWritingForReplacing
                                          error:&error
                                     byAccessor:^(NSURL* url) {
                                         *out = (*fn)(QString::fromNSString(url.path));
                                     }];
        if (error)
            return nsError(error, QStringLiteral("iCloud did not let Muze write %1").arg(path));
        return result;
    }

    Result<std::vector<UbiquityVersion>> versions(const QString& path, bool conflictsOnly) override
    {
        NSURL* url = fileUrl(path);
        NSArray<NSFileVersion*>* list = conflictsOnly ? [NSFileVersion unresolvedConflictVersionsOfItemAtURL:url]
                                                      : [NSFileVersion otherVersionsOfItemAtURL:url];
        std::vector<UbiquityVersion> out;
        for (NSFileVersion* v in list) {
            UbiquityVersion u;
            u.id = versionId(v);
            u.deviceName = QString::fromNSString(v.localizedNameOfSavingComputer ?: @"");
            u.modified = QDateTime::fromNSDate(v.modificationDate);
            u.conflict = v.conflict && !v.resolved;
            NSNumber* size = nil;
            if ([v.URL getResourceValue:&size forKey:NSURLFileSizeKey error:nil] && size)
                u.size = size.longLongValue;
            if (!u.id.isEmpty())
                out.push_back(std::move(u));
        }
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.modified < b.modified; });
        return out;
    }

    Status copyVersion(const QString& path, const QString& id, const QString& destination) override
    {
        NSFileVersion* v = findVersion(path, id);
        if (!v)
            return makeError(QStringLiteral("iCloud no longer keeps that version of %1").arg(path), errc::not_found);
        NSError* error = nil;
        if (![[NSFileManager defaultManager] copyItemAtURL:v.URL toURL:fileUrl(destination) error:&error])
            return nsError(error, QStringLiteral("Cannot copy a version of %1").arg(path));
        return {};
    }

    Status resolveConflicts(const QString& path, const QStringList& ids) override
    {
        // Removing versions is a write of the file (Apple: coordinate it).
        return coordinatedWrite(path, [&](const QString& target) -> Status {
            for (NSFileVersion* v in [NSFileVersion unresolvedConflictVersionsOfItemAtURL:fileUrl(target)]) {
                if (!ids.contains(versionId(v)))
                    continue;
                v.resolved = YES;
                NSError* error = nil;
                if (![v removeAndReturnError:&error])
                    return nsError(error, QStringLiteral("Cannot remove a resolved iCloud conflict of %1").arg(path));
            }
            return {};
        });
    }

private:
    QString m_id;
    std::shared_ptr<Shared> m_shared;
    id m_observer = nil;
};

} // namespace

Result<std::shared_ptr<UbiquityContainer>> platformUbiquityContainer(const QString& containerId)
{
    return std::shared_ptr<UbiquityContainer>(std::make_shared<AppleUbiquityContainer>(containerId));
}

} // namespace muze::remote
