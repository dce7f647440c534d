#include "schema.h"

#include <muze/model/vaultstore.h>
#include <muze/model/writer.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>
#include <muze/util/ids.h>
#include <muze/wav/wavformat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace muze::model {

VaultStore::VaultStore(QString root) : m_root(QDir::cleanPath(std::move(root))) {}

QString VaultStore::absolute(const QString& relPath) const { return m_root + QLatin1Char('/') + relPath; }

Status VaultStore::initialize(const QString& vaultId, const QString& name) const
{
    if (QFileInfo::exists(absolute(kVaultFile))) {
        auto existing = readItemFile(kVaultFile);
        if (!existing)
            return existing.error();
        if (jsonString(*existing, "id") != vaultId)
            return makeError(
                QStringLiteral("%1 already holds another vault (%2)").arg(m_root, jsonString(*existing, "id")),
                errc::exists);
        return {};
    }
    return writeJsonFile(absolute(kVaultFile), stampWriter(newItemObject(ItemKind::Vault, vaultId, name)));
}

Result<Json> VaultStore::readItemFile(const QString& relPath) const
{
    auto json = readJsonObjectFile(absolute(relPath));
    if (!json) // name the file by its vault-relative path: that is what a user can find
        return makeError(QString(json.error().message).replace(absolute(relPath), relPath), json.error().code);
    return json;
}

Status VaultStore::writeItemFile(const QString& relPath, Json data) const
{
    return writeJsonFile(absolute(relPath), stampWriter(std::move(data)));
}

Result<QString> VaultStore::addCollection(const QString& name) const
{
    if (Status s = checkFieldValue(ItemKind::Collection, QStringLiteral("name"), toStd(name)); !s)
        return s.error();
    const QString id = newId();
    if (Status s = writeItemFile(collectionFile(id), newItemObject(ItemKind::Collection, id, name)); !s)
        return s.error();
    return id;
}

Result<QString> VaultStore::addProject(const QString& collectionRef, const QString& name) const
{
    auto parent = resolve(collectionRef, ItemKind::Collection);
    if (!parent)
        return parent.error();
    if (Status s = checkFieldValue(ItemKind::Project, QStringLiteral("name"), toStd(name)); !s)
        return s.error();
    const QString id = newId();
    if (Status s = writeItemFile(projectFile(parent->id, id), newItemObject(ItemKind::Project, id, name)); !s)
        return s.error();
    return id;
}

Result<QString> VaultStore::addMix(const QString& projectRef, const QString& name) const
{
    auto parent = resolve(projectRef, ItemKind::Project);
    if (!parent)
        return parent.error();
    if (Status s = checkFieldValue(ItemKind::Mix, QStringLiteral("name"), toStd(name)); !s)
        return s.error();
    const QString id = newId();
    Json mix = newItemObject(ItemKind::Mix, id, name);
    mix["tracks"] = Json::array();
    if (Status s = writeItemFile(mixFile(parent->collectionId, parent->id, id), mix); !s)
        return s.error();
    return id;
}

Result<QString> VaultStore::importTrack(const QString& mixRef, const QString& wavPath, const QString& name) const
{
    auto mix = resolve(mixRef, ItemKind::Mix);
    if (!mix)
        return mix.error();
    auto info = wav::probeWavFile(wavPath);
    if (!info)
        return info.error();
    const QString trackName = name.isEmpty() ? QFileInfo(wavPath).completeBaseName() : name;
    if (Status s = checkFieldValue(ItemKind::Track, QStringLiteral("name"), toStd(trackName)); !s)
        return s.error();

    const QString id = newId();
    const QString target = absolute(trackAudioFile(mix->collectionId, mix->projectId, id));
    QDir().mkpath(QFileInfo(target).absolutePath());
    const QString temp = target + QStringLiteral(".importing");
    QFile::remove(temp);
    if (!QFile::copy(wavPath, temp))
        return makeError(QStringLiteral("Cannot copy %1 into the vault").arg(wavPath), errc::io);
    {
        QFile f(temp); // flush the copy to disk before it gets its final name
        if (!f.open(QIODevice::ReadWrite) || !f.flush()) {
            QFile::remove(temp);
            return makeError(QStringLiteral("Cannot write %1").arg(temp), errc::io);
        }
    }
    if (!QFile::rename(temp, target)) {
        QFile::remove(temp);
        return makeError(QStringLiteral("Cannot move the imported file to %1").arg(target), errc::io);
    }

    auto data = readItemFile(mix->file);
    if (!data) {
        QFile::remove(target);
        return data.error();
    }
    Json track = newItemObject(ItemKind::Track, id, trackName);
    track.erase("format");
    track["gain_db"] = 0.0;
    track["pan"] = 0.0;
    track["muted"] = false;
    track["solo"] = false;
    track["sample_rate"] = info->sampleRate;
    track["channels"] = info->channels;
    track["sample_format"] = toStd(wav::sampleFormatName(info->format));
    track["frames"] = info->frames();
    track["duration_s"] = info->durationSeconds();
    if (!(*data)["tracks"].is_array())
        (*data)["tracks"] = Json::array();
    (*data)["tracks"].push_back(track);
    (*data)["modified_at"] = toStd(nowIso());
    if (Status s = writeItemFile(mix->file, *data); !s) {
        QFile::remove(target);
        return s.error();
    }
    return id;
}

Result<ItemRef> VaultStore::resolve(const QString& ref, std::optional<ItemKind> kind) const
{
    auto tree = load();
    if (!tree)
        return tree.error();
    std::vector<ItemRef> all;
    for (const auto& c : tree->collections) {
        all.push_back({ItemKind::Collection, c.id, c.name(), c.id, {}, {}, c.file});
        for (const auto& p : c.projects) {
            all.push_back({ItemKind::Project, p.id, p.name(), c.id, p.id, {}, p.file});
            for (const auto& m : p.mixes) {
                all.push_back({ItemKind::Mix, m.id, m.name(), c.id, p.id, m.id, m.file});
                for (const auto& t : m.tracks)
                    all.push_back({ItemKind::Track, t.id(), t.name(), c.id, p.id, m.id, m.file});
            }
        }
    }
    const QString what = kind ? kindName(*kind) : QStringLiteral("item");
    std::vector<ItemRef> byName;
    for (const ItemRef& item : all) {
        if (kind && item.kind != *kind)
            continue;
        if (item.id == ref)
            return item;
        if (item.name.compare(ref, Qt::CaseInsensitive) == 0)
            byName.push_back(item);
    }
    if (byName.size() == 1)
        return byName.front();
    if (byName.empty())
        return makeError(QStringLiteral("no %1 named or with id \"%2\"").arg(what, ref), errc::not_found);
    QStringList ids;
    for (const ItemRef& item : byName)
        ids << QStringLiteral("%1 %2").arg(kindName(item.kind), item.id);
    return makeError(QStringLiteral("\"%1\" is ambiguous (%2); use an id").arg(ref, ids.join(QStringLiteral(", "))),
        errc::ambiguous);
}

Status VaultStore::edit(const QString& ref, const QList<QPair<QString, QString>>& assignments) const
{
    auto item = resolve(ref);
    if (!item)
        return item.error();
    FieldValues values;
    for (const auto& [key, text] : assignments) {
        auto value = parseFieldValue(item->kind, key, text);
        if (!value)
            return value.error();
        values.emplace_back(key, *value);
    }
    return applyFields(*item, values);
}

Status VaultStore::setField(const ItemRef& item, const QString& key, const Json& value) const
{
    if (Status s = checkFieldValue(item.kind, key, value); !s)
        return s;
    return applyFields(item, {{key, value}});
}

Status VaultStore::applyFields(const ItemRef& item, const FieldValues& values) const
{
    auto data = readItemFile(item.file);
    if (!data)
        return data.error();
    Json* target = &*data;
    if (item.kind == ItemKind::Track) {
        target = nullptr;
        for (Json& t : (*data)["tracks"]) {
            if (jsonString(t, "id") == item.id)
                target = &t;
        }
        if (!target)
            return makeError(QStringLiteral("track %1 is no longer in %2").arg(item.id, item.file), errc::not_found);
    }
    const std::string now = toStd(nowIso());
    for (const auto& [key, value] : values)
        (*target)[toStd(key)] = value;
    (*target)["modified_at"] = now;
    (*data)["modified_at"] = now;
    return writeItemFile(item.file, *data);
}

Status VaultStore::remove(const QString& ref) const
{
    auto item = resolve(ref);
    if (!item)
        return item.error();
    switch (item->kind) {
    case ItemKind::Collection:
        return QDir(absolute(collectionDir(item->id))).removeRecursively()
            ? Status()
            : makeError(QStringLiteral("Cannot delete collection %1").arg(item->id), errc::io);
    case ItemKind::Project:
        return QDir(absolute(projectDir(item->collectionId, item->id))).removeRecursively()
            ? Status()
            : makeError(QStringLiteral("Cannot delete project %1").arg(item->id), errc::io);
    case ItemKind::Mix: {
        auto data = readItemFile(item->file);
        if (data && (*data)["tracks"].is_array()) {
            for (const Json& t : (*data)["tracks"]) {
                const QString tid = jsonString(t, "id");
                if (isValidId(tid))
                    QFile::remove(absolute(trackAudioFile(item->collectionId, item->projectId, tid)));
            }
        }
        return QFile::remove(absolute(item->file))
            ? Status()
            : makeError(QStringLiteral("Cannot delete %1").arg(item->file), errc::io);
    }
    case ItemKind::Track: {
        auto data = readItemFile(item->file);
        if (!data)
            return data.error();
        Json& tracks = (*data)["tracks"];
        for (auto it = tracks.begin(); it != tracks.end(); ++it) {
            if (jsonString(*it, "id") == item->id) {
                tracks.erase(it);
                break;
            }
        }
        (*data)["modified_at"] = toStd(nowIso());
        if (Status s = writeItemFile(item->file, *data); !s)
            return s;
        QFile::remove(absolute(trackAudioFile(item->collectionId, item->projectId, item->id)));
        return {};
    }
    case ItemKind::Vault:
        break;
    }
    return makeError(QStringLiteral("cannot remove the vault itself here; use vault remove"), errc::bad_usage);
}

QStringList VaultStore::editableFields(ItemKind kind) { return editableFieldsFor(kind); }

} // namespace muze::model
