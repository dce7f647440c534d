#include <muze/audio/devices.h>

#include <QMediaDevices>

namespace muze::audio {

namespace {

QString formatName(QAudioFormat::SampleFormat f)
{
    switch (f) {
    case QAudioFormat::UInt8:
        return QStringLiteral("uint8");
    case QAudioFormat::Int16:
        return QStringLiteral("int16");
    case QAudioFormat::Int32:
        return QStringLiteral("int32");
    case QAudioFormat::Float:
        return QStringLiteral("float");
    default:
        return QStringLiteral("unknown");
    }
}

QList<QAudioDevice> devices(DeviceMode mode)
{
    return mode == DeviceMode::Input ? QMediaDevices::audioInputs() : QMediaDevices::audioOutputs();
}

} // namespace

Json DeviceDescription::toJson() const
{
    Json formats = Json::array();
    for (const QString& f : sampleFormats)
        formats.push_back(toStd(f));
    return Json{{"id", toStd(id)}, {"description", toStd(description)}, {"default", isDefault},
        {"min_sample_rate", minSampleRate}, {"max_sample_rate", maxSampleRate}, {"max_channels", maxChannels},
        {"sample_formats", formats}};
}

QList<DeviceDescription> listDevices(DeviceMode mode)
{
    QList<DeviceDescription> out;
    // QAudioDevice::isDefault() can lag behind the server's choice; ask for the default itself.
    const QByteArray defaultId
        = (mode == DeviceMode::Input ? QMediaDevices::defaultAudioInput() : QMediaDevices::defaultAudioOutput()).id();
    for (const QAudioDevice& d : devices(mode)) {
        DeviceDescription desc;
        desc.id = QString::fromUtf8(d.id());
        desc.description = d.description();
        desc.isDefault = d.id() == defaultId;
        desc.minSampleRate = d.minimumSampleRate();
        desc.maxSampleRate = d.maximumSampleRate();
        desc.maxChannels = d.maximumChannelCount();
        for (QAudioFormat::SampleFormat f : d.supportedSampleFormats())
            desc.sampleFormats << formatName(f);
        out << desc;
    }
    return out;
}

Result<QAudioDevice> findDevice(DeviceMode mode, const QString& name)
{
    const QString kind = mode == DeviceMode::Input ? QStringLiteral("input") : QStringLiteral("output");
    if (name.isEmpty()) {
        const QAudioDevice d
            = mode == DeviceMode::Input ? QMediaDevices::defaultAudioInput() : QMediaDevices::defaultAudioOutput();
        if (d.isNull())
            return makeError(QStringLiteral("no audio %1 device found").arg(kind), errc::no_device);
        return d;
    }
    const QList<QAudioDevice> all = devices(mode);
    for (const QAudioDevice& d : all) {
        if (QString::fromUtf8(d.id()) == name)
            return d;
    }
    for (const QAudioDevice& d : all) {
        if (d.description().compare(name, Qt::CaseInsensitive) == 0)
            return d;
    }
    QList<QAudioDevice> partial;
    for (const QAudioDevice& d : all) {
        if (QString::fromUtf8(d.id()).contains(name, Qt::CaseInsensitive)
            || d.description().contains(name, Qt::CaseInsensitive))
            partial << d;
    }
    if (partial.size() == 1)
        return partial.front();
    if (partial.size() > 1)
        return makeError(QStringLiteral("\"%1\" matches %2 audio %3 devices; give its id (see muze-cli devices-audio)")
                             .arg(name)
                             .arg(partial.size())
                             .arg(kind),
            errc::no_device);
    return makeError(
        QStringLiteral("no audio %1 device \"%2\" (see muze-cli devices-audio)").arg(kind, name), errc::no_device);
}

} // namespace muze::audio
