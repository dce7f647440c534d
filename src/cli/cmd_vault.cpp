// vault create | list | use | rename | remove
#include "cli.h"

#include <muze/util/fileio.h>

#include <muze/crypto/vaultkeys.h>
#include <muze/remote/dropboxremote.h>

#include <QDir>
#include <QFileInfo>

namespace muze::cli {

namespace {

QString describe(const vault::VaultRecord& r, bool current)
{
    QString line = QStringLiteral("%1 %2  %3  %4  %5  %6")
                       .arg(current ? QStringLiteral("*") : QStringLiteral(" "), r.id, r.name, vault::providerName(r.provider),
                            vault::syncStatusName(r.syncStatus), r.path);
    if (r.isDefault)
        line += QStringLiteral("  (default)");
    if (r.encrypted)
        line += QStringLiteral("  (encrypted)");
    return line;
}

int create(Context& ctx, Args& a)
{
    const QString providerText = a.take(QStringLiteral("--provider"), QStringLiteral("local"));
    vault::VaultSpec spec;
    spec.path = a.take(QStringLiteral("--path"));
    spec.remotePath = a.take(QStringLiteral("--remote"));
    spec.dropboxFolderPath = a.take(QStringLiteral("--dropbox-folder"));
    spec.icloudContainerId = a.take(QStringLiteral("--container-id"));
    spec.makeDefault = a.takeFlag(QStringLiteral("--default"));
    const bool encrypt = a.takeFlag(QStringLiteral("--encrypt"));
    const QString passwordFile = a.take(QStringLiteral("--password-file"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty() || a.rest().size() != 1)
        return ctx.usage(QStringLiteral("vault create NAME --provider local|dropbox|icloud --path DIR [--remote DIR] "
                                        "[--dropbox-folder PATH] [--container-id ID] [--default] [--encrypt --password-file F]"));
    spec.name = a.rest().front();
    const auto provider = vault::providerFromName(providerText);
    if (!provider)
        return ctx.usage(QStringLiteral("--provider must be local, dropbox or icloud"));
    spec.provider = *provider;
    if (spec.path.isEmpty())
        return ctx.usage(QStringLiteral("vault create needs --path DIR"));
    if (encrypt && passwordFile.isEmpty())
        return ctx.usage(QStringLiteral("--encrypt needs --password-file F"));
    if (!spec.remotePath.isEmpty() && spec.provider != vault::Provider::Local)
        return ctx.usage(QStringLiteral("--remote DIR is for local vaults synced to a folder"));

    QByteArray password;
    if (encrypt) {
        auto pw = readFileLimited(passwordFile, 4096);
        if (!pw)
            return ctx.fail(pw.error());
        password = *pw;
        if (password.endsWith('\n'))
            password.chop(1);
        if (password.isEmpty())
            return ctx.fail(QStringLiteral("the password file %1 is empty").arg(passwordFile));
    }

    [[maybe_unused]] const bool folderExisted = QFileInfo::exists(spec.path);
    auto record = ctx.vaults.create(spec);
    if (!record)
        return ctx.fail(record.error());
    if (encrypt) {
        Status s = crypto::initVaultEncryption(record->path, record->id, password);
        if (s) {
            record->encrypted = true;
            s = ctx.vaults.update(*record);
        }
        if (!s) {
            (void)ctx.vaults.remove(record->id, !folderExisted);
            return ctx.fail(s.error());
        }
    }
    if (record->provider == vault::Provider::Dropbox) {
        // The vault is useful offline too: a folder that cannot be made now is made by the first sync.
        if (Status s = remote::ensureDropboxFolder(record->dropboxFolderPath); !s)
            ctx.err << "muze-cli: warning: the Dropbox folder " << record->dropboxFolderPath
                    << " was not created yet (" << s.errorString() << "); the first sync creates it" << Qt::endl;
    }
    if (ctx.json)
        ctx.printJson(record->toJson());
    else
        ctx.out << record->id << Qt::endl;
    return ExitOk;
}

} // namespace

static int runVault(Context& ctx, QStringList args)
{
    if (args.isEmpty())
        return ctx.usage(QStringLiteral("vault create|list|use|rename|remove ..."));
    const QString sub = args.takeFirst();
    Args a(args);
    if (sub == QLatin1String("create"))
        return create(ctx, a);
    if (sub == QLatin1String("list")) {
        if (!a.rest().isEmpty())
            return ctx.usage(QStringLiteral("vault list"));
        if (ctx.json) {
            Json list = Json::array();
            for (const auto& r : ctx.vaults.vaults())
                list.push_back(r.toJson());
            ctx.printJson(Json{{"vaults", list},
                               {"current", ctx.vaults.currentId().isEmpty() ? Json(nullptr) : Json(toStd(ctx.vaults.currentId()))}});
        } else {
            for (const auto& r : ctx.vaults.vaults())
                ctx.out << describe(r, r.id == ctx.vaults.currentId()) << Qt::endl;
        }
        return ExitOk;
    }
    if (sub == QLatin1String("use") || sub == QLatin1String("rename") || sub == QLatin1String("remove")) {
        const bool deleteFiles = sub == QLatin1String("remove") && a.takeFlag(QStringLiteral("--delete-files"));
        const qsizetype want = sub == QLatin1String("rename") ? 2 : 1;
        if (a.rest().size() != want || !a.firstUnknownOption().isEmpty())
            return ctx.usage(sub == QLatin1String("rename") ? QStringLiteral("vault rename NAME|ID NEW")
                                                            : QStringLiteral("vault %1 NAME|ID%2").arg(sub, sub == QLatin1String("remove") ? QStringLiteral(" [--delete-files]") : QString()));
        auto r = ctx.vaults.resolve(a.rest().front());
        if (!r)
            return ctx.fail(r.error());
        Status s = sub == QLatin1String("use")      ? ctx.vaults.setCurrent(r->id)
                   : sub == QLatin1String("rename") ? ctx.vaults.rename(r->id, a.rest().at(1))
                                                    : ctx.vaults.remove(r->id, deleteFiles);
        if (!s)
            return ctx.fail(s.error());
        if (ctx.json)
            ctx.printJson(Json{{"ok", true}, {"id", toStd(r->id)}});
        return ExitOk;
    }
    return ctx.usage(QStringLiteral("unknown vault command \"%1\"").arg(sub));
}

const Command& vaultCommand()
{
    static const Command command{{QStringLiteral("vault")}, QStringLiteral("Vaults"),
        QStringLiteral("vault create NAME --provider local|dropbox|icloud --path DIR [--remote DIR]\n"
                       "             [--dropbox-folder PATH] [--container-id ID] [--default]\n"
                       "             [--encrypt --password-file F]\n"
                       "vault list | vault use NAME|ID | vault rename NAME|ID NEW\n"
                       "vault remove NAME|ID [--delete-files]\n"),
        [](Context& ctx, const QString&, QStringList args) { return runVault(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
