#include "devices.h"

#include "catch.h"

#include <muze/remote/folderremote.h>
#include <muze/remote/fsops.h>

#ifdef MUZE_TEST_CRYPTO
#include <muze/crypto/keyring.h>
#endif

#include <QDir>
#include <QFileInfo>
#include <QDirIterator>
#include <QFile>

#include <algorithm>

namespace muze::test {

Device::Device(World& world, QString name, std::unique_ptr<sync::ContentCodec> codec, sync::SyncSettings settings,
               qint64 settleMs, RemoteFactory factory)
    : m_world(world), m_name(std::move(name)), m_root(world.path(QStringLiteral("dev-") + m_name)), m_factory(std::move(factory))
{
    QDir().mkpath(m_root);
    rebuild(std::move(codec), settings, settleMs);
}

void Device::rebuild(std::unique_ptr<sync::ContentCodec> codec, sync::SyncSettings settings, qint64 settleMs)
{
    m_engine.reset();
    const QString cache = m_root + QStringLiteral("/.muze-state/remote");
    std::unique_ptr<remote::RemoteStore> store = m_factory ? m_factory(m_world.remoteDir(), cache)
                                                           : std::make_unique<remote::FolderRemote>(m_world.remoteDir(), cache);
    sync::SyncEngineConfig config{m_root, m_name, settings, settleMs};
    m_engine = std::make_unique<sync::SyncEngine>(config, std::move(store), std::move(codec));
}

Result<sync::SyncReport> Device::trySync(const sync::SyncOptions& options) { return m_engine->run(options); }

sync::SyncReport Device::sync(const sync::SyncOptions& options)
{
    Result<sync::SyncReport> r = m_engine->run(options);
    INFO(m_name.toStdString() << ": " << r.errorString().toStdString());
    REQUIRE(r.ok());
    INFO(m_name.toStdString() << " errors: " << r->errors.join(QStringLiteral("; ")).toStdString());
    CHECK(r->errors.isEmpty());
    return *r;
}

void Device::write(const QString& rel, const QByteArray& data, int ageSeconds, const QDateTime& mtime)
{
    writeAll(abs(rel), data);
    const QDateTime t = mtime.isValid() ? mtime : QDateTime::currentDateTimeUtc().addSecs(-ageSeconds);
    REQUIRE(remote::fs::setMtime(abs(rel), t).ok());
}

void Device::writeJson(const QString& rel, const Json& json, int ageSeconds)
{
    write(rel, dumpJson(json), ageSeconds);
}

QByteArray Device::read(const QString& rel) const { return readAll(abs(rel)); }
Json Device::readJson(const QString& rel) const { return Json::parse(read(rel).toStdString()); }
bool Device::has(const QString& rel) const { return remote::fs::lstatPath(abs(rel)).exists; }

void Device::remove(const QString& rel) { REQUIRE(QFile::remove(abs(rel))); }

void Device::rename(const QString& from, const QString& to)
{
    QDir().mkpath(QFileInfo(abs(to)).absolutePath());
    REQUIRE(QFile::rename(abs(from), abs(to)));
}

QStringList Device::files() const
{
    QStringList out;
    QDirIterator it(m_root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString rel = it.next().mid(m_root.size() + 1);
        if (!rel.startsWith(QLatin1String(".muze-state")) && !rel.startsWith(QLatin1String(".muze/devices")))
            out << remote::fs::nfc(rel);
    }
    std::sort(out.begin(), out.end());
    return out;
}

void requireSameFiles(const std::vector<Device*>& devices)
{
    REQUIRE(devices.size() >= 2);
    const QStringList first = devices[0]->files();
    for (size_t i = 1; i < devices.size(); ++i) {
        INFO(devices[0]->name().toStdString() << ": " << first.join(QStringLiteral(", ")).toStdString());
        INFO(devices[i]->name().toStdString() << ": " << devices[i]->files().join(QStringLiteral(", ")).toStdString());
        REQUIRE(devices[i]->files() == first);
        for (const QString& f : first) {
            INFO(f.toStdString());
            // The same bytes, found through NFC names whatever the disk spelling.
            QString a = devices[0]->abs(f), b = devices[i]->abs(f);
            if (!QFile::exists(a) || !QFile::exists(b))
                continue;
            CHECK(readAll(a) == readAll(b));
        }
    }
}

QString timeAt(int day, int hour) { return QStringLiteral("2024-01-%1T%2:00:00.000Z").arg(day, 2, 10, QLatin1Char('0')).arg(hour, 2, 10, QLatin1Char('0')); }

Json mixJson(const QString& id, const QString& name, const QString& modifiedAt, const std::vector<Json>& tracks)
{
    Json t = Json::array();
    for (const Json& tr : tracks)
        t.push_back(tr);
    return Json{{"format", 1},
                {"id", toStd(id)},
                {"name", toStd(name)},
                {"created_at", "2024-01-01T00:00:00.000Z"},
                {"modified_at", toStd(modifiedAt)},
                {"tempo", 120},
                {"tags", Json::array()},
                {"tracks", t}};
}

Json trackJson(const QString& id, const QString& name, double gain, const QString& modifiedAt)
{
    return Json{{"id", toStd(id)},
                {"name", toStd(name)},
                {"gain_db", gain},
                {"pan", 0},
                {"created_at", "2024-01-01T00:00:00.000Z"},
                {"modified_at", toStd(modifiedAt)}};
}

#ifdef MUZE_TEST_CRYPTO
std::shared_ptr<const crypto::UnlockedKeys> keysFrom(const QString& keyRingFile)
{
    Result<crypto::KeyRing> ring = crypto::KeyRing::load(keyRingFile);
    REQUIRE(ring.ok());
    REQUIRE(ring->unlock(kTestPassword).ok());
    Result<crypto::UnlockedKeys> keys = ring->unlockedKeys();
    REQUIRE(keys.ok());
    return std::make_shared<const crypto::UnlockedKeys>(std::move(*keys));
}

std::unique_ptr<Device> encryptedOrigin(World& w)
{
    Result<crypto::KeyRing> ring = crypto::KeyRing::create(kTestPassword, crypto::KdfParams::minimum());
    REQUIRE(ring.ok());
    const QString file = w.path(QStringLiteral("dev-A/.muze/keyring.json"));
    QDir().mkpath(QFileInfo(file).absolutePath());
    REQUIRE(ring->save(file).ok());
    return std::make_unique<Device>(w, QStringLiteral("A"), sync::makeCipherCodec(keysFrom(file)));
}
#endif

} // namespace muze::test
