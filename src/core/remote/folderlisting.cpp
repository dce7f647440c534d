// The folder remote's listing: a walk of the folder (hashes reused by stat), and the snapshot
// the cursor names, so listChanges() can say what changed since.
#include <muze/remote/folderremote.h>

#include "folderremotedetail.h"

#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/util/json.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <utility>
#include <vector>

namespace muze::remote {

using namespace folder_detail;

void FolderRemote::loadSnapshot()
{
    if (m_snapshotLoaded)
        return;
    m_snapshotLoaded = true;
    if (m_cacheDir.isEmpty())
        return;
    Result<Json> doc = readJsonObjectFile(m_cacheDir + QStringLiteral("/folder-snapshot.json"));
    if (!doc || jsonString(*doc, "root") != m_root)
        return;
    m_snapshotId = jsonString(*doc, "id");
    const auto entries = doc->find("entries");
    if (entries == doc->end() || !entries->is_array())
        return;
    m_snapshot.reserve(qsizetype(entries->size()));
    for (const Json& v : *entries) {
        if (!v.is_array() || v.size() != 5 || !v[0].is_string() || !v[1].is_number_integer() || !v[2].is_number_integer()
            || !v[3].is_number_unsigned() || !v[4].is_string())
            continue;
        m_snapshot.insert(fromStd(v[0].get<std::string>()), Known{v[1].get<qint64>(), v[2].get<qint64>(), v[3].get<quint64>(),
                                                                  fromStd(v[4].get<std::string>())});
    }
}

Status FolderRemote::saveSnapshot()
{
    if (m_cacheDir.isEmpty())
        return {};
    // An array, not an object: Json keeps object keys in order with linear lookups, which
    // makes a 10,000-key object quadratic to build and to parse.
    Json entries = Json::array();
    entries.get_ref<Json::array_t&>().reserve(size_t(m_snapshot.size()));
    for (auto it = m_snapshot.cbegin(); it != m_snapshot.cend(); ++it)
        entries.push_back(Json::array({toStd(it.key()), it->size, it->mtimeNs, it->inode, toStd(it->hash)}));
    Json doc = {{"format", 2}, {"id", toStd(m_snapshotId)}, {"root", toStd(m_root)}, {"entries", std::move(entries)}};
    return writeFileAtomic(m_cacheDir + QStringLiteral("/folder-snapshot.json"), QByteArray::fromStdString(doc.dump()));
}

Result<QHash<QString, FolderRemote::Known>> FolderRemote::walk(bool withHashes)
{
    QHash<QString, Known> out;
    // readdir + one lstat per name (QDirIterator stats every entry itself, then we did again).
    QStringList dirs{QString()};
    std::vector<std::pair<QString, fs::FileStat>> files;
    while (!dirs.isEmpty()) {
        const QString dir = dirs.takeLast();
        const QString absDir = dir.isEmpty() ? m_root : m_root + QLatin1Char('/') + dir;
        for (const QString& name : fs::listDirectory(absDir)) {
            const QString raw = dir.isEmpty() ? name : dir + QLatin1Char('/') + name;
            if (isInternal(raw))
                continue;
            const fs::FileStat st = fs::lstatPath(m_root + QLatin1Char('/') + raw);
            if (st.isDir)
                dirs << raw;
            else if (st.isFile)
                files.emplace_back(raw, st); // folders are implied by files; symlinks and devices are never followed
        }
    }
    // Which of two spellings wins does not depend on the order of the walk.
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [raw, st] : files) {
        if (isCancelled())
            return cancelled();
        const QString abs = m_root + QLatin1Char('/') + raw;
        const QString rel = fs::nfc(raw);
        if (out.contains(rel)) {
            qCWarning(lcSync) << "folder remote: two names normalise to" << rel << "- ignoring" << raw;
            continue;
        }
        Known k{st.size, st.mtimeNs, st.inode, {}};
        if (withHashes) {
            for (const QHash<QString, Known>* cache : {&m_hashCache, &m_snapshot}) {
                const auto c = cache->constFind(rel);
                if (c != cache->cend() && sameStat(*c, st)) {
                    k.hash = c->hash;
                    break;
                }
            }
            // A file rewritten in place while we read it is hashed again (at most 3 times).
            for (int attempt = 0; k.hash.isEmpty() && attempt < 3; ++attempt) {
                Result<QString> h = contentHashFile(abs, 0, &m_cancelled);
                if (!h) {
                    if (h.error().is(errc::cancelled))
                        return h.error();
                    if (!fs::lstatPath(abs).exists)
                        break; // deleted under us: not there
                    return makeError(h.errorString(), errc::io);
                }
                const fs::FileStat after = fs::lstatPath(abs);
                if (after.size == st.size && after.mtimeNs == st.mtimeNs && after.inode == st.inode) {
                    k.hash = *h;
                } else {
                    st = after;
                    k = Known{st.size, st.mtimeNs, st.inode, {}};
                    if (attempt == 2)
                        k.hash = *h; // still moving: report it; the next listing sees the rev change
                }
            }
            if (k.hash.isEmpty())
                continue;
        }
        out.insert(rel, k);
    }
    return out;
}

} // namespace muze::remote
