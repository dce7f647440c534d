#include "sha256.h"

#ifdef MUZE_HAVE_OPENSSL
#include <openssl/evp.h>
#else
#include <QCryptographicHash>
#endif

#include <cstring>
#include <stdexcept>

namespace muze::remote::detail {

#ifdef MUZE_HAVE_OPENSSL
namespace {
// Fetched once: implicit fetches in EVP_DigestInit cost a provider lookup per call.
const EVP_MD* sha256Md()
{
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md ? md : EVP_sha256();
}
} // namespace

struct Sha256::Impl {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_d(std::make_unique<Impl>())
{
    if (!m_d->ctx)
        throw std::bad_alloc();
    reset();
}
Sha256::~Sha256() = default;
void Sha256::reset() { EVP_DigestInit_ex(m_d->ctx, sha256Md(), nullptr); }
void Sha256::add(const void* data, qsizetype len)
{
    if (len > 0)
        EVP_DigestUpdate(m_d->ctx, data, size_t(len));
}
Digest Sha256::finish()
{
    Digest out{};
    unsigned int n = 0;
    EVP_DigestFinal_ex(m_d->ctx, out.data(), &n);
    reset();
    return out;
}
Digest Sha256::of(const void* data, qsizetype len)
{
    Digest out{};
    unsigned int n = 0;
    EVP_Digest(data, size_t(len), out.data(), &n, sha256Md(), nullptr);
    return out;
}
#else
struct Sha256::Impl {
    QCryptographicHash h{QCryptographicHash::Sha256};
};
Sha256::Sha256() : m_d(std::make_unique<Impl>()) {}
Sha256::~Sha256() = default;
void Sha256::reset() { m_d->h.reset(); }
void Sha256::add(const void* data, qsizetype len)
{
    if (len > 0)
        m_d->h.addData(QByteArrayView(static_cast<const char*>(data), len));
}
Digest Sha256::finish()
{
    Digest out{};
    const QByteArray r = m_d->h.result();
    std::memcpy(out.data(), r.constData(), out.size());
    reset();
    return out;
}
Digest Sha256::of(const void* data, qsizetype len)
{
    Sha256 h;
    h.add(data, len);
    return h.finish();
}
#endif

} // namespace muze::remote::detail
