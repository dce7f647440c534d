// VaultStore's id index: id → the JSON file of a collection, project or mix, made from folder
// and file names alone (ids name them), so one item can be read and written without loading
// the whole vault. One index per vault folder, shared by every store and thread; a lookup that
// misses (or finds a file that is gone) rebuilds it once.
#include "schema.h"

#include <muze/model/vaultstore.h>
#include <muze/util/clock.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QMutex>

namespace muze::model {

namespace {

QMutex indexLock;
QHash<QString, QHash<QString, QString>>& indexes() // vault root → id → vault-relative file
{
    static QHash<QString, QHash<QString, QString>> all;
    return all;
}

QStringList idEntries(const QString& absDir, QDir::Filters filters, const QStringList& patterns = {})
{
    return QDir(absDir).entryList(patterns, filters | QDir::NoDotAndDotDot, QDir::Name);
}

QHash<QString, QString> scan(const VaultStore& store)
{
    QHash<QString, QString> index;
    for (const QString& cid : idEntries(store.absolute(QStringLiteral("collections")), QDir::Dirs)) {
        if (!isValidId(cid))
            continue;
        index.insert(cid, collectionFile(cid));
        for (const QString& pid : idEntries(store.absolute(collectionDir(cid) + QStringLiteral("/projects")), QDir::Dirs)) {
            if (!isValidId(pid))
                continue;
            index.insert(pid, projectFile(cid, pid));
            const QString mixes = store.absolute(projectDir(cid, pid) + QStringLiteral("/mixes"));
            for (const QString& name : idEntries(mixes, QDir::Files, {QStringLiteral("*.json")})) {
                const QString mid = name.chopped(5);
                if (isValidId(mid))
                    index.insert(mid, mixFile(cid, pid, mid));
            }
        }
    }
    return index;
}

} // namespace

Result<QString> VaultStore::fileOf(const QString& id) const
{
    {
        const QMutexLocker lock(&indexLock);
        const QString file = indexes().value(m_root).value(id);
        if (!file.isEmpty() && QFileInfo::exists(absolute(file)))
            return file;
    }
    QHash<QString, QString> fresh = scan(*this); // outside the lock: other vaults go on
    const QString file = fresh.value(id);
    {
        const QMutexLocker lock(&indexLock);
        indexes().insert(m_root, std::move(fresh));
    }
    if (file.isEmpty())
        return makeError(QStringLiteral("no item with id \"%1\"").arg(id), errc::not_found);
    return file;
}

Status VaultStore::setTrackFields(const QString& mixId, const QString& trackId, const FieldValues& fields) const
{
    for (const auto& [key, value] : fields) {
        if (Status s = checkFieldValue(ItemKind::Track, key, value); !s)
            return s;
    }
    Result<QString> file = fileOf(mixId);
    if (!file)
        return file.error();
    if (!file->contains(QLatin1String("/mixes/")))
        return makeError(QStringLiteral("%1 is not a mix").arg(mixId), errc::not_found);
    auto data = readItemFile(*file);
    if (!data)
        return data.error();
    if (!(*data)["tracks"].is_array())
        return makeError(QStringLiteral("%1: \"tracks\" must be a list").arg(*file), errc::corrupt_json);
    for (Json& t : (*data)["tracks"]) {
        if (jsonString(t, "id") != trackId)
            continue;
        const std::string now = toStd(nowIso());
        for (const auto& [key, value] : fields)
            t[toStd(key)] = value;
        t["modified_at"] = now;
        (*data)["modified_at"] = now;
        return writeItemFile(*file, *data);
    }
    return makeError(QStringLiteral("track %1 is no longer in %2").arg(trackId, *file), errc::not_found);
}

} // namespace muze::model
