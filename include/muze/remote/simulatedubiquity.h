#pragma once
// A folder standing in for iCloud's ubiquity container (MUZE_ICLOUD_SIMULATED_ROOT), so the
// shared iCloud logic (ICloudRemote) runs and is tested on every platform.
//
// Layout under `<root>/<container id>/`:
//   Documents/                 what the app sees (documentsRoot())
//   Documents/…/.<name>.icloud a placeholder: the file was evicted (evict())
//   .sim-cloud/<rel>           an evicted file's bytes, until startDownload() brings them back
//   .sim-versions/<rel>/<id>.bin + <id>.json   versions (NSFileVersion) of Documents/<rel>
//   .sim-signed-out            present: no iCloud account (available() is false)
// Downloads complete at once; file coordination is a plain call.

#include <muze/remote/ubiquitycontainer.h>

namespace muze::remote {

class SimulatedUbiquityContainer final : public UbiquityContainer {
public:
    SimulatedUbiquityContainer(QString simulatedRoot, QString containerId);

    QString containerId() const override { return m_id; }
    Result<QString> documentsRoot() override;
    bool available() const override;
    void setAvailabilityCallback(std::function<void(bool)> callback) override;
    Result<std::vector<UbiquityItem>> items(const QString& folder) override;
    Status startDownload(const QString& path) override;
    Status coordinatedRead(const QString& path, const std::function<Status(const QString&)>& read) override;
    Status coordinatedWrite(const QString& path, const std::function<Status(const QString&)>& write) override;
    Result<std::vector<UbiquityVersion>> versions(const QString& path, bool conflictsOnly) override;
    Status copyVersion(const QString& path, const QString& versionId, const QString& destination) override;
    Status resolveConflicts(const QString& path, const QStringList& versionIds) override;

    // What iCloud does on its own, for tests:
    /// Replaces a downloaded file by its placeholder (the OS freeing space).
    Status evict(const QString& path);
    /// Adds a version of `path` as another device left it (`conflict`: an unresolved conflict).
    Result<QString> addVersion(const QString& path, const QByteArray& bytes, const QString& deviceName,
                               const QDateTime& modified, bool conflict);
    /// Signs the simulated account out (false) or in (true); calls the availability callback.
    void setAvailable(bool available);
    QString containerRoot() const { return m_root; }

private:
    QString relOf(const QString& path) const; // path relative to Documents
    QString versionsDir(const QString& path) const;

    QString m_root; // <simulatedRoot>/<container id>
    QString m_id;
    std::function<void(bool)> m_callback;
};

} // namespace muze::remote
