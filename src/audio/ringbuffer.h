#pragma once
// A single-producer single-consumer byte ring: the capture thread writes, the disk thread
// reads, neither ever waits for the other (wait-free; a full ring refuses bytes).

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <vector>

namespace muze::audio {

class ByteRing {
public:
    explicit ByteRing(size_t capacity)
        : m_buffer(capacity)
    {
    }

    size_t capacity() const { return m_buffer.size(); }
    size_t writable() const
    {
        return capacity() - (m_head.load(std::memory_order_relaxed) - m_tail.load(std::memory_order_acquire));
    }
    size_t readable() const { return m_head.load(std::memory_order_acquire) - m_tail.load(std::memory_order_relaxed); }

    /// Producer only. Copies up to n bytes; returns how many fit.
    size_t write(const char* data, size_t n)
    {
        const size_t head = m_head.load(std::memory_order_relaxed);
        const size_t tail = m_tail.load(std::memory_order_acquire);
        n = std::min(n, capacity() - (head - tail));
        copyIn(head, data, n);
        m_head.store(head + n, std::memory_order_release);
        return n;
    }

    /// Consumer only. Copies up to n bytes out; returns how many.
    size_t read(char* out, size_t n)
    {
        const size_t tail = m_tail.load(std::memory_order_relaxed);
        const size_t head = m_head.load(std::memory_order_acquire);
        n = std::min(n, head - tail);
        const size_t at = tail % capacity();
        const size_t first = std::min(n, capacity() - at);
        std::memcpy(out, m_buffer.data() + at, first);
        std::memcpy(out + first, m_buffer.data(), n - first);
        m_tail.store(tail + n, std::memory_order_release);
        return n;
    }

private:
    void copyIn(size_t head, const char* data, size_t n)
    {
        const size_t at = head % capacity();
        const size_t first = std::min(n, capacity() - at);
        std::memcpy(m_buffer.data() + at, data, first);
        std::memcpy(m_buffer.data(), data + first, n - first);
    }

    std::vector<char> m_buffer;
    alignas(64) std::atomic<size_t> m_head{0}; // total bytes written
    alignas(64) std::atomic<size_t> m_tail{0}; // total bytes read
};

} // namespace muze::audio
