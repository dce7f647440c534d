#pragma once
// Audio devices as Qt Multimedia sees them, and picking one by name.
// Call from the thread that owns the QCoreApplication (Qt Multimedia's device list lives there).

#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QAudioDevice>
#include <QList>
#include <QString>

namespace muze::audio {

enum class DeviceMode { Input, Output };

struct DeviceDescription {
    QString id; // stable backend id (PulseAudio: the source/sink name)
    QString description; // human name
    bool isDefault = false;
    int minSampleRate = 0;
    int maxSampleRate = 0;
    int maxChannels = 0;
    QStringList sampleFormats; // "int16", "int32", "float", ...
    Json toJson() const;
};

QList<DeviceDescription> listDevices(DeviceMode mode);

/// The default device for an empty name; otherwise a device whose id equals `name`, or whose
/// description equals it (case-insensitive), or the one device whose id or description
/// contains it. Error code "no_device" when nothing (or more than one) matches.
Result<QAudioDevice> findDevice(DeviceMode mode, const QString& name);

} // namespace muze::audio
