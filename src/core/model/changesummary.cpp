#include <muze/model/changesummary.h>

#include <algorithm>
#include <cmath>

namespace muze::model {

namespace {

const QChar kMinus(0x2212);
const QString kArrow = QStringLiteral(" → ");

QString number(const Json& v, const QString& unit = {})
{
    if (!v.is_number())
        return QStringLiteral("—");
    const double d = v.get<double>();
    QString text = QString::number(std::abs(d), 'g', 6);
    if (d < 0)
        text.prepend(kMinus);
    return unit.isEmpty() ? text : text + QLatin1Char(' ') + unit;
}

QString panText(const Json& v)
{
    if (!v.is_number())
        return QStringLiteral("—");
    const double d = v.get<double>();
    if (std::abs(d) < 1e-9)
        return QStringLiteral("centre");
    return QStringLiteral("%1 %2").arg(
        QString::number(std::round(std::abs(d) * 100)), d < 0 ? QStringLiteral("L") : QStringLiteral("R"));
}

QString text(const Json& v)
{
    return v.is_string() ? fromStd(v.get<std::string>()) : QString();
}

QString timeSignature(const Json& v)
{
    if (v.is_string())
        return text(v);
    if (v.is_array() && v.size() == 2)
        return QStringLiteral("%1/%2").arg(number(v[0]), number(v[1]));
    if (v.is_object())
        return QStringLiteral("%1/%2").arg(
            number(v.value("numerator", Json())), number(v.value("denominator", Json())));
    return QStringLiteral("—");
}

Json field(const Json& obj, const char* key)
{
    if (!obj.is_object())
        return nullptr;
    const auto it = obj.find(key);
    return it == obj.end() ? Json() : *it;
}

void tagsChange(const Json& before, const Json& after, std::vector<FieldChange>& out)
{
    auto set = [](const Json& v) {
        QStringList tags;
        if (v.is_array())
            for (const Json& t : v)
                if (t.is_string())
                    tags << fromStd(t.get<std::string>());
        return tags;
    };
    const QStringList a = set(before), b = set(after);
    QStringList parts;
    for (const QString& t : b)
        if (!a.contains(t))
            parts << QStringLiteral("+") + t;
    for (const QString& t : a)
        if (!b.contains(t))
            parts << QString(kMinus) + t;
    if (!parts.isEmpty())
        out.push_back(
            {{}, {}, QStringLiteral("tags"), before, after, QStringLiteral("tags ") + parts.join(QLatin1Char(' '))});
}

// A take is the track's audio: its shape, or any field naming the recording, changed.
bool takeChanged(const Json& a, const Json& b)
{
    for (const char* key : {"frames", "duration_s", "sample_rate", "channels", "sample_format", "take", "audio", "file",
             "content_hash", "recorded_at"})
        if (field(a, key) != field(b, key))
            return true;
    return false;
}

void trackChanges(const Json& a, const Json& b, std::vector<FieldChange>& out)
{
    const QString id = text(field(b, "id"));
    const QString name = text(field(b, "name"));
    auto add = [&](const char* key, const QString& phrase) {
        out.push_back(
            {name, id, QString::fromLatin1(key), field(a, key), field(b, key), name + QStringLiteral(": ") + phrase});
    };
    if (field(a, "name") != field(b, "name"))
        out.push_back({name, id, QStringLiteral("name"), field(a, "name"), field(b, "name"),
            QStringLiteral("track \"%1\" renamed to \"%2\"").arg(text(field(a, "name")), name)});
    if (field(a, "gain_db") != field(b, "gain_db"))
        add("gain_db",
            QStringLiteral("gain %1%2%3")
                .arg(number(field(a, "gain_db"), QStringLiteral("dB")), kArrow,
                    number(field(b, "gain_db"), QStringLiteral("dB"))));
    if (field(a, "pan") != field(b, "pan"))
        add("pan", QStringLiteral("pan %1%2%3").arg(panText(field(a, "pan")), kArrow, panText(field(b, "pan"))));
    if (field(a, "muted") != field(b, "muted"))
        add("muted", field(b, "muted") == Json(true) ? QStringLiteral("muted") : QStringLiteral("unmuted"));
    if (field(a, "solo") != field(b, "solo"))
        add("solo", field(b, "solo") == Json(true) ? QStringLiteral("solo on") : QStringLiteral("solo off"));
    if (takeChanged(a, b))
        out.push_back({name, id, QStringLiteral("take"), nullptr, nullptr, name + QStringLiteral(": take replaced")});
}

void tracksChange(const Json& before, const Json& after, std::vector<FieldChange>& out)
{
    auto list = [](const Json& doc) {
        std::vector<Json> tracks;
        const Json t = field(doc, "tracks");
        if (t.is_array())
            for (const Json& x : t)
                if (x.is_object() && x.contains("id"))
                    tracks.push_back(x);
        return tracks;
    };
    const std::vector<Json> a = list(before), b = list(after);
    auto find = [](const std::vector<Json>& in, const Json& id) -> const Json* {
        for (const Json& t : in)
            if (t["id"] == id)
                return &t;
        return nullptr;
    };
    std::vector<const Json*> removed, added;
    for (const Json& t : a)
        if (!find(b, t["id"]))
            removed.push_back(&t);
    for (const Json& t : b) {
        if (const Json* old = find(a, t["id"]))
            trackChanges(*old, t, out);
        else
            added.push_back(&t);
    }
    // A track removed and one of the same name added in one version: a take was replaced.
    for (auto r = removed.begin(); r != removed.end();) {
        auto same = std::find_if(
            added.begin(), added.end(), [&](const Json* t) { return field(*t, "name") == field(**r, "name"); });
        if (same == added.end()) {
            ++r;
            continue;
        }
        const QString name = text(field(**same, "name"));
        out.push_back({name, text(field(**same, "id")), QStringLiteral("take"), field(**r, "id"), field(**same, "id"),
            name + QStringLiteral(": take replaced")});
        added.erase(same);
        r = removed.erase(r);
    }
    for (const Json* t : added) {
        const QString name = text(field(*t, "name"));
        out.push_back({name, text(field(*t, "id")), QStringLiteral("track_added"), nullptr, *t,
            QStringLiteral("track \"%1\" added").arg(name)});
    }
    for (const Json* t : removed) {
        const QString name = text(field(*t, "name"));
        out.push_back({name, text(field(*t, "id")), QStringLiteral("track_removed"), *t, nullptr,
            QStringLiteral("track \"%1\" removed").arg(name)});
    }
}

} // namespace

std::vector<FieldChange> diffVersions(const Json& before, const Json& after)
{
    std::vector<FieldChange> out;
    if (!before.is_object()) {
        out.push_back({{}, {}, QStringLiteral("created"), nullptr, field(after, "name"),
            QStringLiteral("created \"%1\"").arg(text(field(after, "name")))});
        return out;
    }
    auto simple = [&](const char* key, const QString& phrase) {
        out.push_back({{}, {}, QString::fromLatin1(key), field(before, key), field(after, key), phrase});
    };
    const Json n0 = field(before, "name"), n1 = field(after, "name");
    if (n0 != n1)
        simple("name", QStringLiteral("renamed \"%1\" to \"%2\"").arg(text(n0), text(n1)));
    if (field(before, "tempo") != field(after, "tempo"))
        simple("tempo",
            field(before, "tempo").is_null()
                ? QStringLiteral("tempo set to %1").arg(number(field(after, "tempo")))
                : QStringLiteral("tempo %1%2%3")
                      .arg(number(field(before, "tempo")), kArrow, number(field(after, "tempo"))));
    if (field(before, "key") != field(after, "key"))
        simple("key", QStringLiteral("key %1%2%3").arg(text(field(before, "key")), kArrow, text(field(after, "key"))));
    if (field(before, "time_signature") != field(after, "time_signature"))
        simple("time_signature",
            QStringLiteral("time signature %1%2%3")
                .arg(timeSignature(field(before, "time_signature")), kArrow,
                    timeSignature(field(after, "time_signature"))));
    if (field(before, "gain_db") != field(after, "gain_db"))
        simple("gain_db",
            QStringLiteral("mix gain %1%2%3")
                .arg(number(field(before, "gain_db"), QStringLiteral("dB")), kArrow,
                    number(field(after, "gain_db"), QStringLiteral("dB"))));
    if (field(before, "notes") != field(after, "notes"))
        simple("notes",
            text(field(after, "notes")).isEmpty() ? QStringLiteral("notes cleared") : QStringLiteral("notes edited"));
    if (field(before, "tags") != field(after, "tags"))
        tagsChange(field(before, "tags"), field(after, "tags"), out);
    if (field(before, "color") != field(after, "color"))
        simple("color", QStringLiteral("colour changed"));
    tracksChange(before, after, out);
    return out;
}

QString summaryText(const std::vector<FieldChange>& changes)
{
    if (changes.empty())
        return QStringLiteral("no changes");
    QStringList parts;
    for (const FieldChange& c : changes)
        parts << c.text;
    return parts.join(QStringLiteral("; "));
}

} // namespace muze::model
