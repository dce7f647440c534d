#include "inputmonitor.h"

#include <QAudioDevice>
#include <QAudioSource>
#include <QMediaDevices>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace muze::gui {

namespace {
// What the source writes into (pull mode, as the recorder does): only the peak is kept.
class PeakSink : public QIODevice {
public:
    PeakSink(QAudioFormat format, float* peak)
        : m_format(format), m_peak(peak)
    {
    }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override;

private:
    QAudioFormat m_format;
    float* m_peak;
};

qint64 PeakSink::writeData(const char* data, qint64 len)
{
    const int bytes = m_format.bytesPerSample();
    if (bytes <= 0)
        return len;
    const qint64 n = len / bytes;
    const char* p = data;
    float peak = *m_peak;
    for (qint64 i = 0; i < n; ++i, p += bytes) {
        float v = 0.0f;
        switch (m_format.sampleFormat()) {
        case QAudioFormat::UInt8:
            v = (static_cast<unsigned char>(*p) - 128) / 128.0f;
            break;
        case QAudioFormat::Int16: {
            qint16 s;
            std::memcpy(&s, p, sizeof s);
            v = s / 32768.0f;
            break;
        }
        case QAudioFormat::Int32: {
            qint32 s;
            std::memcpy(&s, p, sizeof s);
            v = float(s / 2147483648.0);
            break;
        }
        case QAudioFormat::Float:
            std::memcpy(&v, p, sizeof v);
            break;
        default:
            break;
        }
        peak = std::max(peak, std::fabs(v));
    }
    *m_peak = std::min(peak, 1.0f);
    return len;
}
} // namespace

InputMonitor::InputMonitor(QObject* parent)
    : QObject(parent)
{
}

InputMonitor::~InputMonitor()
{
    stop();
}

bool InputMonitor::start(const QString& deviceId)
{
    stop();
    QAudioDevice device = QMediaDevices::defaultAudioInput();
    if (!deviceId.isEmpty()) {
        for (const QAudioDevice& d : QMediaDevices::audioInputs()) {
            if (QString::fromUtf8(d.id()) == deviceId)
                device = d;
        }
    }
    m_failed = deviceId;
    if (device.isNull())
        return false;
    m_format = device.preferredFormat();
    if (m_format.sampleFormat() == QAudioFormat::Unknown)
        m_format.setSampleFormat(QAudioFormat::Int16);
    m_deviceId = deviceId;
    m_source = new QAudioSource(device, m_format); // deleted by stop()
    m_source->setBufferSize(m_format.bytesForDuration(100000));
    m_io = new PeakSink(m_format, &m_peak);
    m_io->open(QIODevice::WriteOnly);
    m_source->start(m_io);
    if (m_source->error() != QAudio::NoError || m_source->state() == QAudio::StoppedState) {
        stop();
        m_failed = deviceId;
        return false;
    }
    m_failed = QStringLiteral("\n");
    return true;
}

void InputMonitor::stop()
{
    if (!m_source)
        return;
    m_source->stop();
    // Deleted from the event loop, never at once: Qt's PulseAudio source may still be
    // finishing the stop (deleting it right away crashes Qt 6.4).
    m_source->deleteLater();
    m_io->deleteLater();
    m_source = nullptr;
    m_io = nullptr;
    m_peak = 0.0f;
}

float InputMonitor::takePeak()
{
    return std::exchange(m_peak, 0.0f);
}

} // namespace muze::gui
