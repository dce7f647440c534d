#include <muze/audio/take.h>

#include <muze/audio/recorder.h>
#include <muze/model/vaultstore.h>
#include <muze/util/ids.h>
#include <muze/util/logging.h>
#include <muze/wav/wavwriter.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QSysInfo>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#endif

namespace muze::audio {

namespace {

bool processAlive(qint64 pid)
{
#ifdef Q_OS_UNIX
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#else
    // No cheap liveness check here: never take a take away from a recorder that may be alive.
    return pid > 0;
#endif
}

} // namespace

Result<TakeTarget> prepareTake(const QString& vaultRoot, const QString& mixRef, const QString& name)
{
    model::VaultStore store(vaultRoot);
    auto mix = store.resolve(mixRef, model::ItemKind::Mix);
    if (!mix)
        return mix.error();
    QString trackName = name;
    if (trackName.isEmpty()) {
        int tracks = 0;
        if (auto data = readJsonObjectFile(store.absolute(mix->file)); data && (*data)["tracks"].is_array())
            tracks = int((*data)["tracks"].size());
        trackName = QStringLiteral("Take %1").arg(tracks + 1);
    }
    // The take's own id names the file; the track gets its id when the take is committed.
    const QString path = store.absolute(model::trackAudioFile(mix->collectionId, mix->projectId, newId()));
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeError(QStringLiteral("cannot create the audio folder for %1").arg(path), errc::io_error);
    return TakeTarget{vaultRoot, mix->id, path, trackName};
}

Result<QString> commitTake(const TakeTarget& take)
{
    model::VaultStore store(take.vaultRoot);
    auto id = store.importTrack(take.mixId, take.wavPath, take.trackName);
    if (!id)
        return id.error();
    // The track now has its own copy: the take file and its marker go.
    QFile::remove(take.wavPath);
    QFile::remove(recordingMarkerPath(take.wavPath));
    return *id;
}

Json takeMarker(const TakeTarget& take)
{
    return Json{
        {"mix", toStd(take.mixId)}, {"name", toStd(take.trackName)}, {"host", toStd(QSysInfo::machineHostName())}};
}

QStringList findOrphanTakes(const QString& vaultRoot, const QString& mixId)
{
    QStringList out;
    QDirIterator it(vaultRoot + QStringLiteral("/collections"), {QStringLiteral("*.wav.recording")}, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString marker = it.next();
        auto json = readJsonObjectFile(marker);
        if (json) {
            const QString host = jsonString(*json, "host");
            if (!host.isEmpty() && host != QSysInfo::machineHostName())
                continue; // another device's take: its recorder may well be alive
            if (processAlive(jsonInteger(*json, "pid", 0, 0, qint64(1) << 31)))
                continue; // still being recorded
            if (!mixId.isEmpty() && jsonString(*json, "mix") != mixId)
                continue;
        } else if (!mixId.isEmpty()) {
            continue;
        }
        const QString wav = marker.chopped(int(QStringLiteral(".recording").size()));
        if (QFileInfo::exists(wav))
            out << wav;
    }
    out.sort();
    return out;
}

Result<QString> recoverTake(const QString& vaultRoot, const QString& wavPath)
{
    auto marker = readJsonObjectFile(recordingMarkerPath(wavPath));
    if (!marker)
        return marker.error();
    const QString mixId = jsonString(*marker, "mix");
    if (mixId.isEmpty())
        return makeError(
            QStringLiteral("%1: the marker names no mix").arg(recordingMarkerPath(wavPath)), errc::bad_marker);
    auto frames = wav::recoverWav(wavPath);
    if (!frames)
        return frames.error();
    qCInfo(lcAudio) << "recovered" << *frames << "frames from" << wavPath;
    QString name = jsonString(*marker, "name");
    if (name.isEmpty())
        name = QStringLiteral("Recovered take");
    return commitTake({vaultRoot, mixId, wavPath, name});
}

} // namespace muze::audio
