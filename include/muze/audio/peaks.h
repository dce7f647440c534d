#pragma once
// Waveform peaks: min/max per block of frames (channels folded together), computed once per
// track in the background and cached in the vault's local state at
// `<vault>/.muze-state/peaks/<track-id>.peaks` (invalidated when the WAV's size or mtime change).

#include <muze/util/result.h>

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <vector>

namespace muze::audio {

struct PeakData {
    int framesPerPeak = 256;
    int sampleRate = 0;
    qint64 frames = 0;
    std::vector<qint16> minMax; // pairs (min, max) scaled to ±32767
    qsizetype count() const { return qsizetype(minMax.size() / 2); }
};

QString peaksCachePath(const QString& vaultRoot, const QString& trackId);

/// Reads a WAV and computes its peaks (stops early with an error when `cancel` turns true).
Result<PeakData> computePeaks(
    const QString& wavPath, int framesPerPeak = 256, const std::atomic<bool>* cancel = nullptr);
/// The cached peaks when they still match the WAV; an error otherwise.
Result<PeakData> loadCachedPeaks(const QString& cachePath, const QString& wavPath);
Status saveCachedPeaks(const QString& cachePath, const QString& wavPath, const PeakData& peaks);

/// The cache, else computes and caches. Safe on any thread.
Result<PeakData> peaksFor(const QString& vaultRoot, const QString& trackId, const QString& wavPath);

/// Computes peaks on Qt's global thread pool and reports on the thread that owns this object.
class PeaksLoader : public QObject {
    Q_OBJECT
public:
    explicit PeaksLoader(QObject* parent = nullptr);
    ~PeaksLoader() override; // cancels and waits for pending jobs

    void request(const QString& vaultRoot, const QString& trackId, const QString& wavPath);
    void cancelAll();

Q_SIGNALS:
    void ready(const QString& trackId, std::shared_ptr<const muze::audio::PeakData> peaks);
    void failed(const QString& trackId, const QString& message);

private:
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<int>> m_pending;
};

} // namespace muze::audio
