#include <muze/audio/mixer.h>

#include <muze/model/vaultstore.h>

#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace muze::audio {

struct Mixer::Track {
    QString id;
    TrackMix mix;
    wav::WavReader reader;
    int channels = 1;
    int srcRate = 0;
    qint64 length = 0; // in mix frames
    StereoGains gains;
    bool audible = true;
    std::vector<float> buffer;

    // Reads `n` mix frames from mix frame `pos` into `out` (channels interleaved); returns the
    // frames that hold audio (the rest is untouched).
    qint64 read(qint64 pos, qint64 n, float* out, int mixRate)
    {
        if (pos >= length)
            return 0;
        n = std::min(n, length - pos);
        if (srcRate == mixRate)
            return std::max<qint64>(0, reader.read(pos, n, out));
        // Linear interpolation: mix frame m sits at source position m·srcRate/mixRate, kept in
        // integers so long takes do not drift.
        const qint64 first = pos * srcRate / mixRate;
        const qint64 last = (pos + n - 1) * srcRate / mixRate + 1;
        const qint64 span = last - first + 1;
        buffer.assign(size_t(span * channels), 0.0f);
        reader.read(first, span, buffer.data());
        for (qint64 i = 0; i < n; ++i) {
            const qint64 num = (pos + i) * srcRate;
            const qint64 i0 = num / mixRate - first;
            const float frac = float(num % mixRate) / float(mixRate);
            for (int c = 0; c < channels; ++c) {
                const float a = buffer[size_t(i0 * channels + c)];
                const float b = buffer[size_t((i0 + 1) * channels + c)];
                out[i * channels + c] = a + (b - a) * frac;
            }
        }
        return n;
    }
};

StereoGains trackGains(const TrackMix& mix, int channels, double masterGainDb)
{
    const double g = std::pow(10.0, (mix.gainDb + masterGainDb) / 20.0);
    const double pan = std::clamp(mix.pan, -1.0, 1.0);
    if (channels == 1) {
        const double theta = (pan + 1.0) * std::numbers::pi / 4.0;
        return {float(g * std::cos(theta)), float(g * std::sin(theta))};
    }
    return {float(g * (pan > 0 ? 1.0 - pan : 1.0)), float(g * (pan < 0 ? 1.0 + pan : 1.0))};
}

Result<MixSpec> loadMixSpec(const QString& vaultRoot, const QString& mixRef)
{
    model::VaultStore store(vaultRoot);
    auto ref = store.resolve(mixRef, model::ItemKind::Mix);
    if (!ref)
        return ref.error();
    auto tree = store.load();
    if (!tree)
        return tree.error();
    for (const auto& c : tree->collections) {
        for (const auto& p : c.projects) {
            for (const auto& m : p.mixes) {
                if (m.id != ref->id)
                    continue;
                MixSpec spec;
                spec.vaultRoot = vaultRoot;
                spec.mixId = m.id;
                spec.name = m.name();
                spec.masterGainDb = jsonNumber(m.data, "gain_db", 0.0);
                for (const auto& t : m.tracks) {
                    MixTrackSpec ts;
                    ts.id = t.id();
                    ts.name = t.name();
                    const QString rel = t.audioFile.isEmpty() ? model::trackAudioFile(c.id, p.id, ts.id) : t.audioFile;
                    ts.wavPath = store.absolute(rel);
                    ts.mix.gainDb = jsonNumber(t.data, "gain_db", 0.0);
                    ts.mix.pan = jsonNumber(t.data, "pan", 0.0);
                    ts.mix.muted = jsonBool(t.data, "muted", false);
                    ts.mix.solo = jsonBool(t.data, "solo", false);
                    spec.tracks.push_back(std::move(ts));
                }
                return spec;
            }
        }
    }
    return makeError(QStringLiteral("mix %1 could not be read from the vault").arg(mixRef), errc::not_found);
}

Mixer::Mixer() = default;
Mixer::~Mixer() = default;

Status Mixer::open(const MixSpec& spec, bool requireAll)
{
    m_tracks.clear();
    m_problems.clear();
    m_position = 0;
    m_masterGainDb = spec.masterGainDb;
    const bool anySolo = std::any_of(spec.tracks.begin(), spec.tracks.end(), [](const auto& t) { return t.mix.solo; });
    std::map<int, int> rates;
    for (const MixTrackSpec& ts : spec.tracks) {
        auto track = std::make_unique<Track>();
        track->id = ts.id;
        track->mix = ts.mix;
        if (Status s = track->reader.open(ts.wavPath); !s) {
            const QString problem = QStringLiteral("track \"%1\": %2").arg(ts.name, s.error().message);
            const bool audible = !ts.mix.muted && (!anySolo || ts.mix.solo);
            if (requireAll && audible)
                return makeError(problem, s.error().code);
            m_problems << problem;
            continue;
        }
        track->channels = track->reader.channels();
        track->srcRate = track->reader.sampleRate();
        ++rates[track->srcRate];
        m_tracks.push_back(std::move(track));
    }
    m_rate = 48000;
    int best = 0;
    for (const auto& [rate, count] : rates) {
        if (count >= best) { // ascending keys: ties go to the higher rate
            best = count;
            m_rate = rate;
        }
    }
    m_length = 0;
    for (auto& t : m_tracks) {
        const qint64 frames = t->reader.frames();
        t->length = t->srcRate == m_rate ? frames : (frames * m_rate + t->srcRate - 1) / t->srcRate;
        m_length = std::max(m_length, t->length);
    }
    updateGains();
    return {};
}

void Mixer::updateGains()
{
    const bool anySolo = std::any_of(m_tracks.begin(), m_tracks.end(), [](const auto& t) { return t->mix.solo; });
    for (auto& t : m_tracks) {
        t->audible = !t->mix.muted && (!anySolo || t->mix.solo);
        t->gains = trackGains(t->mix, t->channels, m_masterGainDb);
    }
}

void Mixer::seek(qint64 frame)
{
    m_position = std::clamp<qint64>(frame, 0, m_length);
}

bool Mixer::setTrackMix(const QString& trackId, const TrackMix& mix)
{
    for (auto& t : m_tracks) {
        if (t->id == trackId) {
            t->mix = mix;
            updateGains();
            return true;
        }
    }
    return false;
}

void Mixer::setMasterGainDb(double db)
{
    m_masterGainDb = db;
    updateGains();
}

qint64 Mixer::render(float* out, qint64 frames)
{
    const qint64 n = std::min(frames, m_length - m_position);
    if (n <= 0)
        return 0;
    std::fill(out, out + n * 2, 0.0f);
    for (auto& t : m_tracks) {
        if (!t->audible)
            continue;
        m_scratch.resize(size_t(n * t->channels));
        const qint64 got = t->read(m_position, n, m_scratch.data(), m_rate);
        const float gl = t->gains.left;
        const float gr = t->gains.right;
        const float* s = m_scratch.data();
        if (t->channels == 1) {
            for (qint64 i = 0; i < got; ++i) {
                out[2 * i] += s[i] * gl;
                out[2 * i + 1] += s[i] * gr;
            }
        } else {
            for (qint64 i = 0; i < got; ++i) {
                out[2 * i] += s[2 * i] * gl;
                out[2 * i + 1] += s[2 * i + 1] * gr;
            }
        }
    }
    m_position += n;
    return n;
}

} // namespace muze::audio
