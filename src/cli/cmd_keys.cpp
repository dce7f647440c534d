// keys init | unlock | lock | change-password | rotate | status — the vault's key ring (crypto).
#include "cli.h"

#include <muze/crypto/vaultkeys.h>
#include <muze/util/fileio.h>

#include <muze/sync/syncengine.h>

#include <optional>

namespace muze::cli {

namespace {

const char* kKeysUsage = "keys init --password-file F | keys unlock --password-file F | keys lock | "
                         "keys change-password --password-file OLD --new-password-file NEW | keys rotate | keys reencrypt | "
                         "keys status";

int printStatus(Context& ctx, const vault::VaultRecord& record, const QString& done = {})
{
    auto status = crypto::vaultKeyStatus(record.path, record.id);
    if (!status)
        return ctx.fail(status.error());
    std::optional<sync::KeyUsage> usage;
    if (status->encrypted && status->unlocked) {
        Result<sync::KeyUsage> u = sync::storedKeyUsage(record.path, status->activeKeyId);
        if (!u)
            return ctx.fail(u.error());
        usage = *u;
    }
    if (ctx.json) {
        Json doc = status->toJson();
        doc["name"] = toStd(record.name);
        if (usage) {
            doc["files_on_older_keys"] = usage->older;
            doc["files_key_unknown"] = usage->unknown;
        }
        ctx.printJson(doc);
        return ExitOk;
    }
    if (!done.isEmpty())
        ctx.out << done << Qt::endl;
    if (!status->encrypted) {
        ctx.out << "vault " << record.name << " is not encrypted" << Qt::endl;
        return ExitOk;
    }
    QStringList ids;
    for (quint32 id : status->keyIds)
        ids << QString::number(id);
    ctx.out << "vault " << record.name << " (" << record.id << "): encrypted, "
            << (status->unlocked ? "unlocked on this device" : "locked on this device") << Qt::endl;
    ctx.out << "active key: " << status->activeKeyId << "  keys: " << ids.join(QStringLiteral(", ")) << Qt::endl;
    ctx.out << "password hash: argon2id, " << status->kdf.opsLimit << " passes, " << (status->kdf.memLimit >> 20) << " MiB"
            << Qt::endl;
    if (usage && usage->older > 0)
        ctx.out << "files stored under an older key: " << usage->older << " (muze-cli keys reencrypt moves them now; "
                << "the app does it gradually)" << Qt::endl;
    if (status->passwordChangedElsewhere)
        ctx.out << "the password was changed on another device: this device keeps using the keys it has; "
                   "keys unlock with the new password picks up the rest" << Qt::endl;
    if (!status->unlocked)
        ctx.out << status->lockedReason << Qt::endl;
    return ExitOk;
}

} // namespace

static int runKeys(Context& ctx, QStringList args)
{
    if (args.isEmpty())
        return ctx.usage(QString::fromLatin1(kKeysUsage));
    const QString command = args.takeFirst();
    Args a(args);
    const QString passwordFile = a.take(QStringLiteral("--password-file"));
    const QString newPasswordFile = a.take(QStringLiteral("--new-password-file"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty() || !a.rest().isEmpty())
        return ctx.usage(QString::fromLatin1(kKeysUsage));
    const bool needsPassword = command == QLatin1String("init") || command == QLatin1String("unlock")
        || command == QLatin1String("change-password");
    if (needsPassword && passwordFile.isEmpty())
        return ctx.usage(QStringLiteral("keys %1 needs --password-file F").arg(command));
    if (!needsPassword && !passwordFile.isEmpty())
        return ctx.usage(QStringLiteral("keys %1 takes no password").arg(command));
    if ((command == QLatin1String("change-password")) != !newPasswordFile.isEmpty())
        return ctx.usage(QStringLiteral("keys change-password --password-file OLD --new-password-file NEW"));

    auto record = ctx.targetVault();
    if (!record)
        return ctx.fail(record.error());
    QByteArray password;
    if (needsPassword) {
        auto pw = readPasswordFile(passwordFile);
        if (!pw)
            return ctx.fail(pw.error());
        password = std::move(pw.value());
    }

    Status s;
    QString done;
    if (command == QLatin1String("init")) {
        s = crypto::initVaultEncryption(record->path, record->id, password);
        if (s && !record->encrypted) {
            record->encrypted = true;
            s = ctx.vaults.update(*record);
        }
        done = QStringLiteral("encrypted; this device keeps the key in the OS keychain");
    } else if (command == QLatin1String("unlock")) {
        bool repaired = false;
        s = crypto::unlockVault(record->path, record->id, password, crypto::MasterKeyStore(), &repaired);
        done = repaired ? QStringLiteral("unlocked; the key ring had been modified without the password and was repaired")
                        : QStringLiteral("unlocked");
    } else if (command == QLatin1String("lock")) {
        s = crypto::lockVault(record->id);
        done = QStringLiteral("locked: this device forgot the vault's keys");
    } else if (command == QLatin1String("change-password")) {
        auto newPw = readPasswordFile(newPasswordFile);
        if (!newPw) {
            crypto::wipe(password);
            return ctx.fail(newPw.error());
        }
        s = crypto::changeVaultPassword(record->path, record->id, password, *newPw);
        crypto::wipe(newPw.value());
        done = QStringLiteral("password changed (no file needed re-encrypting)");
    } else if (command == QLatin1String("rotate")) {
        auto id = crypto::rotateVaultKey(record->path, record->id);
        if (!id)
            s = id.error();
        else
            done = QStringLiteral("new active key %1: files move to it as they are next written; "
                                  "muze-cli keys reencrypt moves the rest now")
                       .arg(*id);
    } else if (command == QLatin1String("reencrypt")) {
        return runReencrypt(ctx, *record);
    } else if (command == QLatin1String("status")) {
        return printStatus(ctx, *record);
    } else {
        return ctx.usage(QString::fromLatin1(kKeysUsage));
    }
    crypto::wipe(password);
    if (!s)
        return ctx.fail(s.error());
    return printStatus(ctx, *record, done);
}

const Command& keysCommand()
{
    static const Command command{{QStringLiteral("keys")}, QStringLiteral("Encryption"),
        QStringLiteral("keys init|unlock --password-file F | keys change-password --password-file OLD\n"
                       "  --new-password-file NEW | keys rotate | keys reencrypt | keys status | keys lock\n"),
        [](Context& ctx, const QString&, QStringList args) { return runKeys(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
