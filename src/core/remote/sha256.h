#pragma once
// SHA-256 with the fastest backend available: OpenSSL's libcrypto (SHA-NI/AVX2) when the
// build found it, QCryptographicHash otherwise. Private to muze_remote.

#include <QByteArrayView>

#include <array>
#include <memory>

namespace muze::remote::detail {

using Digest = std::array<unsigned char, 32>;

class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;

    void reset();
    void add(const void* data, qsizetype len);
    void add(QByteArrayView v) { add(v.data(), v.size()); }
    Digest finish(); // resets afterwards

    static Digest of(const void* data, qsizetype len);

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace muze::remote::detail
