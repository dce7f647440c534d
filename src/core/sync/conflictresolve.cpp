#include <muze/sync/conflictresolve.h>

#include <muze/model/layout.h>
#include <muze/model/vaultstore.h>
#include <muze/remote/contenthash.h>
#include <muze/remote/fsops.h>
#include <muze/sync/trash.h>
#include <muze/util/clock.h>
#include <muze/util/fileio.h>

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace muze::sync {

namespace {

// "name (conflicted copy Device 2024-05-01 101500).wav" (Muze) and
// "name (Device's conflicted copy 2024-05-01).wav" (Dropbox's own clients).
const QRegularExpression& copyPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"(^(.*) \((?:(.+)'s )?conflicted copy(?: (.*?))?\)(\.[^./]*)?$)"));
    return re;
}

struct TrackInfo {
    QString mixFile; // vault-relative
    QString mixId;
    QString trackId;
    QString trackName;
};

// The mix track whose audio is `wavRel` (collections/c/projects/p/audio/<tid>.wav).
std::optional<TrackInfo> trackOfAudio(const QString& root, const QString& wavRel)
{
    const QFileInfo info(wavRel);
    const QString audioDir = info.path();
    if (!audioDir.endsWith(QLatin1String("/audio")))
        return std::nullopt;
    const QString tid = info.completeBaseName();
    const QString mixesRel = audioDir.left(audioDir.size() - 6) + QStringLiteral("/mixes");
    const QDir mixes(QDir(root).filePath(mixesRel));
    for (const QString& name : mixes.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        Result<Json> doc = readJsonObjectFile(mixes.filePath(name));
        if (!doc || !doc->contains("tracks") || !(*doc)["tracks"].is_array())
            continue;
        for (const Json& t : (*doc)["tracks"]) {
            if (t.is_object() && jsonString(t, "id") == tid)
                return TrackInfo{mixesRel + QLatin1Char('/') + name, jsonString(*doc, "id"), tid, jsonString(t, "name")};
        }
    }
    return std::nullopt;
}

QString kindOfPath(const QString& rel)
{
    if (rel == model::kVaultFile)
        return QStringLiteral("vault");
    if (rel.endsWith(QLatin1String("/collection.json")))
        return QStringLiteral("collection");
    if (rel.endsWith(QLatin1String("/project.json")))
        return QStringLiteral("project");
    if (rel.contains(QLatin1String("/mixes/")))
        return QStringLiteral("mix");
    if (rel.contains(QLatin1String("/audio/")))
        return QStringLiteral("track");
    return {};
}

} // namespace

std::optional<Choice> choiceFromName(const QString& name)
{
    if (name == QLatin1String("mine"))
        return Choice::Mine;
    if (name == QLatin1String("theirs"))
        return Choice::Theirs;
    if (name == QLatin1String("both"))
        return Choice::Both;
    return std::nullopt;
}

ConflictResolver::ConflictResolver(QString vaultRoot, QString deviceName)
    : m_root(std::move(vaultRoot)), m_device(std::move(deviceName)), m_store(m_root)
{
}

bool ConflictResolver::mineIsLocal(const ConflictRecord& rec) const
{
    // The detecting device wrote its own value as "local"; any other device sees it as theirs.
    return rec.detectedBy.isEmpty() || rec.detectedBy == m_device;
}

Result<int> ConflictResolver::detect() const
{
    QSet<QString> known;
    for (const ConflictRecord& r : m_store.list()) {
        if (!r.copy.isEmpty())
            known.insert(r.copy);
    }
    int added = 0;
    const QDir root(m_root);
    QDirIterator it(m_root, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString abs = it.next();
        const QString rel = remote::fs::nfc(root.relativeFilePath(abs));
        if (model::isLocalOnly(rel) || rel.startsWith(model::kSyncedMetaDir + QLatin1Char('/')) || known.contains(rel))
            continue;
        const QRegularExpressionMatch m = copyPattern().match(QFileInfo(rel).fileName());
        if (!m.hasMatch())
            continue;
        const QString dir = QFileInfo(rel).path();
        const QString original = (dir == QLatin1String(".") ? QString() : dir + QLatin1Char('/')) + m.captured(1) + m.captured(4);
        if (!isSafeRelativePath(original) || !QFileInfo::exists(root.filePath(original)))
            continue;
        // A sync run records its conflict before it makes the copy: look again, it may be new.
        bool recorded = false;
        for (const ConflictRecord& r : m_store.list())
            recorded = recorded || r.copy == rel;
        if (recorded)
            continue;
        Result<QString> hPath = remote::contentHashFile(root.filePath(original));
        Result<QString> hCopy = remote::contentHashFile(abs);
        if (!hPath || !hCopy)
            return hPath ? hCopy.error() : hPath.error();
        ConflictRecord rec;
        rec.id = ConflictRecord::makeId(original, QStringLiteral("file"), hPath->toUtf8(), hCopy->toUtf8());
        rec.path = original;
        rec.kind = QStringLiteral("file");
        rec.copy = rel;
        // Muze names the copy after the device that made it, Dropbox after the copy's author.
        QString copyDevice = m.captured(2);
        if (copyDevice.isEmpty()) {
            const QString rest = m.captured(3);
            static const QRegularExpression stamp(QStringLiteral(R"(^(.*?) \d{4}-\d{2}-\d{2}.*$)"));
            const QRegularExpressionMatch sm = stamp.match(rest);
            copyDevice = sm.hasMatch() ? sm.captured(1) : QString();
        }
        const auto mtime = [](const QString& f) { return isoTimestamp(QFileInfo(f).lastModified().toUTC()); };
        rec.local = {{}, *hPath, mtime(root.filePath(original)), m_device};
        rec.remote = {{}, *hCopy, mtime(abs), copyDevice == m_device ? QString() : copyDevice};
        rec.kept = QStringLiteral("local");
        rec.detectedBy = m_device;
        rec.createdAt = nowIso();
        if (Status s = m_store.add(rec); !s)
            return s.error();
        known.insert(rel);
        ++added;
    }
    return added;
}

ConflictView ConflictResolver::viewOf(const ConflictRecord& rec) const
{
    ConflictView v;
    v.id = rec.id;
    v.kind = rec.kind;
    v.path = rec.path;
    v.field = rec.field;
    v.createdAt = rec.createdAt;
    v.itemKind = kindOfPath(rec.path);
    const bool local = mineIsLocal(rec);
    const ConflictSide& mine = local ? rec.local : rec.remote;
    const ConflictSide& theirs = local ? rec.remote : rec.local;
    v.mine = mine.value;
    v.theirs = theirs.value;
    v.mineTime = mine.modifiedAt;
    v.theirsTime = theirs.modifiedAt;
    v.mineDevice = m_device;
    v.theirsDevice = local ? theirs.device : rec.detectedBy;
    v.mineAtPath = (rec.kept == QLatin1String("local")) == local;
    v.base = rec.base;

    if (rec.kind == QLatin1String("field")) {
        const QStringList parts = rec.field.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        v.fieldName = parts.isEmpty() ? rec.field : parts.last();
        if (Result<Json> doc = readJsonObjectFile(QDir(m_root).filePath(rec.path))) {
            v.item = jsonString(*doc, "name");
            // "/tracks/id:t1/gain_db": the track is the item.
            if (parts.size() >= 3 && parts[0] == QLatin1String("tracks") && parts[1].startsWith(QLatin1String("id:"))
                && doc->contains("tracks") && (*doc)["tracks"].is_array()) {
                const QString tid = parts[1].mid(3);
                for (const Json& t : (*doc)["tracks"]) {
                    if (t.is_object() && jsonString(t, "id") == tid) {
                        v.item = jsonString(t, "name", tid);
                        v.itemKind = QStringLiteral("track");
                    }
                }
            }
        }
    } else {
        v.minePath = v.mineAtPath ? rec.path : rec.copy;
        v.theirsPath = v.mineAtPath ? rec.copy : rec.path;
        v.fieldName = QStringLiteral("audio");
        const std::optional<TrackInfo> track = trackOfAudio(m_root, rec.path);
        v.trackOfMix = track.has_value();
        v.item = track ? track->trackName : QFileInfo(rec.path).fileName();
    }
    if (v.item.isEmpty())
        v.item = QFileInfo(rec.path).completeBaseName();
    return v;
}

std::vector<ConflictView> ConflictResolver::list(QStringList* problems) const
{
    std::vector<ConflictView> out;
    for (const ConflictRecord& rec : m_store.list(problems))
        out.push_back(viewOf(rec));
    return out;
}

Status ConflictResolver::resolve(const QString& id, Choice choice) const
{
    Result<ConflictRecord> rec = m_store.get(id);
    if (!rec)
        return rec.error();
    if (choice == Choice::Both) {
        if (rec->kind == QLatin1String("file")) {
            const ConflictView view = viewOf(*rec);
            if (view.trackOfMix)
                return keepBothAsTracks(*rec, view);
        }
        return m_store.resolve(id, Keep::Both);
    }
    const bool keepLocal = (choice == Choice::Mine) == mineIsLocal(*rec);
    return m_store.resolve(id, keepLocal ? Keep::Local : Keep::Remote);
}

Status ConflictResolver::keepBothAsTracks(const ConflictRecord& rec, const ConflictView& view) const
{
    const QDir root(m_root);
    if (!QFileInfo::exists(root.filePath(rec.copy)))
        return makeError(QStringLiteral("The conflicted copy %1 is gone").arg(rec.copy), errc::not_found);
    const std::optional<TrackInfo> track = trackOfAudio(m_root, rec.path);
    if (!track)
        return m_store.resolve(rec.id, Keep::Both);
    // The take at the copy joins the mix as its own track, named after the device it came from.
    const QString copyDevice = rec.copy == view.minePath ? view.mineDevice : view.theirsDevice;
    const QString name = copyDevice.isEmpty() ? QStringLiteral("%1 (other take)").arg(track->trackName)
                                              : QStringLiteral("%1 (%2)").arg(track->trackName, copyDevice);
    const model::VaultStore store(m_root);
    Result<QString> added = store.importTrack(track->mixId, root.filePath(rec.copy), name);
    if (!added)
        return added.error();
    if (Status s = moveToTrash(m_root, rec.copy); !s)
        return s;
    return m_store.remove(rec.id);
}

Result<int> ConflictResolver::resolveAll(Choice choice, QStringList* failures) const
{
    if (choice == Choice::Both)
        return makeError(QStringLiteral("Choose mine or theirs for all conflicts at once"), errc::bad_value);
    int done = 0;
    for (const ConflictRecord& rec : m_store.list()) {
        if (Status s = resolve(rec.id, choice); !s) {
            if (failures)
                *failures << QStringLiteral("%1: %2").arg(rec.id, s.errorString());
            continue;
        }
        ++done;
    }
    return done;
}

} // namespace muze::sync
