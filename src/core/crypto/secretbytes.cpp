#include <muze/crypto/secretbytes.h>

#include <sodium.h>

#include <cstring>
#include <new>
#include <utility>

namespace muze::crypto {

bool ensureSodium()
{
    static const bool ok = sodium_init() >= 0; // thread-safe static init; sodium_init is idempotent
    return ok;
}

SecretBytes::SecretBytes(std::size_t size)
{
    if (size == 0)
        return;
    ensureSodium();
    m_data = static_cast<unsigned char*>(sodium_malloc(size));
    if (!m_data)
        throw std::bad_alloc();
    m_size = size;
    sodium_memzero(m_data, m_size);
}

SecretBytes SecretBytes::random(std::size_t size)
{
    SecretBytes s(size);
    if (size)
        randombytes_buf(s.m_data, size);
    return s;
}

SecretBytes SecretBytes::copyOf(const void* data, std::size_t size)
{
    SecretBytes s(size);
    if (size)
        std::memcpy(s.m_data, data, size);
    return s;
}

SecretBytes::~SecretBytes() { release(); }

void SecretBytes::release()
{
    if (m_data)
        sodium_free(m_data); // wipes before unmapping
    m_data = nullptr;
    m_size = 0;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : m_data(std::exchange(other.m_data, nullptr)), m_size(std::exchange(other.m_size, 0))
{
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        release();
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecretBytes SecretBytes::clone() const { return copyOf(m_data, m_size); }

bool SecretBytes::equals(const SecretBytes& other) const
{
    if (m_size != other.m_size)
        return false;
    return m_size == 0 || sodium_memcmp(m_data, other.m_data, m_size) == 0;
}

void wipe(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), std::size_t(bytes.size()));
    bytes.clear();
}

} // namespace muze::crypto
