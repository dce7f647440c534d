// Restoring a version of an item (docs/FORMAT.md §7.4): `muze-cli history restore` and the
// History panel's Restore / Restore as a copy.
#include <muze/sync/itemrestore.h>

#include <muze/model/layout.h>
#include <muze/model/writer.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <map>

namespace muze::sync {

const ItemVersion* pickVersion(const std::vector<ItemVersion>& versions, const QString& which)
{
    bool isNumber = false;
    const int n = which.toInt(&isNumber);
    for (const ItemVersion& v : versions) {
        if ((isNumber && v.number == n) || v.meta.rev == which)
            return &v;
    }
    return nullptr;
}

Result<ItemVersion> loadVersion(const HistoryAccess& access, const model::ItemRef& item, const QString& which)
{
    auto versions = access.versions(item.file);
    if (!versions)
        return versions.error();
    const ItemVersion* v = pickVersion(*versions, which);
    if (!v)
        return makeError(
            QStringLiteral("%1 has no version %2 (see muze-cli history %3)").arg(item.name, which, item.id),
            errc::not_found);
    if (!v->problem.isEmpty())
        return makeError(v->problem, errc::corrupt);
    return *v;
}

namespace {

// The takes a restored mix needs that are not in the vault: fetched from the remote's history.
Status fetchMissingTakes(const HistoryAccess& access, const QString& mixFile, const Json& mix,
    const QString& targetMixFile, std::map<QString, QString>* renamedTakes = nullptr)
{
    const QStringList sources = takePaths(mixFile, mix);
    const QStringList targets = takePaths(targetMixFile, mix);
    for (int i = 0; i < sources.size(); ++i) {
        QString target = targets[i];
        if (renamedTakes) {
            const QString id = QFileInfo(sources[i]).completeBaseName();
            target = target.section(QLatin1Char('/'), 0, -2) + QLatin1Char('/') + renamedTakes->at(id)
                + QStringLiteral(".wav");
        }
        const QString local = QDir(access.vault.path).filePath(sources[i]);
        if (renamedTakes && QFile::exists(local)) {
            const QString dest = QDir(access.vault.path).filePath(target);
            const QString temp = dest + QStringLiteral(".restoring");
            QFile::remove(temp);
            QDir().mkpath(QFileInfo(dest).absolutePath());
            if (!QFile::copy(local, temp) || !QFile::rename(temp, dest)) {
                QFile::remove(temp);
                return makeError(
                    QStringLiteral("Cannot copy the take %1 for the restored mix").arg(sources[i]), errc::io);
            }
            continue;
        }
        if (!renamedTakes && QFile::exists(local))
            continue;
        if (Status s = access.fetchNewest(sources[i], target); !s)
            return makeError(
                QStringLiteral("the take %1 cannot be restored: %2").arg(sources[i], s.errorString()), s.error().code);
    }
    return {};
}

} // namespace

Result<RestoredVersion> restoreVersion(
    const HistoryAccess& access, const model::ItemRef& item, const ItemVersion& v, bool asCopy)
{
    if (!v.problem.isEmpty() || !v.doc.is_object())
        return makeError(
            v.problem.isEmpty() ? QStringLiteral("that version cannot be read") : v.problem, errc::corrupt);
    Json doc = v.doc;
    doc["modified_at"] = toStd(nowIso());
    const QString versionDate = v.meta.modified.toLocalTime().date().toString(Qt::ISODate);
    QString target = item.file;
    QString id = item.id;
    if (asCopy) {
        if (item.kind != model::ItemKind::Mix)
            return makeError(QStringLiteral("restore as a copy works for mixes; restore %1 \"%2\" in place instead")
                                 .arg(model::kindName(item.kind), item.name),
                errc::usage);
        id = newId();
        target = model::mixFile(item.collectionId, item.projectId, id);
        doc["id"] = toStd(id);
        doc["created_at"] = toStd(nowIso());
        doc["name"] = toStd(QStringLiteral("%1 (restored %2)").arg(jsonString(v.doc, "name"), versionDate));
        // The copy gets its own takes (a track id names its audio file), copied or fetched.
        std::map<QString, QString> renamed;
        if (doc.contains("tracks") && doc["tracks"].is_array()) {
            for (Json& t : doc["tracks"]) {
                const QString fresh = newId();
                renamed[jsonString(t, "id")] = fresh;
                t["id"] = toStd(fresh);
            }
        }
        if (Status s = fetchMissingTakes(access, item.file, v.doc, target, &renamed); !s)
            return s.error();
    } else if (item.kind == model::ItemKind::Mix) {
        if (Status s = fetchMissingTakes(access, item.file, doc, target); !s)
            return s.error();
    }
    if (Status s = writeJsonFile(QDir(access.vault.path).filePath(target), model::stampWriter(doc)); !s)
        return s.error();
    return RestoredVersion{id, target, jsonString(doc, "name"), v.number, asCopy};
}

} // namespace muze::sync
