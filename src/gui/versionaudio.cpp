#include "versionaudio.h"

#include <muze/model/layout.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace muze::gui {

Result<audio::MixSpec> versionMixSpec(const sync::HistoryAccess& access, const QString& mixFile, const Json& doc)
{
    if (!doc.is_object())
        return makeError(QStringLiteral("that version cannot be read"), errc::corrupt);
    const QDir vault(access.vault.path);
    audio::MixSpec spec;
    spec.vaultRoot = access.vault.path;
    spec.mixId = jsonString(doc, "id");
    spec.name = jsonString(doc, "name");
    spec.masterGainDb = jsonNumber(doc, "gain_db", 0.0);
    const QStringList takes = sync::takePaths(mixFile, doc);
    int i = 0;
    for (const Json& t : doc.value("tracks", Json::array())) {
        if (!t.is_object() || i >= takes.size())
            continue;
        audio::MixTrackSpec ts;
        ts.id = jsonString(t, "id");
        if (QFileInfo(takes[i]).completeBaseName() != ts.id)
            continue; // a track without a valid id has no take (takePaths skipped it)
        const QString take = takes[i++];
        ts.name = jsonString(t, "name");
        ts.wavPath = vault.filePath(take);
        if (!QFile::exists(ts.wavPath)) {
            const QString cached
                = model::kLocalStateDir + QStringLiteral("/history-takes/") + ts.id + QStringLiteral(".wav");
            if (!QFile::exists(vault.filePath(cached))) {
                if (Status s = access.fetchNewest(take, cached); !s)
                    return makeError(
                        QStringLiteral("the take of %1 cannot be fetched: %2").arg(ts.name, s.errorString()),
                        s.error().code);
            }
            ts.wavPath = vault.filePath(cached);
        }
        ts.mix.gainDb = jsonNumber(t, "gain_db", 0.0);
        ts.mix.pan = jsonNumber(t, "pan", 0.0);
        ts.mix.muted = jsonBool(t, "muted", false);
        ts.mix.solo = jsonBool(t, "solo", false);
        spec.tracks.push_back(std::move(ts));
    }
    return spec;
}

} // namespace muze::gui
