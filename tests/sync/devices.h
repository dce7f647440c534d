#pragma once
// Whole-engine test fixture: "devices" (separate vault folders, each with its own journal and
// engine) syncing through one folder remote, the way two laptops share a NAS folder.

#include "testsupport.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/remotestore.h>
#include <muze/sync/codec.h>
#include <muze/sync/syncengine.h>
#include <muze/util/json.h>

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/unlockedkeys.h>
#endif

namespace muze::test {

class World {
public:
    QString remoteDir() const { return m_dir.filePath(QStringLiteral("remote")); }
    QString path(const QString& rel) const { return m_dir.filePath(rel); }

private:
    TempDir m_dir;
};

/// A folder remote to wrap: override one call to add network timing or hostile listings (a
/// seam); everything else goes to the real FolderRemote.
class ForwardingRemote : public remote::RemoteStore {
public:
    ForwardingRemote(const QString& root, const QString& cache) : m_inner(root, cache) {}
    QString kind() const override { return m_inner.kind(); }
    Result<remote::ChangeSet> listChanges(const QString& cursor) override { return m_inner.listChanges(cursor); }
    Result<remote::RemoteEntry> stat(const QString& p) override { return m_inner.stat(p); }
    Status download(const QString& p, QIODevice& s, qint64 o, qint64 l, const remote::ProgressFn& f) override
    {
        return m_inner.download(p, s, o, l, f);
    }
    Result<remote::RemoteEntry> upload(const QString& p, QIODevice& s, qint64 n, const remote::WriteSpec& w,
                                       const remote::ProgressFn& f) override
    {
        return m_inner.upload(p, s, n, w, f);
    }
    Status remove(const QString& p, const QString& rev) override { return m_inner.remove(p, rev); }
    Status makeFolder(const QString& p) override { return m_inner.makeFolder(p); }
    Result<bool> waitForChanges(const QString& c, int t) override { return m_inner.waitForChanges(c, t); }
    Result<remote::SpaceUsage> spaceUsage() override { return m_inner.spaceUsage(); }
    Status flush() override { return m_inner.flush(); }

protected:
    remote::FolderRemote m_inner;
};

using RemoteFactory = std::function<std::unique_ptr<remote::RemoteStore>(const QString& remoteDir, const QString& cacheDir)>;

class Device {
public:
    Device(World& world, QString name, std::unique_ptr<sync::ContentCodec> codec = sync::makePlainCodec(),
           sync::SyncSettings settings = {}, qint64 settleMs = 0, RemoteFactory factory = {});

    const QString& name() const { return m_name; }
    const QString& root() const { return m_root; }
    QString abs(const QString& rel) const { return m_root + QLatin1Char('/') + rel; }
    sync::SyncEngine& engine() { return *m_engine; }
    /// Replaces the engine (a new codec or settings; the journal stays on disk).
    void rebuild(std::unique_ptr<sync::ContentCodec> codec, sync::SyncSettings settings = {}, qint64 settleMs = 0);

    /// Syncs and requires the run to succeed (not necessarily to converge).
    sync::SyncReport sync(const sync::SyncOptions& options = {});
    Result<sync::SyncReport> trySync(const sync::SyncOptions& options = {});

    /// Writes a file with an mtime `ageSeconds` in the past (or exactly `mtime` when valid).
    void write(const QString& rel, const QByteArray& data, int ageSeconds = 30, const QDateTime& mtime = {});
    void writeJson(const QString& rel, const Json& json, int ageSeconds = 30);
    QByteArray read(const QString& rel) const;
    Json readJson(const QString& rel) const;
    bool has(const QString& rel) const;
    void remove(const QString& rel);
    void rename(const QString& from, const QString& to);
    /// Every file sync would see (NFC, sorted), without .muze-state and the device list (.muze/devices).
    QStringList files() const;

private:
    World& m_world;
    QString m_name;
    QString m_root;
    RemoteFactory m_factory;
    std::unique_ptr<sync::SyncEngine> m_engine;
};

/// Every device holds the same files with the same bytes.
void requireSameFiles(const std::vector<Device*>& devices);

/// A mix document in the model's shape.
Json mixJson(const QString& id, const QString& name, const QString& modifiedAt, const std::vector<Json>& tracks = {});
Json trackJson(const QString& id, const QString& name, double gain = 0, const QString& modifiedAt = QStringLiteral("2024-01-01T00:00:00.000Z"));

QString timeAt(int day, int hour = 0);

#ifdef MUZE_TEST_CRYPTO
inline constexpr char kTestPassword[] = "correct horse";
/// The keys of the key ring file, unlocked with kTestPassword.
std::shared_ptr<const crypto::UnlockedKeys> keysFrom(const QString& keyRingFile);
/// Device "A" of an encrypted vault: a new key ring (minimum Argon2id limits) and its keys.
std::unique_ptr<Device> encryptedOrigin(World& w);
#endif

} // namespace muze::test
