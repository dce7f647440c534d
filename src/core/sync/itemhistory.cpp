#include <muze/sync/itemhistory.h>

#include <muze/model/layout.h>
#include <muze/sync/remotefactory.h>
#include <muze/vault/devicelist.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>

namespace muze::sync {

Result<HistoryAccess> HistoryAccess::open(const vault::VaultRecord& vault)
{
    HistoryAccess a;
    a.vault = vault;
    Result<std::unique_ptr<remote::RemoteStore>> store = sync::createRemote(a.vault);
    if (!store)
        return store.error();
    a.store = std::move(*store);
    Result<std::unique_ptr<remote::RemoteHistory>> history = remote::openHistory(*a.store);
    if (!history)
        return history.error();
    a.history = std::move(*history);
    Result<std::unique_ptr<sync::ContentCodec>> codec = sync::makeCodecForVault(a.vault);
    if (!codec) {
        if (codec.error().is(errc::locked))
            return makeError(
                QStringLiteral("vault %1 is locked on this device: run muze-cli keys unlock first").arg(a.vault.name),
                errc::locked);
        return codec.error();
    }
    a.codec = std::move(*codec);
    return a;
}

Result<QByteArray> HistoryAccess::fetch(const QString& path, const QString& rev) const
{
    QBuffer stored;
    stored.open(QIODevice::WriteOnly);
    if (Status s = history->downloadVersion(path, rev, stored); !s)
        return s.error();
    stored.close();
    stored.open(QIODevice::ReadOnly);
    QBuffer plain;
    plain.open(QIODevice::WriteOnly);
    if (Status s = codec->decode(stored, plain, path); !s)
        return makeError(
            QStringLiteral("version %1 of %2 cannot be read: %3").arg(rev, path, s.errorString()), s.error().code);
    return plain.data();
}

Status HistoryAccess::fetchTo(const QString& path, const QString& rev, const QString& targetRelPath) const
{
    const QString tmpDir = QDir(vault.path).filePath(model::kLocalStateDir + QStringLiteral("/tmp"));
    if (!QDir().mkpath(tmpDir))
        return makeError(QStringLiteral("Cannot create %1").arg(tmpDir), errc::io);
    const QString storedPath = tmpDir + QStringLiteral("/history-") + newId() + QStringLiteral(".stored");
    const QString plainPath = tmpDir + QStringLiteral("/history-") + newId() + QStringLiteral(".plain");
    auto cleanup = [&] {
        QFile::remove(storedPath);
        QFile::remove(plainPath);
    };
    QFile stored(storedPath);
    if (!stored.open(QIODevice::WriteOnly))
        return makeError(QStringLiteral("Cannot write %1").arg(storedPath), errc::io);
    Status got = history->downloadVersion(path, rev, stored);
    stored.close();
    if (!got) {
        cleanup();
        return got;
    }
    QFile in(storedPath);
    QFile out(plainPath);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly)) {
        cleanup();
        return makeError(QStringLiteral("Cannot write %1").arg(plainPath), errc::io);
    }
    Status decoded = codec->decode(in, out, path);
    in.close();
    if (decoded && !out.flush())
        decoded = makeError(QStringLiteral("Cannot write %1").arg(plainPath), errc::io);
    out.close();
    if (!decoded) {
        cleanup();
        return makeError(QStringLiteral("version %1 of %2 cannot be read: %3").arg(rev, path, decoded.errorString()),
            decoded.error().code);
    }
    const QString target = QDir(vault.path).filePath(targetRelPath);
    QDir().mkpath(QFileInfo(target).absolutePath());
    const bool moved = QFile::remove(target) || !QFile::exists(target);
    if (!moved || !QFile::rename(plainPath, target)) {
        cleanup();
        return makeError(QStringLiteral("Cannot put the restored file at %1").arg(target), errc::io);
    }
    cleanup();
    return {};
}

Status HistoryAccess::fetchNewest(const QString& path, const QString& targetRelPath) const
{
    Result<std::vector<remote::RemoteVersion>> versions = history->listVersions(path);
    if (!versions)
        return versions.error();
    return fetchTo(path, versions->back().rev, targetRelPath);
}

Result<Json> HistoryAccess::fetchJson(const QString& path, const QString& rev) const
{
    Result<QByteArray> bytes = fetch(path, rev);
    if (!bytes)
        return bytes.error();
    Result<Json> doc = parseJson(*bytes, path);
    if (doc && !doc->is_object())
        return makeError(QStringLiteral("version %1 of %2 is not a JSON object").arg(rev, path), errc::corrupt);
    return doc;
}

Result<std::vector<ItemVersion>> HistoryAccess::versions(const QString& path) const
{
    auto metas = history->listVersions(path);
    if (!metas)
        return metas.error();
    std::vector<ItemVersion> out;
    Json previous;
    QHash<QString, QString> names; // device id → name, from .muze/devices (vault/devicelist.h)
    if (Result<QList<vault::DeviceRecord>> devices = vault::listDevices(vault.path); devices)
        for (const vault::DeviceRecord& d : *devices)
            names.insert(d.id, d.name);
    for (const remote::RemoteVersion& m : *metas) {
        ItemVersion v;
        v.meta = m;
        v.number = int(out.size()) + 1;
        Result<Json> doc = fetchJson(path, m.rev);
        if (doc) {
            v.doc = *doc;
            v.changes = model::diffVersions(previous, v.doc);
            v.device = jsonString(v.doc, "modified_by");
            v.deviceName = names.value(v.device);
            previous = v.doc;
        } else {
            v.problem = doc.errorString();
        }
        out.push_back(std::move(v));
    }
    return out;
}

QString shortTime(const QDateTime& t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("—");
}

QStringList takePaths(const QString& mixFile, const Json& mix)
{
    // <project>/mixes/<mid>.json → <project>/audio/<tid>.wav (docs/ARCHITECTURE.md "Files of a vault")
    const QString project = mixFile.section(QLatin1Char('/'), 0, -3);
    QStringList out;
    const auto tracks = mix.find("tracks");
    if (tracks == mix.end() || !tracks->is_array())
        return out;
    for (const Json& t : *tracks) {
        const QString id = jsonString(t, "id");
        if (isValidId(id))
            out << project + QStringLiteral("/audio/") + id + QStringLiteral(".wav");
    }
    return out;
}

} // namespace muze::sync
