#pragma once
// Listens to an input device without recording, for the level meter before a take starts
// (so the level can be set first). The peak is read on the GUI thread; the few kilobytes a
// second of a meter are no work for it.

#include <QAudioFormat>
#include <QObject>

class QAudioSource;
class QIODevice;

namespace muze::gui {

class InputMonitor : public QObject {
    Q_OBJECT
public:
    explicit InputMonitor(QObject* parent = nullptr);
    ~InputMonitor() override;

    /// Opens the device ("" = the default; otherwise an id from audio::listDevices). Returns
    /// false when there is no such input (the meter then stays down).
    bool start(const QString& deviceId);
    void stop();
    bool isActive() const { return m_source != nullptr; }
    QString deviceId() const { return m_deviceId; }
    /// The device the last start() could not open (not retried until it changes).
    QString failedDevice() const { return m_failed; }
    /// The highest peak (linear, 0..1) since the last call.
    float takePeak();

private:
    QAudioSource* m_source = nullptr;
    QIODevice* m_io = nullptr;
    QAudioFormat m_format;
    QString m_deviceId;
    QString m_failed = QStringLiteral("\n"); // no device has failed yet
    float m_peak = 0.0f;
};

} // namespace muze::gui
