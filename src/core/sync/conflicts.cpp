#include <muze/sync/conflicts.h>

#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/sync/jsonmerge.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>

#include <QDir>
#include <QFile>

#include <algorithm>

namespace muze::sync {

QString ConflictRecord::makeId(const QString& path, const QString& what, const QByteArray& a, const QByteArray& b)
{
    return remote::sha256Hex(path.toUtf8() + '\0' + what.toUtf8() + '\0' + a + '\0' + b).left(16);
}

ConflictStore::ConflictStore(QString vaultRoot) : m_root(std::move(vaultRoot)) {}

QString ConflictStore::fileFor(const QString& id) const
{
    return QDir(m_root).filePath(kConflictsDir + QLatin1Char('/') + id + QStringLiteral(".json"));
}

std::vector<ConflictRecord> ConflictStore::list(QStringList* problems) const
{
    std::vector<ConflictRecord> out;
    const QDir dir(QDir(m_root).filePath(kConflictsDir));
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        Result<Json> doc = readJsonObjectFile(dir.filePath(name));
        Result<ConflictRecord> rec = doc ? ConflictRecord::fromJson(*doc) : Result<ConflictRecord>(doc.error());
        if (!rec || rec->id + QStringLiteral(".json") != name) {
            if (problems)
                *problems << QStringLiteral("%1/%2: %3").arg(kConflictsDir, name, rec ? QStringLiteral("id mismatch") : rec.errorString());
            continue;
        }
        out.push_back(*rec);
    }
    std::sort(out.begin(), out.end(), [](const ConflictRecord& a, const ConflictRecord& b) {
        return std::tie(a.createdAt, a.id) < std::tie(b.createdAt, b.id);
    });
    return out;
}

Result<ConflictRecord> ConflictStore::get(const QString& id) const
{
    if (!isValidId(id))
        return makeError(QStringLiteral("No conflict with id %1").arg(id), errc::not_found);
    if (!QFile::exists(fileFor(id)))
        return makeError(QStringLiteral("No conflict with id %1").arg(id), errc::not_found);
    Result<Json> doc = readJsonObjectFile(fileFor(id));
    if (!doc)
        return doc.error();
    return ConflictRecord::fromJson(*doc);
}

Status ConflictStore::add(const ConflictRecord& record) const
{
    if (QFile::exists(fileFor(record.id)))
        return {};
    return writeJsonFile(fileFor(record.id), record.toJson());
}

Status ConflictStore::remove(const QString& id) const
{
    const QString f = fileFor(id);
    if (QFile::exists(f) && !QFile::remove(f))
        return makeError(QStringLiteral("Cannot remove %1").arg(f), errc::io);
    return {};
}

Status ConflictStore::resolve(const QString& id, Keep keep) const
{
    Result<ConflictRecord> rec = get(id);
    if (!rec)
        return rec.error();
    const QString keepName = keep == Keep::Local ? QStringLiteral("local") : QStringLiteral("remote");
    const QString abs = QDir(m_root).filePath(rec->path);

    if (rec->kind == QLatin1String("field")) {
        if (keep != Keep::Both && keepName == rec->kept)
            return remove(id); // already at the path
        Result<Json> doc = readJsonObjectFile(abs);
        if (!doc)
            return doc.error();
        const Json& chosen = keep == Keep::Local ? rec->local.value : rec->remote.value;
        Json value = chosen;
        if (keep == Keep::Both) {
            const Json& a = rec->kept == QLatin1String("local") ? rec->local.value : rec->remote.value;
            const Json& b = rec->kept == QLatin1String("local") ? rec->remote.value : rec->local.value;
            if (a.is_string() && b.is_string()) {
                value = a.get<std::string>() + " / " + b.get<std::string>();
            } else if (a.is_array() && b.is_array()) {
                value = a;
                for (const Json& e : b) {
                    if (std::find(value.begin(), value.end(), e) == value.end())
                        value.push_back(e);
                }
            } else {
                return makeError(QStringLiteral("\"both\" keeps two texts, two lists or two audio files; "
                                                "this conflict is about one value: keep local or remote"),
                    errc::bad_value);
            }
        }
        if (!setFieldPath(*doc, rec->field, value, nowIso(), value.is_null()))
            return makeError(QStringLiteral("%1 no longer has %2").arg(rec->path, rec->field), errc::not_found);
        if (Status s = writeJsonFile(abs, *doc); !s)
            return s;
        return remove(id);
    }

    // File conflicts: `kept` is at the path, the other version at `copy`.
    const QString copyAbs = QDir(m_root).filePath(rec->copy);
    if (keep == Keep::Both)
        return remove(id);
    if (keepName == rec->kept) {
        if (QFile::exists(copyAbs)) {
            if (Status s = moveToTrash(m_root, rec->copy); !s)
                return s;
        }
        return remove(id);
    }
    if (!QFile::exists(copyAbs))
        return makeError(QStringLiteral("The conflicted copy %1 is gone").arg(rec->copy), errc::not_found);
    if (QFile::exists(abs)) {
        if (Status s = moveToTrash(m_root, rec->path); !s)
            return s;
    }
    if (Status s = remote::fs::renameDurably(copyAbs, abs); !s)
        return s;
    return remove(id);
}

} // namespace muze::sync
