// VaultStore::load: reads every model file, keeping what is readable and reporting the rest.

#include "schema.h"

#include <muze/model/vaultstore.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>

#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace muze::model {

namespace {

QStringList idDirs(const QString& absDir)
{
    QStringList out = QDir(absDir).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    out.erase(std::remove_if(out.begin(), out.end(), [](const QString& n) { return !isValidId(n); }), out.end());
    return out;
}

template <typename Node>
void sortByCreation(std::vector<Node>& nodes)
{
    std::stable_sort(nodes.begin(), nodes.end(), [](const Node& a, const Node& b) {
        return jsonString(a.data, "created_at") < jsonString(b.data, "created_at");
    });
}

} // namespace

Result<VaultTree> VaultStore::load() const
{
    if (!QFileInfo(m_root).isDir())
        return makeError(QStringLiteral("Vault folder %1 does not exist").arg(m_root), errc::not_found);

    VaultTree tree;
    auto note = [&tree](const QString& file, const Error& e) {
        qCWarning(lcModel) << e.message;
        tree.issues.push_back({file, e.message});
    };

    if (auto vault = readItemFile(kVaultFile); vault.ok())
        tree.vault = *vault;
    else if (QFileInfo::exists(absolute(kVaultFile)))
        note(kVaultFile, vault.error());

    for (const QString& cid : idDirs(absolute(QStringLiteral("collections")))) {
        CollectionNode c;
        c.id = cid;
        c.file = collectionFile(cid);
        auto data = readItemFile(c.file);
        Status valid = data ? validateItem(*data, ItemKind::Collection, c.file, cid) : Status(data.error());
        if (!valid) {
            note(c.file, valid.error());
            continue;
        }
        c.data = std::move(*data);
        for (const QString& pid : idDirs(absolute(collectionDir(cid) + QStringLiteral("/projects")))) {
            ProjectNode p;
            p.id = pid;
            p.file = projectFile(cid, pid);
            auto pdata = readItemFile(p.file);
            Status pvalid = pdata ? validateItem(*pdata, ItemKind::Project, p.file, pid) : Status(pdata.error());
            if (!pvalid) {
                note(p.file, pvalid.error());
                continue;
            }
            p.data = std::move(*pdata);
            const QString mixesDir = absolute(projectDir(cid, pid) + QStringLiteral("/mixes"));
            for (const QString& fileName : QDir(mixesDir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
                const QString mid = fileName.chopped(5);
                if (!isValidId(mid))
                    continue;
                MixNode m;
                m.id = mid;
                m.file = mixFile(cid, pid, mid);
                auto mdata = readItemFile(m.file);
                Status mvalid = mdata ? validateItem(*mdata, ItemKind::Mix, m.file, mid) : Status(mdata.error());
                if (mvalid && mdata->contains("tracks") && !(*mdata)["tracks"].is_array())
                    mvalid = makeError(QStringLiteral("%1: \"tracks\" must be a list").arg(m.file), errc::corrupt_json);
                if (!mvalid) {
                    note(m.file, mvalid.error());
                    continue;
                }
                m.data = std::move(*mdata);
                if (m.data.contains("tracks")) {
                    for (const Json& t : m.data["tracks"]) {
                        if (Status tvalid = validateItem(t, ItemKind::Track, m.file); !tvalid) {
                            note(m.file, tvalid.error());
                            continue;
                        }
                        TrackNode node;
                        node.data = t;
                        node.audioFile = trackAudioFile(cid, pid, node.id());
                        m.tracks.push_back(std::move(node));
                    }
                }
                p.mixes.push_back(std::move(m));
            }
            sortByCreation(p.mixes);
            c.projects.push_back(std::move(p));
        }
        sortByCreation(c.projects);
        tree.collections.push_back(std::move(c));
    }
    sortByCreation(tree.collections);
    return tree;
}

} // namespace muze::model
