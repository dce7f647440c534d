// muze-cli sync | status | conflicts | hash — the sync engine from the command line.
#include "cli.h"

#include <muze/remote/contenthash.h>
#include <muze/sync/conflictresolve.h>
#include <muze/sync/conflicts.h>
#include <muze/sync/synccontroller.h>
#include <muze/sync/syncengine.h>
#include <muze/sync/syncsettings.h>
#include <muze/sync/vaultengine.h>
#include <muze/util/clock.h>

#include <muze/crypto/vaultkeys.h>

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <csignal>

namespace muze::cli {

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) { g_stop = 1; }

// The engine for the target vault (sync::makeEngineForVault and its key-ring policy). A vault
// whose keys are not on this device, or whose key ring cannot be trusted, syncs the key ring
// only and says it is locked; keys that fail otherwise are this command's error.
Result<std::unique_ptr<sync::SyncEngine>> engineFor(Context& ctx, const vault::VaultRecord& v)
{
    Result<sync::SyncSettings> settings = sync::SyncSettings::load(v.path);
    if (!settings)
        return settings.error();
    Result<sync::VaultEngine> made = sync::makeEngineForVault(v, *settings, ctx.vaults.device().name, ctx.vaults.device().id);
    if (!made)
        return made.error();
    if (made->keys == sync::KeysState::Failed)
        return made->keysError;
    if (made->keys == sync::KeysState::Untrusted)
        ctx.err << "muze-cli: warning: " << made->keysError.message << Qt::endl; // files wait, as when locked
    return std::move(made->engine);
}

void noteEncryption(Context& ctx, vault::VaultRecord v)
{
    if (!v.encrypted && crypto::isVaultEncrypted(v.path)) {
        v.encrypted = true;
        (void)ctx.vaults.update(v);
    }
}

int printReport(Context& ctx, const vault::VaultRecord& v, const sync::SyncReport& r)
{
    if (ctx.json) {
        Json doc = r.toJson();
        doc["vault"] = toStd(v.name);
        ctx.printJson(doc);
    } else {
        ctx.out << "Synced " << v.name << ": " << r.summary() << Qt::endl;
        for (const QString& n : r.notes)
            ctx.out << "  note: " << n << Qt::endl;
        for (const QString& s : r.skipped)
            ctx.out << "  skipped: " << s << Qt::endl;
        for (const QString& s : r.rejected)
            ctx.out << "  refused remote name: " << s << Qt::endl;
        for (const QString& e : r.errors)
            ctx.out << "  error: " << e << Qt::endl;
        if (r.conflicts)
            ctx.out << "  " << r.conflicts << " conflict(s) recorded: see `muze-cli conflicts`" << Qt::endl;
        ctx.out.flush();
    }
    if (r.massDeleteRefused)
        return ctx.fail(r.message);
    if (!r.message.isEmpty() && !r.converged)
        return ctx.fail(r.message);
    if (!r.converged) {
        if (!r.errors.isEmpty())
            return ctx.fail(QStringLiteral("not converged: %1 error(s), first: %2").arg(r.errors.size()).arg(r.errors.first()));
        return ctx.fail(QStringLiteral("not converged: %1 file(s) skipped this round (%2); run sync again")
                            .arg(r.skipped.size())
                            .arg(r.skipped.value(0)));
    }
    return ExitOk;
}

int syncOnce(Context& ctx, const vault::VaultRecord& v, const sync::SyncOptions& options)
{
    Result<std::unique_ptr<sync::SyncEngine>> engine = engineFor(ctx, v);
    if (!engine)
        return ctx.fail(engine.error());
    (void)ctx.vaults.setSyncState(v.id, vault::SyncStatus::Syncing);
    Result<sync::SyncReport> r = (*engine)->run(options);
    if (!r) {
        const bool offline = r.error().is(errc::offline);
        (void)ctx.vaults.setSyncState(v.id, offline ? vault::SyncStatus::Offline : vault::SyncStatus::Error);
        return ctx.fail(r.error());
    }
    noteEncryption(ctx, v);
    (void)ctx.vaults.setSyncState(v.id, r->converged ? vault::SyncStatus::Synced : vault::SyncStatus::Error,
                                  r->converged ? clock().now() : QDateTime());
    return printReport(ctx, v, *r);
}

int syncWatch(Context& ctx, const vault::VaultRecord& v)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    sync::SyncController controller;
    QObject::connect(&controller, &sync::SyncController::vaultStateChanged, &controller,
                     [&ctx](const QString&, const QString& state, const QString& message) {
                         ctx.out << QDateTime::currentDateTime().toString(Qt::ISODate) << " " << state
                                 << (message.isEmpty() ? QString() : QStringLiteral(": ") + message) << Qt::endl;
                     });
    controller.addVault(v, ctx.vaults.device().name, ctx.vaults.device().id);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [] {
        if (g_stop)
            QCoreApplication::quit();
    });
    poll.start(200);
    QCoreApplication::exec();
    controller.removeVault(v.id);
    return ExitOk;
}

int status(Context& ctx, const vault::VaultRecord& v)
{
    Result<std::unique_ptr<sync::SyncEngine>> engine = engineFor(ctx, v);
    if (!engine)
        return ctx.fail(engine.error());
    Result<std::vector<sync::FileStatus>> files = (*engine)->status();
    if (!files)
        return ctx.fail(files.error());
    if (ctx.json) {
        Json arr = Json::array();
        for (const sync::FileStatus& f : *files)
            arr.push_back({{"path", toStd(f.path)}, {"state", toStd(sync::fileStateName(f.state))}, {"detail", toStd(f.detail)}});
        ctx.printJson(Json{{"vault", toStd(v.name)}, {"files", arr}});
        return ExitOk;
    }
    for (const sync::FileStatus& f : *files) {
        ctx.out << sync::fileStateName(f.state).leftJustified(11) << f.path;
        if (!f.detail.isEmpty())
            ctx.out << "  (" << f.detail << ")";
        ctx.out << "\n";
    }
    ctx.out.flush();
    return ExitOk;
}

QString valueText(const Json& v)
{
    return v.is_string() ? QString::fromStdString(v.get<std::string>()) : QString::fromStdString(v.dump());
}

QString sideText(const QString& device, const QString& time)
{
    return QStringLiteral("%1%2").arg(device.isEmpty() ? QStringLiteral("another device") : device,
                                      time.isEmpty() ? QString() : QStringLiteral(", ") + time);
}

const char* kConflictsUsage = "conflicts | conflicts resolve ID --keep mine|theirs|both|local|remote | "
                              "conflicts resolve --all mine|theirs";

int resolveConflicts(Context& ctx, const vault::VaultRecord& v, QStringList args)
{
    Args a(args);
    const QString keep = a.take(QStringLiteral("--keep"));
    const QString all = a.take(QStringLiteral("--all"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty() || keep.isEmpty() == all.isEmpty()
        || a.rest().size() != (all.isEmpty() ? 1 : 0))
        return ctx.usage(QString::fromLatin1(kConflictsUsage));
    const sync::ConflictResolver resolver(v.path, ctx.vaults.device().name);
    if (!all.isEmpty()) {
        const std::optional<sync::Choice> c = sync::choiceFromName(all);
        if (!c || *c == sync::Choice::Both)
            return ctx.usage(QString::fromLatin1(kConflictsUsage));
        QStringList failures;
        Result<int> n = resolver.resolveAll(*c, &failures);
        if (!n)
            return ctx.fail(n.error());
        for (const QString& f : failures)
            ctx.err << "muze-cli: " << f << "\n";
        if (ctx.json)
            ctx.printJson(Json{{"resolved", *n}, {"keep", toStd(all)}, {"failed", int(failures.size())}});
        else
            ctx.out << "Resolved " << *n << " conflict(s) (kept " << all << "); they reach other devices with the next sync"
                    << Qt::endl;
        return failures.isEmpty() ? ExitOk : ExitUserError;
    }
    const QString id = a.rest().first();
    Status s;
    if (keep == QLatin1String("local") || keep == QLatin1String("remote")) // as the detecting device saw it
        s = sync::ConflictStore(v.path).resolve(id, keep == QLatin1String("local") ? sync::Keep::Local : sync::Keep::Remote);
    else if (const std::optional<sync::Choice> c = sync::choiceFromName(keep))
        s = resolver.resolve(id, *c);
    else
        return ctx.usage(QString::fromLatin1(kConflictsUsage));
    if (!s)
        return ctx.fail(s.error());
    if (ctx.json)
        ctx.printJson(Json{{"resolved", toStd(id)}, {"keep", toStd(keep)}});
    else
        ctx.out << "Resolved " << id << " (kept " << keep << "); it reaches other devices with the next sync" << Qt::endl;
    return ExitOk;
}

int conflicts(Context& ctx, const vault::VaultRecord& v, QStringList args)
{
    if (!args.isEmpty() && args.first() == QLatin1String("resolve")) {
        args.removeFirst();
        return resolveConflicts(ctx, v, args);
    }
    if (!args.isEmpty())
        return ctx.usage(QString::fromLatin1(kConflictsUsage));
    const sync::ConflictResolver resolver(v.path, ctx.vaults.device().name);
    if (Result<int> found = resolver.detect(); !found)
        return ctx.fail(found.error());
    QStringList problems;
    const std::vector<sync::ConflictView> list = resolver.list(&problems);
    if (ctx.json) {
        Json arr = Json::array();
        for (const sync::ConflictView& c : list) {
            // The record as stored (local/remote as the detecting device saw them), plus this
            // device's view: mine/theirs and which one is in use.
            Result<sync::ConflictRecord> rec = sync::ConflictStore(v.path).get(c.id);
            Json j = rec ? rec->toJson() : Json{{"id", toStd(c.id)}, {"kind", toStd(c.kind)}, {"path", toStd(c.path)}};
            j["item"] = toStd(c.item);
            j["mine"] = {{"device", toStd(c.mineDevice)}, {"modified_at", toStd(c.mineTime)}};
            j["theirs"] = {{"device", toStd(c.theirsDevice)}, {"modified_at", toStd(c.theirsTime)}};
            j["in_use"] = c.mineAtPath ? "mine" : "theirs";
            if (c.kind == QLatin1String("field")) {
                j["mine"]["value"] = c.mine;
                j["theirs"]["value"] = c.theirs;
            } else {
                j["mine"]["file"] = toStd(c.minePath);
                j["theirs"]["file"] = toStd(c.theirsPath);
            }
            arr.push_back(j);
        }
        ctx.printJson(Json{{"vault", toStd(v.name)}, {"conflicts", arr}});
        return ExitOk;
    }
    if (list.empty())
        ctx.out << "No conflicts in " << v.name << Qt::endl;
    for (const sync::ConflictView& c : list) {
        ctx.out << c.id << "  " << c.item << "  " << c.path;
        if (c.kind == QLatin1String("field")) {
            ctx.out << "  field " << c.field;
            if (c.base)
                ctx.out << "\n    base: " << valueText(*c.base);
            ctx.out << "\n    mine (" << sideText(c.mineDevice, c.mineTime) << "): " << valueText(c.mine)
                    << "\n    theirs (" << sideText(c.theirsDevice, c.theirsTime) << "): " << valueText(c.theirs);
        } else {
            ctx.out << "\n    mine (" << sideText(c.mineDevice, c.mineTime) << "): " << c.minePath
                    << "\n    theirs (" << sideText(c.theirsDevice, c.theirsTime) << "): " << c.theirsPath;
        }
        ctx.out << "\n    now in use: " << (c.mineAtPath ? "mine" : "theirs") << "\n";
    }
    for (const QString& p : problems)
        ctx.err << "muze-cli: warning: " << p << "\n";
    ctx.out.flush();
    return ExitOk;
}

} // namespace

static int runSync(Context& ctx, const QString& command, QStringList args)
{
    Result<vault::VaultRecord> v = ctx.targetVault();
    if (!v)
        return ctx.fail(v.error());
    if (command == QLatin1String("status")) {
        if (!args.isEmpty())
            return ctx.usage(QStringLiteral("status"));
        return status(ctx, *v);
    }
    if (command == QLatin1String("conflicts"))
        return conflicts(ctx, *v, args);

    Args a(args);
    sync::SyncOptions options;
    const bool once = a.takeFlag(QStringLiteral("--once"));
    const bool watch = a.takeFlag(QStringLiteral("--watch"));
    options.force = a.takeFlag(QStringLiteral("--force"));
    for (QString p = a.take(QStringLiteral("--download")); !p.isEmpty(); p = a.take(QStringLiteral("--download")))
        options.download << p;
    if ((once && watch) || a.missingValue() || !a.rest().isEmpty())
        return ctx.usage(QStringLiteral("sync [--once|--watch] [--force] [--download PATH]"));
    if (watch)
        return syncWatch(ctx, *v);
    return syncOnce(ctx, *v, options);
}

int runReencrypt(Context& ctx, const vault::VaultRecord& v)
{
    sync::SyncOptions options;
    options.rekeyBudget = -1;
    Result<sync::SyncReport> r = makeError(QStringLiteral("not run"));
    // A rotation from another device may arrive during the sync; then the keys in hand are
    // older than the ring's and the engine defers: make the engine again with the new keys.
    for (int attempt = 0; attempt < 2; ++attempt) {
        Result<std::unique_ptr<sync::SyncEngine>> engine = engineFor(ctx, v);
        if (!engine)
            return ctx.fail(engine.error());
        if (!(*engine)->encrypting())
            return ctx.fail(QFile::exists(v.path + QStringLiteral("/.muze/keyring.json"))
                                ? QStringLiteral("vault %1 is locked on this device: run muze-cli keys unlock first").arg(v.name)
                                : QStringLiteral("vault %1 is not encrypted").arg(v.name));
        (void)ctx.vaults.setSyncState(v.id, vault::SyncStatus::Syncing);
        r = (*engine)->run(options);
        if (!r || r->reencryptLeft >= 0)
            break;
    }
    if (!r) {
        (void)ctx.vaults.setSyncState(
            v.id, r.error().is(errc::offline) ? vault::SyncStatus::Offline : vault::SyncStatus::Error);
        return ctx.fail(r.error());
    }
    const bool done = r->reencryptLeft == 0 && r->errors.isEmpty();
    (void)ctx.vaults.setSyncState(v.id, r->converged ? vault::SyncStatus::Synced : vault::SyncStatus::Error,
                                  r->converged ? clock().now() : QDateTime());
    if (ctx.json) {
        Json doc = r->toJson();
        doc["vault"] = toStd(v.name);
        ctx.printJson(doc);
    } else {
        ctx.out << "Re-encrypted " << r->reencrypted << " file(s) of " << v.name << " ("
                << QString::number(double(r->bytesUp) / (1024.0 * 1024.0), 'f', 1) << " MiB up, "
                << QString::number(double(r->bytesDown) / (1024.0 * 1024.0), 'f', 1) << " MiB down)" << Qt::endl;
        if (r->reencryptLeft > 0)
            ctx.out << "  " << r->reencryptLeft << " file(s) still under an older key" << Qt::endl;
        else if (r->reencryptLeft == 0)
            ctx.out << "  every synced file is stored under the active key" << Qt::endl;
        for (const QString& e : r->errors)
            ctx.out << "  error: " << e << Qt::endl;
        ctx.out.flush();
    }
    if (r->reencryptLeft < 0)
        return ctx.fail(QStringLiteral("the key ring kept changing during the sync; run keys reencrypt again"));
    if (!done)
        return ctx.fail(QStringLiteral("%1 file(s) are still stored under an older key; run keys reencrypt again")
                            .arg(std::max(r->reencryptLeft, int(r->errors.size()))));
    return ExitOk;
}

static int runHash(Context& ctx, QStringList args)
{
    if (args.isEmpty() || args.first().startsWith(QLatin1String("--")))
        return ctx.usage(QStringLiteral("hash FILE..."));
    Json arr = Json::array();
    for (const QString& file : args) {
        Result<QString> h = remote::contentHashFile(file);
        if (!h)
            return ctx.fail(h.error());
        if (ctx.json)
            arr.push_back({{"file", toStd(file)}, {"content_hash", toStd(*h)}});
        else
            ctx.out << *h << "  " << file << "\n";
    }
    if (ctx.json)
        ctx.printJson(args.size() == 1 ? arr[0] : arr);
    ctx.out.flush();
    return ExitOk;
}

const Command& syncCommand()
{
    static const Command command{{QStringLiteral("sync"), QStringLiteral("status"), QStringLiteral("conflicts")},
        QStringLiteral("Sync"),
        QStringLiteral(
            "sync [--once|--watch] [--force] | status | conflicts | conflicts resolve ID --keep mine|theirs|both\n"
            "  | conflicts resolve --all mine|theirs\n"),
        [](Context& ctx, const QString& name, QStringList args) { return runSync(ctx, name, std::move(args)); }};
    return command;
}

const Command& hashCommand()
{
    static const Command command{{QStringLiteral("hash")}, QStringLiteral("Sync"),
        QStringLiteral("hash FILE...   (Dropbox content hash)\n"),
        [](Context& ctx, const QString&, QStringList args) { return runHash(ctx, std::move(args)); }};
    return command;
}

} // namespace muze::cli
