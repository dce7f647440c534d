#include <muze/vault/devicelist.h>

#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFileInfo>
#include <QSysInfo>

#include <algorithm>

namespace muze::vault {

namespace {

constexpr int kDeviceFormat = 1;
constexpr qint64 kMaxDeviceFileBytes = 64 * 1024;

QString absPath(const QString& root, const QString& deviceId)
{
    return root + QLatin1Char('/') + deviceFilePath(deviceId);
}

QDateTime timeField(const Json& j, const char* key)
{
    return parseIsoTimestamp(jsonString(j, key));
}

DeviceRecord fromJson(const Json& j)
{
    DeviceRecord d;
    d.id = jsonString(j, "id");
    d.name = jsonString(j, "name");
    d.platform = jsonString(j, "platform");
    d.firstSeen = timeField(j, "first_seen");
    d.lastSeen = timeField(j, "last_seen");
    d.unlinked = jsonBool(j, "unlinked");
    d.unlinkedAt = timeField(j, "unlinked_at");
    d.unlinkedBy = jsonString(j, "unlinked_by");
    return d;
}

// The whole object (unknown fields kept), or "not_found".
Result<Json> readObject(const QString& root, const QString& deviceId)
{
    if (!isValidId(deviceId))
        return makeError(QStringLiteral("\"%1\" is not a device id").arg(deviceId), errc::bad_value);
    const QString path = absPath(root, deviceId);
    if (!QFileInfo::exists(path))
        return makeError(QStringLiteral("no device %1 in this vault").arg(deviceId), errc::not_found);
    Result<QByteArray> bytes = readFileLimited(path, kMaxDeviceFileBytes);
    if (!bytes)
        return bytes.error();
    Result<Json> j = parseJson(*bytes, path);
    if (!j)
        return j.error();
    if (!j->is_object() || jsonString(*j, "id") != deviceId)
        return makeError(QStringLiteral("%1 is not a device record").arg(path), errc::corrupt_json);
    return j;
}

Status writeObject(const QString& root, const QString& deviceId, Json& j)
{
    if (!QFileInfo(root).isDir()) // a vault on a disk that is not mounted: never make its folder
        return makeError(QStringLiteral("The vault folder %1 is missing").arg(root), errc::io);
    const QString now = isoTimestamp(clock().now());
    j["format"] = kDeviceFormat;
    j["id"] = toStd(deviceId);
    if (!j.contains("created_at"))
        j["created_at"] = toStd(now);
    j["modified_at"] = toStd(now);
    const QString path = absPath(root, deviceId);
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("Cannot create %1").arg(QFileInfo(path).absolutePath()), errc::io);
    return writeJsonFile(path, j);
}

// The record to start from: the existing file, or a new one (also when the old one is unreadable,
// which a rewrite repairs).
Json existingOrNew(const QString& root, const DeviceInfo& device, bool* existed)
{
    Result<Json> j = readObject(root, device.id);
    *existed = j.ok();
    if (j)
        return *j;
    const QString now = isoTimestamp(clock().now());
    return Json{{"format", kDeviceFormat}, {"id", toStd(device.id)}, {"name", toStd(device.name)},
        {"platform", toStd(currentPlatform())}, {"created_at", toStd(now)}, {"modified_at", toStd(now)},
        {"first_seen", toStd(now)}, {"last_seen", toStd(now)}, {"unlinked", false}};
}

} // namespace

QString deviceFilePath(const QString& deviceId)
{
    return kDevicesDir + QLatin1Char('/') + deviceId + QStringLiteral(".json");
}

Json DeviceRecord::toJson() const
{
    auto time = [](const QDateTime& t) { return t.isValid() ? Json(toStd(isoTimestamp(t))) : Json(nullptr); };
    return Json{{"id", toStd(id)}, {"name", toStd(name)}, {"platform", toStd(platform)},
        {"first_seen", time(firstSeen)}, {"last_seen", time(lastSeen)}, {"unlinked", unlinked},
        {"unlinked_at", time(unlinkedAt)},
        {"unlinked_by", unlinkedBy.isEmpty() ? Json(nullptr) : Json(toStd(unlinkedBy))}};
}

QString currentPlatform()
{
    const QString product = QSysInfo::prettyProductName();
    QString kernel = QSysInfo::kernelType();
    if (!kernel.isEmpty())
        kernel[0] = kernel[0].toUpper();
    if (product.isEmpty() || product.startsWith(kernel, Qt::CaseInsensitive) || product.startsWith(QLatin1String("mac"))
        || product.startsWith(QLatin1String("Windows")))
        return product.isEmpty() ? kernel : product;
    return QStringLiteral("%1 (%2)").arg(kernel, product);
}

Result<QList<DeviceRecord>> listDevices(const QString& vaultRoot)
{
    QList<DeviceRecord> out;
    const QDir dir(vaultRoot + QLatin1Char('/') + kDevicesDir);
    if (!dir.exists())
        return out;
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& file : names) {
        const QString id = file.chopped(5);
        Result<Json> j = readObject(vaultRoot, id);
        if (!j)
            continue; // a conflicted copy or a damaged file: not a device
        out << fromJson(*j);
    }
    std::stable_sort(
        out.begin(), out.end(), [](const DeviceRecord& a, const DeviceRecord& b) { return a.lastSeen > b.lastSeen; });
    return out;
}

Result<DeviceRecord> readDevice(const QString& vaultRoot, const QString& deviceId)
{
    Result<Json> j = readObject(vaultRoot, deviceId);
    if (!j)
        return j.error();
    return fromJson(*j);
}

Result<DeviceRecord> findDevice(const QList<DeviceRecord>& devices, const QString& ref)
{
    const QString r = ref.trimmed();
    if (r.isEmpty())
        return makeError(QStringLiteral("which device? give its id or name"), errc::bad_value);
    for (const DeviceRecord& d : devices) {
        if (d.id == r)
            return d;
    }
    QList<DeviceRecord> hits;
    for (const DeviceRecord& d : devices) {
        if (d.name.compare(r, Qt::CaseInsensitive) == 0 || (r.size() >= 4 && d.id.startsWith(r)))
            hits << d;
    }
    if (hits.size() == 1)
        return hits.front();
    if (hits.isEmpty())
        return makeError(QStringLiteral("no device \"%1\" has synced this vault (muze-cli devices lists them)").arg(r),
            errc::not_found);
    return makeError(
        QStringLiteral("\"%1\" names %2 devices: give the device id").arg(r).arg(hits.size()), errc::ambiguous);
}

Status recordDeviceSeen(const QString& vaultRoot, const DeviceInfo& device, bool* written)
{
    if (written)
        *written = false;
    if (!isValidId(device.id))
        return makeError(QStringLiteral("\"%1\" is not a device id").arg(device.id), errc::bad_value);
    bool existed = false;
    Json j = existingOrNew(vaultRoot, device, &existed);
    const QDateTime now = clock().now();
    const QString platform = currentPlatform();
    const QDateTime lastSeen = timeField(j, "last_seen");
    const bool fresh = lastSeen.isValid() && lastSeen <= now && lastSeen.secsTo(now) < kLastSeenRefreshSecs;
    if (existed && fresh && jsonString(j, "platform") == platform)
        return {};
    if (jsonString(j, "name").isEmpty())
        j["name"] = toStd(device.name);
    j["platform"] = toStd(platform);
    j["last_seen"] = toStd(isoTimestamp(now));
    if (!timeField(j, "first_seen").isValid())
        j["first_seen"] = toStd(isoTimestamp(now));
    if (Status s = writeObject(vaultRoot, device.id, j); !s)
        return s;
    if (written)
        *written = true;
    return {};
}

Status renameDeviceRecord(const QString& vaultRoot, const DeviceInfo& device)
{
    if (device.name.trimmed().isEmpty())
        return makeError(QStringLiteral("a device needs a name"), errc::bad_value);
    if (!isValidId(device.id))
        return makeError(QStringLiteral("\"%1\" is not a device id").arg(device.id), errc::bad_value);
    bool existed = false;
    Json j = existingOrNew(vaultRoot, device, &existed);
    j["name"] = toStd(device.name.trimmed());
    return writeObject(vaultRoot, device.id, j);
}

Status markDeviceUnlinked(const QString& vaultRoot, const QString& deviceId, const QString& byDeviceId)
{
    Result<Json> j = readObject(vaultRoot, deviceId);
    if (!j)
        return j.error();
    (*j)["unlinked"] = true;
    (*j)["unlinked_at"] = toStd(isoTimestamp(clock().now()));
    (*j)["unlinked_by"] = toStd(byDeviceId);
    return writeObject(vaultRoot, deviceId, *j);
}

} // namespace muze::vault
