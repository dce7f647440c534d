#pragma once
// SecretBytes: key material in sodium_malloc'd memory (guard pages, mlock'd where the system
// allows), wiped by sodium_free on destruction. Move-only; copies are explicit (clone()).
// Not thread-safe for mutation; concurrent const access (reading a key) is fine.

#include <QByteArray>
#include <QByteArrayView>

#include <cstddef>

namespace muze::crypto {

/// Initialises libsodium once (thread-safe, cheap after the first call). Every entry point of
/// this module calls it; false only if libsodium cannot start (no entropy source).
bool ensureSodium();

class SecretBytes {
public:
    SecretBytes() = default;
    /// `size` zero bytes. Throws std::bad_alloc when the secure allocator is exhausted.
    explicit SecretBytes(std::size_t size);
    /// `size` bytes from the system CSPRNG.
    static SecretBytes random(std::size_t size);
    static SecretBytes copyOf(const void* data, std::size_t size);
    static SecretBytes copyOf(QByteArrayView bytes) { return copyOf(bytes.data(), std::size_t(bytes.size())); }

    ~SecretBytes();
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    SecretBytes(const SecretBytes&) = delete;
    SecretBytes& operator=(const SecretBytes&) = delete;

    SecretBytes clone() const;
    unsigned char* data() { return m_data; }
    const unsigned char* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    bool isEmpty() const { return m_size == 0; }
    /// Constant-time equality (sizes compared first).
    bool equals(const SecretBytes& other) const;
    /// A view for APIs that take bytes; it points into the secure buffer (do not keep it).
    QByteArrayView view() const { return {reinterpret_cast<const char*>(m_data), qsizetype(m_size)}; }

private:
    void release();
    unsigned char* m_data = nullptr;
    std::size_t m_size = 0;
};

/// Zeroes the bytes of `bytes` (this copy only: a QByteArray shared with others is detached
/// first, which leaves the other copies untouched) and clears it.
void wipe(QByteArray& bytes);

} // namespace muze::crypto
