// record | mixdown | devices-audio
#include "cli.h"

#include <muze/audio/devices.h>
#include <muze/audio/mixdown.h>
#include <muze/audio/recorder.h>
#include <muze/audio/take.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <optional>

namespace muze::cli {

namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void onInterrupt(int)
{
    g_interrupted.store(true);
}

bool parseFormat(const QString& text, std::optional<wav::SampleFormat>* out)
{
    if (text.isEmpty())
        return true;
    wav::SampleFormat f;
    if (!wav::sampleFormatFromName(text, &f))
        return false;
    *out = f;
    return true;
}

int devicesAudio(Context& ctx, Args& a)
{
    if (!a.rest().isEmpty())
        return ctx.usage(QStringLiteral("devices-audio takes no arguments"));
    const auto inputs = audio::listDevices(audio::DeviceMode::Input);
    const auto outputs = audio::listDevices(audio::DeviceMode::Output);
    if (ctx.json) {
        Json in = Json::array(), out = Json::array();
        for (const auto& d : inputs)
            in.push_back(d.toJson());
        for (const auto& d : outputs)
            out.push_back(d.toJson());
        ctx.printJson(Json{{"inputs", in}, {"outputs", out}});
        return ExitOk;
    }
    auto print = [&](const char* kind, const QList<audio::DeviceDescription>& list) {
        ctx.out << kind << ":\n";
        if (list.isEmpty())
            ctx.out << "  (none)\n";
        for (const auto& d : list)
            ctx.out << (d.isDefault ? "  * " : "    ") << d.description << "  [" << d.id << "]  " << d.minSampleRate
                    << "-" << d.maxSampleRate << " Hz, up to " << d.maxChannels << " ch\n";
    };
    print("Inputs", inputs);
    print("Outputs", outputs);
    ctx.out.flush();
    return ExitOk;
}

int record(Context& ctx, Args& a, const QString& vaultRoot)
{
    const QString seconds = a.take(QStringLiteral("--seconds"));
    const QString device = a.take(QStringLiteral("--device"));
    const QString name = a.take(QStringLiteral("--name"));
    const QString format = a.take(QStringLiteral("--format"));
    const QString rate = a.take(QStringLiteral("--rate"));
    const QString channels = a.take(QStringLiteral("--channels"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty() || a.rest().size() != 1)
        return ctx.usage(
            QStringLiteral("record MIX --seconds N [--device NAME] [--name NAME] [--format pcm16|pcm24|pcm32|float32] "
                           "[--rate 44100|48000] [--channels 1|2]"));
    bool ok = false;
    const double secs = seconds.toDouble(&ok);
    if (!ok || secs <= 0 || secs > 24 * 3600)
        return ctx.usage(QStringLiteral("--seconds needs a number of seconds (up to 24 hours)"));
    audio::RecordOptions options;
    options.device = device;
    options.maxSeconds = secs;
    if (!parseFormat(format, &options.format))
        return ctx.usage(QStringLiteral("--format is one of pcm16, pcm24, pcm32, float32"));
    if (!rate.isEmpty()) {
        options.sampleRate = rate.toInt(&ok);
        if (!ok || (options.sampleRate != 44100 && options.sampleRate != 48000))
            return ctx.usage(QStringLiteral("--rate is 44100 or 48000"));
    }
    if (!channels.isEmpty()) {
        options.channels = channels.toInt(&ok);
        if (!ok || options.channels < 1 || options.channels > 2)
            return ctx.usage(QStringLiteral("--channels is 1 or 2"));
    }

    auto take = audio::prepareTake(vaultRoot, a.rest().front(), name);
    if (!take)
        return ctx.fail(take.error());
    options.marker = audio::takeMarker(*take);

    audio::Recorder recorder;
    QEventLoop loop;
    QString failure;
    std::optional<Error> startError;
    QObject::connect(&recorder, &audio::Recorder::started, &loop,
        [&] { ctx.err << "muze-cli: recording " << secs << " s to " << take->wavPath << Qt::endl; });
    QObject::connect(&recorder, &audio::Recorder::startFailed, &loop, [&](const Error& e) {
        startError = e;
        loop.quit();
    });
    if (Status s = recorder.start(take->wavPath, options); !s)
        return ctx.fail(s.error());

    // Ctrl-C / SIGTERM end the take early but cleanly (finalized and added to the mix).
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
    QObject::connect(&recorder, &audio::Recorder::limitReached, &loop, &QEventLoop::quit);
    QObject::connect(&recorder, &audio::Recorder::failed, &loop, [&](const QString& m) {
        failure = m;
        loop.quit();
    });
    // finished() or stopFailed() may already arrive in this loop, after failed().
    bool finalized = false;
    audio::RecordingStats stats;
    std::optional<Error> stopError;
    QObject::connect(&recorder, &audio::Recorder::finished, &loop, [&](const audio::RecordingStats& st) {
        finalized = true;
        stats = st;
    });
    QObject::connect(&recorder, &audio::Recorder::stopFailed, &loop, [&](const Error& e) {
        finalized = true;
        stopError = e;
    });
    QTimer watch;
    QElapsedTimer wall;
    wall.start();
    QObject::connect(&watch, &QTimer::timeout, &loop, [&] {
        if (g_interrupted.load())
            loop.quit();
        // A device that stops delivering must not hang the command.
        if (wall.elapsed() > qint64(secs * 1000) + 30000) {
            failure = QStringLiteral("the input device stopped delivering audio");
            loop.quit();
        }
    });
    watch.start(50);
    loop.exec();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);

    if (startError) // nothing was recorded: the recorder left no file
        return ctx.fail(*startError);
    if (recorder.isStarting()) { // interrupted or timed out before the device started
        (void)recorder.stop(); // cancels: no file is left
        return ctx.fail(failure.isEmpty() ? QStringLiteral("stopped before the input device started") : failure);
    }
    // The take is finalized on the recorder's thread: wait for its report in an event loop.
    if (recorder.isRecording())
        (void)recorder.stop();
    if (!finalized && recorder.isStopping()) {
        QEventLoop finishing;
        QObject::connect(&recorder, &audio::Recorder::finished, &finishing, &QEventLoop::quit);
        QObject::connect(&recorder, &audio::Recorder::stopFailed, &finishing, &QEventLoop::quit);
        finishing.exec();
    }
    if (stopError && failure.isEmpty())
        return ctx.fail(*stopError);
    if (!failure.isEmpty())
        return ctx.fail(
            QStringLiteral("recording failed: %1 (the take so far is kept in %2)").arg(failure, take->wavPath));
    auto id = audio::commitTake(*take);
    if (!id)
        return ctx.fail(id.error());
    if (stats.framesDropped > 0 || stats.gapFrames > 0)
        ctx.err << "muze-cli: warning: " << stats.framesDropped << " frames dropped, " << stats.gapFrames
                << " frames missing from the device" << Qt::endl;
    if (ctx.json) {
        ctx.printJson(Json{{"id", toStd(*id)}, {"frames", stats.framesWritten}, {"seconds", stats.seconds()},
            {"sample_rate", stats.sampleRate}, {"channels", stats.channels},
            {"sample_format", toStd(wav::sampleFormatName(stats.format))}, {"device", toStd(stats.deviceDescription)},
            {"dropped_frames", stats.framesDropped}, {"gap_frames", stats.gapFrames},
            {"max_clock_lag_frames", stats.maxClockDeficitFrames}});
    } else {
        ctx.out << *id << Qt::endl;
    }
    return ExitOk;
}

int mixdown(Context& ctx, Args& a, const QString& vaultRoot)
{
    const QString format = a.take(QStringLiteral("--format"));
    if (a.missingValue() || !a.firstUnknownOption().isEmpty() || a.rest().size() != 2)
        return ctx.usage(QStringLiteral("mixdown MIX OUT.wav [--format float32|pcm16|pcm24|pcm32]"));
    std::optional<wav::SampleFormat> f;
    if (!parseFormat(format, &f))
        return ctx.usage(QStringLiteral("--format is one of pcm16, pcm24, pcm32, float32"));
    auto spec = audio::loadMixSpec(vaultRoot, a.rest().at(0));
    if (!spec)
        return ctx.fail(spec.error());
    audio::MixdownOptions options;
    options.format = f.value_or(wav::SampleFormat::Float32);
    const QString out = a.rest().at(1);
    auto result = audio::renderMixdown(*spec, out, options);
    if (!result)
        return ctx.fail(result.error());
    for (const QString& p : result->problems)
        ctx.err << "muze-cli: warning: left out " << p << Qt::endl;
    if (ctx.json) {
        ctx.printJson(Json{{"file", toStd(out)}, {"frames", result->frames}, {"sample_rate", result->sampleRate},
            {"seconds", result->sampleRate ? double(result->frames) / result->sampleRate : 0.0}});
    } else {
        ctx.out << out << ": " << result->frames << " frames at " << result->sampleRate << " Hz" << Qt::endl;
    }
    return ExitOk;
}

} // namespace

static int runAudio(Context& ctx, const QString& command, QStringList args)
{
    Args a(std::move(args));
    if (command == QLatin1String("devices-audio"))
        return devicesAudio(ctx, a);
    auto vault = ctx.targetVault();
    if (!vault)
        return ctx.fail(vault.error());
    if (command == QLatin1String("record"))
        return record(ctx, a, vault->path);
    return mixdown(ctx, a, vault->path);
}

const Command& audioCommand()
{
    static const Command command{{QStringLiteral("record"), QStringLiteral("mixdown"), QStringLiteral("devices-audio")},
        QStringLiteral("Audio"),
        QStringLiteral("record MIX --seconds N [--device NAME] | mixdown MIX OUT.wav | devices-audio\n"),
        [](Context& ctx, const QString& name, QStringList args) { return runAudio(ctx, name, std::move(args)); }};
    return command;
}

} // namespace muze::cli
