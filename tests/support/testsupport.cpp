#include "testsupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QtEndian>

#include <cmath>
#include <cstring>
#include <numbers>
#include <stdexcept>

namespace muze::test {

bool waitUntil(const std::function<bool()>& done, int ms)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > ms)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(10);
    }
    return true;
}

TempDir::TempDir() : m_dir(QDir::tempPath() + QStringLiteral("/muze-test-XXXXXX"))
{
    if (!qEnvironmentVariableIsEmpty("MUZE_KEEP_TEST_DIRS"))
        m_dir.setAutoRemove(false);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        throw std::runtime_error("cannot read " + path.toStdString());
    return f.readAll();
}

void writeAll(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        throw std::runtime_error("cannot write " + path.toStdString());
}

ProcessResult run(const QString& program, const QStringList& args, const QByteArray& stdinData, int timeoutMs,
                  const QStringList& extraEnv)
{
    QProcess p;
    if (!extraEnv.isEmpty()) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& kv : extraEnv) {
            const qsizetype eq = kv.indexOf(QLatin1Char('='));
            env.insert(kv.left(eq), kv.mid(eq + 1));
        }
        p.setProcessEnvironment(env);
    }
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return {-1, {}, ("cannot start " + program).toUtf8()};
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, p.readAllStandardOutput(), p.readAllStandardError() + "\n[timed out]"};
    }
    ProcessResult r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString sourcePath(const QString& rel) { return QStringLiteral(MUZE_SOURCE_DIR "/") + rel; }
QString binaryPath(const QString& rel) { return QStringLiteral(MUZE_BINARY_DIR "/") + rel; }

QString builtBinary(const QString& name)
{
    for (const char* dir : {"src/cli/", "src/gui/", "bin/", ""}) {
        const QString candidate = binaryPath(QString::fromLatin1(dir) + name);
        if (QFileInfo(candidate).isExecutable())
            return candidate;
    }
    throw std::runtime_error("binary not built: " + name.toStdString());
}

QByteArray makeWav(int sampleRate, int channels, int bits, int frames, double freqHz, bool floatFormat, bool extensible)
{
    const int bytesPerSample = bits / 8;
    const quint32 dataBytes = quint32(frames) * quint32(channels * bytesPerSample);
    QByteArray fmt;
    auto le16 = [](QByteArray& b, quint16 v) { char c[2]; qToLittleEndian(v, c); b.append(c, 2); };
    auto le32 = [](QByteArray& b, quint32 v) { char c[4]; qToLittleEndian(v, c); b.append(c, 4); };
    const quint16 tag = extensible ? 0xFFFE : (floatFormat ? 3 : 1);
    le16(fmt, tag);
    le16(fmt, quint16(channels));
    le32(fmt, quint32(sampleRate));
    le32(fmt, quint32(sampleRate * channels * bytesPerSample));
    le16(fmt, quint16(channels * bytesPerSample));
    le16(fmt, quint16(bits));
    if (extensible) {
        le16(fmt, 22);
        le16(fmt, quint16(bits));
        le32(fmt, channels == 2 ? 3u : 4u);
        le16(fmt, floatFormat ? 3 : 1); // sub-format GUID: first two bytes carry the format tag
        fmt.append(QByteArray::fromHex("000000001000800000aa00389b71"));
    }
    QByteArray out("RIFF");
    le32(out, quint32(4 + 8 + fmt.size() + 8 + dataBytes));
    out.append("WAVEfmt ");
    le32(out, quint32(fmt.size()));
    out.append(fmt);
    out.append("data");
    le32(out, dataBytes);
    out.reserve(out.size() + qsizetype(dataBytes));
    for (int i = 0; i < frames; ++i) {
        const double v = 0.5 * std::sin(2.0 * std::numbers::pi * freqHz * i / sampleRate);
        for (int c = 0; c < channels; ++c) {
            if (floatFormat) {
                float f = float(v);
                quint32 u;
                std::memcpy(&u, &f, 4);
                le32(out, u);
            } else if (bits == 16) {
                le16(out, quint16(qint16(std::lround(v * 32767))));
            } else if (bits == 24) {
                const qint32 s = qint32(std::lround(v * 8388607));
                out.append(char(s & 0xff)).append(char((s >> 8) & 0xff)).append(char((s >> 16) & 0xff));
            } else {
                le32(out, quint32(qint32(std::lround(v * 2147483647.0))));
            }
        }
    }
    return out;
}

} // namespace muze::test
