#include <muze/audio/mixdown.h>

#include <muze/wav/wavwriter.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <vector>

namespace muze::audio {

Result<MixdownResult> renderMixdown(const MixSpec& spec, const QString& outPath, const MixdownOptions& options)
{
    Mixer mixer;
    if (Status s = mixer.open(spec, true); !s)
        return s.error();
    const QFileInfo target(outPath);
    if (!QDir().mkpath(target.absolutePath()))
        return makeError(QStringLiteral("cannot create the folder of %1").arg(outPath), errc::io_error);
    // Written beside the target and renamed when complete: never a half mixdown at OUT.
    const QString temp = target.absoluteFilePath() + QStringLiteral(".part");
    wav::WavWriter writer;
    // A long sync interval: the file is only renamed into place once complete and fsynced.
    if (Status s = writer.open(temp, {mixer.sampleRate(), 2, options.format}, qint64(mixer.sampleRate()) * 600); !s)
        return s.error();
    constexpr qint64 kBlock = 8192;
    std::vector<float> buffer(size_t(kBlock * 2));
    const qint64 total = mixer.length();
    qint64 done = 0;
    while (true) {
        if (options.cancel && options.cancel->load()) {
            (void)writer.finalize();
            QFile::remove(temp);
            return makeError(QStringLiteral("mixdown cancelled"), errc::cancelled);
        }
        const qint64 n = mixer.render(buffer.data(), kBlock);
        if (n == 0)
            break;
        if (Status s = writer.writeFloat(buffer.data(), n); !s) {
            (void)writer.finalize();
            QFile::remove(temp);
            return s.error();
        }
        done += n;
        if (options.progress && (done % (kBlock * 16) == 0 || done == total))
            options.progress(done, total);
    }
    if (Status s = writer.finalize(); !s) {
        QFile::remove(temp);
        return s.error();
    }
    QFile::remove(outPath);
    if (!QFile::rename(temp, outPath)) {
        QFile::remove(temp);
        return makeError(QStringLiteral("cannot write %1").arg(outPath), errc::io_error);
    }
    MixdownResult result;
    result.frames = done;
    result.sampleRate = mixer.sampleRate();
    result.problems = mixer.problems();
    return result;
}

} // namespace muze::audio
