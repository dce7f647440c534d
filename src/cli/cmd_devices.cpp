// devices | devices rename NAME | devices unlink ID|NAME --password-file F --new-password-file NEW
// The vault's device list (vault/devicelist.h) and unlinking (sync/deviceunlink.h).
#include "cli.h"

#include <muze/sync/deviceunlink.h>
#include <muze/util/clock.h>
#include <muze/vault/devicelist.h>

#include <muze/crypto/secretbytes.h>

namespace muze::cli {

namespace {

const char* kDevicesUsage
    = "devices | devices rename NAME | devices unlink ID|NAME --password-file F --new-password-file NEW";

QString when(const QDateTime& t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QStringLiteral("never");
}

void wipePassword(QByteArray& pw)
{
    crypto::wipe(pw);
}

int list(Context& ctx, const vault::VaultRecord& v)
{
    Result<QList<vault::DeviceRecord>> devices = vault::listDevices(v.path);
    if (!devices)
        return ctx.fail(devices.error());
    const QString self = ctx.vaults.device().id;
    if (ctx.json) {
        Json arr = Json::array();
        for (const vault::DeviceRecord& d : *devices) {
            Json j = d.toJson();
            j["this_device"] = d.id == self;
            arr.push_back(j);
        }
        ctx.printJson(
            Json{{"vault", toStd(v.name)}, {"vault_id", toStd(v.id)}, {"this_device", toStd(self)}, {"devices", arr}});
        return ExitOk;
    }
    if (devices->isEmpty()) {
        ctx.out << "no device has synced " << v.name << " yet (a device is listed from its first sync)" << Qt::endl;
        return ExitOk;
    }
    ctx.out << "devices of " << v.name << ":" << Qt::endl;
    for (const vault::DeviceRecord& d : *devices) {
        QString line = QStringLiteral("%1 %2  %3  %4  last seen %5")
                           .arg(d.id == self ? QStringLiteral("*") : QStringLiteral(" "), d.name, d.id, d.platform,
                               when(d.lastSeen));
        if (d.id == self)
            line += QStringLiteral("  (this device)");
        if (d.unlinked)
            line += QStringLiteral("  UNLINKED %1").arg(when(d.unlinkedAt));
        ctx.out << line << Qt::endl;
    }
    return ExitOk;
}

int rename(Context& ctx, const vault::VaultRecord& target, const QString& name)
{
    if (Status s = ctx.vaults.setDeviceName(name); !s)
        return ctx.fail(s.error());
    const vault::DeviceInfo& self = ctx.vaults.device();
    // The name lives in device.json; every vault this device has synced carries a copy in its
    // device list, rewritten here so the list says the new name before the next sync.
    for (const vault::VaultRecord& v : ctx.vaults.vaults()) {
        const bool listed = vault::readDevice(v.path, self.id).ok();
        if (v.id != target.id && !listed)
            continue;
        if (Status s = vault::renameDeviceRecord(v.path, self); !s)
            return ctx.fail(
                QStringLiteral("renamed, but the device list of %1 was not updated: %2").arg(v.name, s.errorString()));
    }
    if (ctx.json) {
        ctx.printJson(Json{{"id", toStd(self.id)}, {"name", toStd(self.name)}});
        return ExitOk;
    }
    ctx.out << "this device is now called " << self.name << " (other devices see it after the next sync)" << Qt::endl;
    return ExitOk;
}

int unlink(
    Context& ctx, const vault::VaultRecord& v, const QString& ref, const QString& pwFile, const QString& newPwFile)
{
    Result<QByteArray> pw = readPasswordFile(pwFile);
    if (!pw)
        return ctx.fail(pw.error());
    Result<QByteArray> newPw = readPasswordFile(newPwFile);
    if (!newPw) {
        wipePassword(pw.value());
        return ctx.fail(newPw.error());
    }
    Result<sync::UnlinkResult> r = sync::unlinkDevice(v, ctx.vaults.device(), ref, *pw, *newPw);
    wipePassword(pw.value());
    wipePassword(newPw.value());
    if (!r)
        return ctx.fail(r.error());
    if (ctx.json) {
        ctx.printJson(Json{{"unlinked", r->device.toJson()}, {"new_key_id", r->newKeyId}});
        return ExitOk;
    }
    ctx.out << "unlinked " << r->device.name << " (" << r->device.id
            << "): the password changed and new files use a new "
            << "key (" << r->newKeyId << ")." << Qt::endl
            << r->device.name << " keeps only what it already has: the files on its disk stay readable there, but it "
            << "cannot open anything written from now on. Older files move to the new key as Muze syncs "
            << "(muze-cli keys reencrypt does it now). Your other devices need the new password (muze-cli keys unlock)."
            << Qt::endl;
    return ExitOk;
}

} // namespace

static int runDevices(Context& ctx, QStringList args)
{
    const QString command = args.isEmpty() ? QString() : args.takeFirst();
    Args a(args);
    const QString pwFile = a.take(QStringLiteral("--password-file"));
    const QString newPwFile = a.take(QStringLiteral("--new-password-file"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty())
        return ctx.usage(QString::fromLatin1(kDevicesUsage));
    const QStringList rest = a.rest();
    const bool unlinking = command == QLatin1String("unlink");
    if (!unlinking && (!pwFile.isEmpty() || !newPwFile.isEmpty()))
        return ctx.usage(QStringLiteral("only devices unlink takes passwords"));
    if (command.isEmpty() || command == QLatin1String("list")) {
        if (!rest.isEmpty())
            return ctx.usage(QString::fromLatin1(kDevicesUsage));
    } else if (command == QLatin1String("rename")) {
        if (rest.size() != 1 || rest.front().trimmed().isEmpty())
            return ctx.usage(QStringLiteral("devices rename NAME (this device's name, in quotes if it has spaces)"));
    } else if (unlinking) {
        if (rest.size() != 1 || pwFile.isEmpty() || newPwFile.isEmpty())
            return ctx.usage(QStringLiteral("devices unlink ID|NAME --password-file F --new-password-file NEW"));
    } else {
        return ctx.usage(QString::fromLatin1(kDevicesUsage));
    }

    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    if (command == QLatin1String("rename"))
        return rename(ctx, *v, rest.front().trimmed());
    if (unlinking)
        return unlink(ctx, *v, rest.front(), pwFile, newPwFile);
    return list(ctx, *v);
}

const Command& devicesCommand()
{
    static const Command command{{QStringLiteral("devices")}, QStringLiteral("Devices"),
        QStringLiteral("devices | devices rename NAME\n"
                       "devices unlink ID|NAME --password-file F --new-password-file NEW   (encrypted vaults)\n"),
        [](Context& ctx, const QString&, QStringList args) { return runDevices(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
