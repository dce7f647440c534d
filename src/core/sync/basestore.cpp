#include "basestore.h"

#include <muze/model/layout.h>
#include <muze/remote/contenthash.h>
#include <muze/util/fileio.h>
#include <muze/util/json.h>

#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace muze::sync {

BaseStore::BaseStore(const QString& vaultRoot)
    : m_dir(QDir(vaultRoot).filePath(model::kLocalStateDir + QStringLiteral("/bases")))
{
}

QString BaseStore::fileFor(const QString& hash) const { return m_dir + QLatin1Char('/') + hash + QStringLiteral(".json"); }

bool BaseStore::has(const QString& hash) const { return QFile::exists(fileFor(hash)); }

Status BaseStore::put(const QString& hash, const QByteArray& content) const
{
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    if (!hex.match(hash).hasMatch())
        return makeError(QStringLiteral("bad base hash"), errc::io);
    if (has(hash))
        return {};
    // Temp + rename without fsync: a base lost or torn by a power cut is detected on read
    // (its name is its hash) and the merge then runs without it — more conflicts, no loss.
    // Skipping the flush saves one fsync per JSON file synced.
    QDir().mkpath(m_dir);
    const QString temp = m_dir + QStringLiteral("/.tmp-") + hash;
    QFile f(temp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size()) {
        f.remove();
        return makeError(QStringLiteral("Cannot write the merge base %1").arg(temp), errc::io);
    }
    f.close();
    if (!QFile::exists(fileFor(hash)) && !f.rename(fileFor(hash))) {
        f.remove();
        return makeError(QStringLiteral("Cannot store the merge base %1").arg(hash), errc::io);
    }
    QFile::remove(temp);
    return {};
}

Result<QByteArray> BaseStore::get(const QString& hash) const
{
    if (hash.isEmpty() || !has(hash))
        return QByteArray();
    Result<QByteArray> bytes = readFileLimited(fileFor(hash), kMaxJsonFileBytes);
    if (!bytes || remote::contentHash(*bytes) != hash)
        return QByteArray(); // damaged: merge without a base rather than against a wrong one
    return bytes;
}

void BaseStore::collectGarbage(const QSet<QString>& referenced) const
{
    QDir dir(m_dir);
    for (const QString& name : dir.entryList({QStringLiteral("*.json")}, QDir::Files)) {
        if (!referenced.contains(name.chopped(5)))
            dir.remove(name);
    }
    for (const QString& name : dir.entryList({QStringLiteral(".tmp-*")}, QDir::Files | QDir::Hidden))
        dir.remove(name);
}

} // namespace muze::sync
