#pragma once
// Helpers shared by the test suites: temp dirs, files, running the real binaries.

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <functional>

namespace muze::test {

/// A temp dir that is removed at scope exit unless MUZE_KEEP_TEST_DIRS is set.
class TempDir {
public:
    TempDir();
    QString path() const { return m_dir.path(); }
    QString filePath(const QString& rel) const { return m_dir.filePath(rel); }

private:
    QTemporaryDir m_dir;
};

/// Runs the event loop until `done()` is true (true) or `ms` passed (false).
bool waitUntil(const std::function<bool()>& done, int ms);

QByteArray readAll(const QString& path);
void writeAll(const QString& path, const QByteArray& data);

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// Runs a program to completion (timeout in ms) with optional stdin and extra environment.
ProcessResult run(const QString& program, const QStringList& args, const QByteArray& stdinData = {},
                  int timeoutMs = 60000, const QStringList& extraEnv = {});

/// Path of a binary built by this project (e.g. "muze-cli"), from the build tree.
QString builtBinary(const QString& name);
QString sourcePath(const QString& rel);
QString binaryPath(const QString& rel);

/// Writes a canonical RIFF/WAVE file: PCM16 stereo sine at the given frequency.
QByteArray makeWav(int sampleRate, int channels, int bits, int frames, double freqHz = 440.0,
                   bool floatFormat = false, bool extensible = false);

} // namespace muze::test
