#include <muze/sync/jsonmerge.h>

#include <muze/util/clock.h>

#include <QDateTime>

#include <algorithm>
#include <set>

namespace muze::sync {

namespace {

// An array of objects with string ids — empty included: a list whose last element was removed
// is still a list of ids, merged element by element (a delete against a change: the change wins).
bool isIdArray(const Json& a)
{
    if (!a.is_array())
        return false;
    return std::all_of(a.begin(), a.end(), [](const Json& e) { return e.is_object() && e.contains("id") && e["id"].is_string(); });
}

bool isStringArray(const Json& a)
{
    return a.is_array() && std::all_of(a.begin(), a.end(), [](const Json& e) { return e.is_string(); });
}

QString timeOf(const Json& obj, const QString& inherited)
{
    if (obj.is_object()) {
        const auto it = obj.find("modified_at");
        if (it != obj.end() && it->is_string())
            return fromStd(it->get<std::string>());
    }
    return inherited;
}

// True when the local side wins a same-field conflict. Later modified_at wins; on a tie the
// larger serialisation, so every device picks the same winner.
bool localWins(const QString& localTime, const QString& remoteTime, const Json& local, const Json& remote)
{
    const QDateTime l = parseIsoTimestamp(localTime);
    const QDateTime r = parseIsoTimestamp(remoteTime);
    if (l.isValid() && r.isValid() && l != r)
        return l > r;
    if (l.isValid() != r.isValid())
        return l.isValid();
    return local.dump() >= remote.dump();
}

struct Merger {
    std::vector<FieldConflict>& conflicts;

    Json value(const Json* base, const Json& local, const Json& remote, const QString& path, const QString& lt,
               const QString& rt, const std::string& key)
    {
        if (local == remote)
            return local;
        if (base && local == *base)
            return remote;
        if (base && remote == *base)
            return local;
        if (key == "modified_at" && local.is_string() && remote.is_string())
            return localWins(fromStd(local.get<std::string>()), fromStd(remote.get<std::string>()), local, remote) ? local : remote;
        if (key == "modified_by") // the writer of the side whose edit is later (docs/FORMAT.md §7.5)
            return localWins(lt, rt, local, remote) ? local : remote;
        if (key == "created_at" && local.is_string() && remote.is_string())
            return local.get<std::string>() <= remote.get<std::string>() ? local : remote;
        if (key == "format" && local.is_number() && remote.is_number())
            return local.get<double>() >= remote.get<double>() ? local : remote;
        if (local.is_object() && remote.is_object())
            return object(base && base->is_object() ? base : nullptr, local, remote, path, lt, rt);
        if (isIdArray(local) && isIdArray(remote) && (!base || isIdArray(*base))
            && !(local.empty() && remote.empty() && (!base || base->empty())))
            return idArray(base, local, remote, path, lt, rt);
        if (isStringArray(local) && isStringArray(remote) && (!base || isStringArray(*base)))
            return stringSet(base, local, remote);
        return conflict(base, local, remote, path, lt, rt);
    }

    Json conflict(const Json* base, const Json& local, const Json& remote, const QString& path, const QString& lt,
                  const QString& rt)
    {
        FieldConflict c;
        if (base)
            c.baseValue = *base;
        c.field = path;
        c.localValue = local;
        c.remoteValue = remote;
        c.localWon = localWins(lt, rt, local, remote);
        c.localModifiedAt = lt;
        c.remoteModifiedAt = rt;
        conflicts.push_back(c);
        return c.localWon ? local : remote;
    }

    Json object(const Json* base, const Json& local, const Json& remote, const QString& path, const QString& inheritedL,
                const QString& inheritedR)
    {
        const QString lt = timeOf(local, inheritedL);
        const QString rt = timeOf(remote, inheritedR);
        Json out = Json::object();
        auto handle = [&](const std::string& k) {
            const QString sub = path + QLatin1Char('/') + fromStd(k);
            const bool inL = local.contains(k), inR = remote.contains(k);
            const Json* b = base && base->contains(k) ? &(*base)[k] : nullptr;
            if (inL && inR) {
                out[k] = value(b, local[k], remote[k], sub, lt, rt, k);
            } else if (inL) {
                // Absent remotely: added locally (no base), or deleted remotely. A delete
                // applies only when the local side left the field as it was.
                if (!b || local[k] != *b)
                    out[k] = local[k];
            } else if (inR) {
                if (!b || remote[k] != *b)
                    out[k] = remote[k];
            }
        };
        for (auto it = local.begin(); it != local.end(); ++it)
            handle(it.key());
        for (auto it = remote.begin(); it != remote.end(); ++it) {
            if (!local.contains(it.key()))
                handle(it.key());
        }
        return out;
    }

    Json idArray(const Json* base, const Json& local, const Json& remote, const QString& path, const QString& lt,
                 const QString& rt)
    {
        auto index = [](const Json* a) {
            std::map<std::string, const Json*> m;
            if (a && a->is_array()) {
                for (const Json& e : *a) {
                    if (e.is_object() && e.contains("id") && e["id"].is_string())
                        m[e["id"].get<std::string>()] = &e;
                }
            }
            return m;
        };
        const auto b = index(base), l = index(&local), r = index(&remote);
        // Order: the local order, with remote-only elements after their remote predecessor.
        std::vector<std::string> order;
        for (const Json& e : local)
            order.push_back(e["id"].get<std::string>());
        size_t pos = 0;
        for (const Json& e : remote) {
            const std::string id = e["id"].get<std::string>();
            const auto found = std::find(order.begin(), order.end(), id);
            if (found != order.end()) {
                pos = size_t(found - order.begin()) + 1;
            } else {
                order.insert(order.begin() + std::ptrdiff_t(pos), id);
                ++pos;
            }
        }
        Json out = Json::array();
        for (const std::string& id : order) {
            const QString sub = path + QStringLiteral("/id:") + fromStd(id);
            const auto bi = b.find(id);
            const Json* bv = bi == b.end() ? nullptr : bi->second;
            const auto li = l.find(id), ri = r.find(id);
            if (li != l.end() && ri != r.end()) {
                out.push_back(value(bv, *li->second, *ri->second, sub, lt, rt, {}));
            } else if (li != l.end()) {
                if (!bv || *li->second != *bv)
                    out.push_back(*li->second); // added locally, or changed locally and deleted remotely
            } else if (ri != r.end()) {
                if (!bv || *ri->second != *bv)
                    out.push_back(*ri->second);
            }
        }
        return out;
    }

    static Json stringSet(const Json* base, const Json& local, const Json& remote)
    {
        std::set<std::string> b, l, r;
        if (base)
            for (const Json& e : *base)
                b.insert(e.get<std::string>());
        for (const Json& e : local)
            l.insert(e.get<std::string>());
        for (const Json& e : remote)
            r.insert(e.get<std::string>());
        Json out = Json::array();
        std::set<std::string> seen;
        auto keep = [&](const std::string& s) {
            const bool removedL = b.count(s) && !l.count(s);
            const bool removedR = b.count(s) && !r.count(s);
            if (!removedL && !removedR && seen.insert(s).second)
                out.push_back(s);
        };
        for (const Json& e : local)
            keep(e.get<std::string>());
        for (const Json& e : remote)
            keep(e.get<std::string>());
        return out;
    }
};

// Walks `field`; returns the parent container and the last segment.
Json* walk(Json& doc, const QString& field, QString* last, Json** enclosingObject)
{
    const QStringList parts = field.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return nullptr;
    Json* cur = &doc;
    if (enclosingObject)
        *enclosingObject = cur->is_object() ? cur : nullptr;
    for (qsizetype i = 0; i + 1 < parts.size(); ++i) {
        const QString& p = parts[i];
        if (p.startsWith(QLatin1String("id:")) && cur->is_array()) {
            Json* found = nullptr;
            for (Json& e : *cur) {
                if (e.is_object() && e.contains("id") && e["id"].is_string() && fromStd(e["id"].get<std::string>()) == p.mid(3))
                    found = &e;
            }
            if (!found)
                return nullptr;
            cur = found;
        } else if (cur->is_object() && cur->contains(toStd(p))) {
            cur = &(*cur)[toStd(p)];
        } else {
            return nullptr;
        }
        if (enclosingObject && cur->is_object())
            *enclosingObject = cur;
    }
    *last = parts.last();
    return cur;
}

} // namespace

MergeResult mergeJson(const Json* base, const Json& local, const Json& remote)
{
    MergeResult r;
    Merger m{r.conflicts};
    r.merged = m.value(base, local, remote, QString(), QString(), QString(), {});
    return r;
}

const Json* resolveFieldPath(const Json& doc, const QString& field)
{
    QString last;
    Json* parent = walk(const_cast<Json&>(doc), field, &last, nullptr);
    if (!parent)
        return nullptr;
    if (last.startsWith(QLatin1String("id:")) && parent->is_array()) {
        for (const Json& e : *parent) {
            if (e.is_object() && e.contains("id") && e["id"].is_string() && fromStd(e["id"].get<std::string>()) == last.mid(3))
                return &e;
        }
        return nullptr;
    }
    if (!parent->is_object() || !parent->contains(toStd(last)))
        return nullptr;
    return &(*parent)[toStd(last)];
}

bool setFieldPath(Json& doc, const QString& field, const Json& value, const QString& stamp, bool erase)
{
    QString last;
    Json* enclosing = nullptr;
    Json* parent = walk(doc, field, &last, &enclosing);
    if (!parent || !parent->is_object())
        return false;
    if (erase)
        parent->erase(toStd(last));
    else
        (*parent)[toStd(last)] = value;
    if (!stamp.isEmpty() && enclosing && enclosing->is_object())
        (*enclosing)["modified_at"] = toStd(stamp);
    if (!stamp.isEmpty() && doc.is_object() && enclosing != &doc)
        doc["modified_at"] = toStd(stamp);
    return true;
}

} // namespace muze::sync
