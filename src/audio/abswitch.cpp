#include <muze/audio/abswitch.h>

#include <algorithm>

namespace muze::audio {

void AbSwitch::attach(Mixer* a, Mixer* b)
{
    m_a = a;
    m_b = b;
    m_weightB = (b && m_wantB.load()) ? 1.0f : 0.0f;
}

void AbSwitch::seek(qint64 frame)
{
    if (m_a)
        m_a->seek(frame);
    if (m_b)
        m_b->seek(frame);
}

qint64 AbSwitch::render(float* out, qint64 frames)
{
    if (!m_a)
        return 0;
    const qint64 n = m_a->render(out, frames);
    if (!m_b || n <= 0)
        return n;
    // B follows A's position exactly (a seek of A alone would otherwise desynchronise them).
    if (m_b->position() != m_a->position() - n)
        m_b->seek(m_a->position() - n);
    m_bufferB.assign(size_t(n * 2), 0.0f);
    m_b->render(m_bufferB.data(), n); // fewer frames past B's end: the rest stays silent
    const float target = m_wantB.load() ? 1.0f : 0.0f;
    const float step = 1.0f / float(kFadeFrames);
    for (qint64 i = 0; i < n; ++i) {
        if (m_weightB < target)
            m_weightB = std::min(target, m_weightB + step);
        else if (m_weightB > target)
            m_weightB = std::max(target, m_weightB - step);
        const float wa = 1.0f - m_weightB;
        out[2 * i] = out[2 * i] * wa + m_bufferB[size_t(2 * i)] * m_weightB;
        out[2 * i + 1] = out[2 * i + 1] * wa + m_bufferB[size_t(2 * i + 1)] * m_weightB;
    }
    return n;
}

} // namespace muze::audio
