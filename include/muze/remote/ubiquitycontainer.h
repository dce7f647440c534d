#pragma once
// iCloud Drive's ubiquity container behind a small C++ interface (docs/BUILDING-APPLE.md).
//
// Everything iCloud-specific that needs Apple's frameworks sits behind this class; the logic
// that turns it into a vault remote (ICloudRemote: placeholders, conflicts, history) is shared
// C++ and is tested on every platform with SimulatedUbiquityContainer.
//
// Implementations:
//   platform/apple/ubiquitycontainer.mm  Foundation: URLForUbiquityContainerIdentifier,
//                                        NSUbiquityIdentityDidChangeNotification, NSMetadataQuery,
//                                        startDownloadingUbiquitousItemAtURL, NSFileCoordinator,
//                                        NSFileVersion. Compiled on Apple platforms only.
//   src/core/remote/ubiquitynone.cpp     every other platform: no container ("unavailable").
//   simulatedubiquity.h                  a folder standing in for the container
//                                        (MUZE_ICLOUD_SIMULATED_ROOT), used by the tests.
//
// Paths are absolute local paths inside documentsRoot() (the container's "Documents" folder).
// Threading: documentsRoot() may block for seconds the first time (Apple: the container URL
// must never be asked for on the main thread), so call it and everything else from the sync
// worker's thread. available() and the availability callback may be used from any thread.

#include <muze/util/result.h>

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

namespace muze::remote {

enum class DownloadState {
    Current,       // the bytes on disk are the latest iCloud knows
    NotDownloaded, // a placeholder: the name is known, the bytes are in the cloud
    Downloading,   // startDownload() was asked and the bytes are on their way
};

struct UbiquityItem {
    QString path; // absolute, the real name (never the ".name.icloud" placeholder's)
    DownloadState state = DownloadState::Current;
    bool hasUnresolvedConflicts = false;
};

/// One NSFileVersion of a file: a conflict another device left, or an older version.
struct UbiquityVersion {
    QString id;         // opaque, stable while the version exists
    QString deviceName; // localizedNameOfSavingComputer ("" when unknown)
    QDateTime modified;
    qint64 size = -1;   // -1 when unknown
    bool conflict = false; // an unresolved conflict version (not just an older one)
};

class UbiquityContainer {
public:
    virtual ~UbiquityContainer() = default;

    virtual QString containerId() const = 0;
    /// The container's Documents folder, created when missing. Blocks; never on the GUI thread.
    /// "unavailable" when iCloud Drive is off or no account is signed in.
    virtual Result<QString> documentsRoot() = 0;
    /// An iCloud account is signed in and iCloud Drive is on for this app
    /// (Apple: NSFileManager.ubiquityIdentityToken != nil).
    virtual bool available() const = 0;
    /// Called (on an arbitrary thread) when available() changes
    /// (NSUbiquityIdentityDidChangeNotification). One callback; a new one replaces it.
    virtual void setAvailabilityCallback(std::function<void(bool available)> callback) = 0;

    /// Download and conflict state of every file under `folder` (recursive).
    virtual Result<std::vector<UbiquityItem>> items(const QString& folder) = 0;
    /// Asks iCloud to bring a placeholder's bytes down (returns at once).
    virtual Status startDownload(const QString& path) = 0;

    /// Runs `read` / `write` inside a file coordinator's read / write of `path`, so iCloud never
    /// uploads half a write nor replaces a file under a reader. The callback receives the
    /// path to use (usually `path`). Returns the callback's status, or the coordinator's error.
    virtual Status coordinatedRead(const QString& path, const std::function<Status(const QString&)>& read) = 0;
    virtual Status coordinatedWrite(const QString& path, const std::function<Status(const QString&)>& write) = 0;

    /// Versions of `path` other than the current one (oldest first); only unresolved conflicts
    /// when `conflictsOnly`.
    virtual Result<std::vector<UbiquityVersion>> versions(const QString& path, bool conflictsOnly) = 0;
    /// Copies the bytes of one version to `destination` (which must not exist).
    virtual Status copyVersion(const QString& path, const QString& versionId, const QString& destination) = 0;
    /// Marks these conflict versions resolved and removes them. Call only after their bytes
    /// are safe elsewhere (ICloudRemote keeps them as conflicted copies first).
    virtual Status resolveConflicts(const QString& path, const QStringList& versionIds) = 0;
};

/// The platform's container for `containerId` (e.g. "iCloud.com.krondor.muze"): Apple's on
/// macOS and iOS, "unavailable" elsewhere. Cheap: nothing blocks until documentsRoot().
Result<std::shared_ptr<UbiquityContainer>> platformUbiquityContainer(const QString& containerId);

/// True for an old-style iCloud placeholder name ".<name>.icloud"; sets `realName`.
bool isPlaceholderName(const QString& fileName, QString* realName = nullptr);
/// ".<name>.icloud" for `name`.
QString placeholderName(const QString& name);

} // namespace muze::remote
