#include "devices.h"

#include "catch.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace muze::test::dropbox {

ProcessResult Device::cli(const QStringList& args, int timeoutMs) const
{
    return run(builtBinary(QStringLiteral("muze-cli")), QStringList{QStringLiteral("--config-dir"), config} + args, {},
               timeoutMs, env);
}

Device makeDevice(const Emulator& emu, const TempDir& dir, const QString& name, const QStringList& extra,
                  const QStringList& env)
{
    Device d{name, dir.filePath(name + QStringLiteral("-config")), dir.filePath(name + QStringLiteral("-vault")),
             emu.env()};
    // Small upload sessions so a take goes through start/append/finish; no settle delay.
    d.env << QStringLiteral("MUZE_SYNC_SETTLE_MS=0") << QStringLiteral("MUZE_DROPBOX_SESSION_THRESHOLD=65536")
          << QStringLiteral("MUZE_DROPBOX_CHUNK_SIZE=50000") << QStringLiteral("MUZE_DROPBOX_BACKOFF_MS=50");
    d.env << env; // later entries win
    auto r = d.cli(QStringList{QStringLiteral("vault"), QStringLiteral("create"), QStringLiteral("Band"),
                               QStringLiteral("--provider"), QStringLiteral("dropbox"), QStringLiteral("--path"), d.vault,
                               QStringLiteral("--dropbox-folder"), QStringLiteral("/Apps/Muze/Band")}
                   + extra);
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(!r.err.contains("warning")); // the Dropbox folder was made
    writeAll(d.config + QStringLiteral("/device.json"),
             QStringLiteral("{\"id\":\"%1\",\"name\":\"%2\"}").arg(name.toLower() + QStringLiteral("0000dev"), name).toUtf8());
    return d;
}

QString idOf(const ProcessResult& r) { return QString::fromUtf8(r.out).trimmed(); }

void sync(const Device& d)
{
    auto r = d.cli({QStringLiteral("sync")});
    INFO(d.name.toStdString() << ": " << r.err.toStdString() << r.out.toStdString());
    REQUIRE(r.exitCode == 0);
}

Band makeBand(const Device& a, const TempDir& dir, const QByteArray& take)
{
    Band b;
    auto r = a.cli({QStringLiteral("collection"), QStringLiteral("add"), QStringLiteral("Songs")});
    REQUIRE(r.exitCode == 0);
    b.cid = idOf(r);
    r = a.cli({QStringLiteral("project"), QStringLiteral("add"), b.cid, QStringLiteral("Demo")});
    REQUIRE(r.exitCode == 0);
    b.pid = idOf(r);
    r = a.cli({QStringLiteral("mix"), QStringLiteral("add"), b.pid, QStringLiteral("Main")});
    REQUIRE(r.exitCode == 0);
    b.mid = idOf(r);
    b.take = take.isEmpty() ? makeWav(48000, 2, 16, 48000) : take; // 192 kB: an upload session of four requests
    writeAll(dir.filePath(QStringLiteral("take.wav")), b.take);
    r = a.cli({QStringLiteral("track"), QStringLiteral("import"), b.mid, dir.filePath(QStringLiteral("take.wav"))});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    b.mixFile = QStringLiteral("collections/%1/projects/%2/mixes/%3.json").arg(b.cid, b.pid, b.mid);
    return b;
}

QMap<QString, QByteArray> syncedFiles(const Device& d)
{
    QMap<QString, QByteArray> out;
    QDir root(d.vault);
    QList<QString> stack = {QString()};
    while (!stack.isEmpty()) {
        const QString rel = stack.takeLast();
        for (const QFileInfo& fi : QDir(root.filePath(rel)).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
            const QString child = rel.isEmpty() ? fi.fileName() : rel + QLatin1Char('/') + fi.fileName();
            if (child.startsWith(QLatin1String(".muze-state")) || child.startsWith(QLatin1String(".muze/local"))
                || child.startsWith(QLatin1String(".muze/devices"))) // each device's own record
                continue;
            if (fi.isDir())
                stack << child;
            else
                out.insert(child, readAll(fi.filePath()));
        }
    }
    return out;
}

ProcessResult sdk(const Emulator& emu, const QString& token, const QString& script)
{
    QStringList env = emu.env();
    env << QStringLiteral("TOKEN=") + token;
    const QString host = QUrl(emu.baseUrl()).authority();
    for (const char* name : {"DROPBOX_API_HOST", "DROPBOX_API_CONTENT_HOST", "DROPBOX_API_NOTIFY_HOST", "DROPBOX_WEB_HOST"})
        env << QString::fromLatin1(name) + QLatin1Char('=') + host;
    env << QStringLiteral("REQUESTS_CA_BUNDLE=") + emu.caCert();
    return run(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script}, {}, 60000, env);
}

Json sdkFiles(const Emulator& emu, const QString& token)
{
    auto listed = sdk(emu, token, QStringLiteral(R"PY(
import json, os, dropbox
dbx = dropbox.Dropbox(oauth2_access_token=os.environ["TOKEN"])
res = dbx.files_list_folder("/apps/muze/band", recursive=True)
out = {}
while True:
    for e in res.entries:
        if isinstance(e, dropbox.files.FileMetadata):
            out[e.path_display[len("/apps/muze/band/"):]] = [e.id, e.content_hash]
    if not res.has_more:
        break
    res = dbx.files_list_folder_continue(res.cursor)
print(json.dumps(out))
)PY"));
    INFO(listed.err.toStdString());
    REQUIRE(listed.exitCode == 0);
    return Json::parse(listed.out.toStdString());
}

} // namespace muze::test::dropbox
