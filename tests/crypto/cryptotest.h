#pragma once
// Helpers shared by the crypto tests.

#include <muze/crypto/filecipher.h>
#include <muze/crypto/keyring.h>
#include <muze/crypto/unlockedkeys.h>

#include <QBuffer>
#include <QByteArray>
#include <QIODevice>
#include <QRandomGenerator>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>

namespace muze::test {

inline QByteArray randomBytes(qint64 n, quint32 seed = 1)
{
    QByteArray out(qsizetype(n), '\0');
    QRandomGenerator gen(seed);
    for (qsizetype i = 0; i < out.size(); ++i)
        out[i] = char(gen.generate() & 0xFF);
    return out;
}

/// Keys for tests: master key ids `ids`, each random; the last one active.
inline std::shared_ptr<crypto::UnlockedKeys> makeKeys(std::initializer_list<quint32> ids = {7})
{
    auto keys = std::make_shared<crypto::UnlockedKeys>();
    for (quint32 id : ids) {
        keys->add(id, crypto::SecretBytes::random(32));
        keys->setActiveKeyId(id);
    }
    return keys;
}

/// A read-only sequential device over bytes that hands them out in small pieces,
/// like a pipe or a network download.
class SequentialSource : public QIODevice {
public:
    explicit SequentialSource(QByteArray data, qint64 piece = 1000) : m_data(std::move(data)), m_piece(piece)
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_data.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char* data, qint64 maxSize) override
    {
        const qint64 n = std::min({maxSize, m_piece, qint64(m_data.size()) - m_pos});
        std::memcpy(data, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_piece;
    qint64 m_pos = 0;
};

inline Result<QByteArray> encryptBytes(const crypto::FileCipher& cipher, const QByteArray& plain, const QString& path)
{
    QByteArray in = plain;
    QBuffer src(&in);
    src.open(QIODevice::ReadOnly);
    QByteArray out;
    QBuffer sink(&out);
    sink.open(QIODevice::WriteOnly);
    if (Status s = cipher.encrypt(src, sink, path); !s)
        return s.error();
    return out;
}

inline Result<QByteArray> decryptBytes(const crypto::FileCipher& cipher, const QByteArray& blob, const QString& path)
{
    QByteArray in = blob;
    QBuffer src(&in);
    src.open(QIODevice::ReadOnly);
    QByteArray out;
    QBuffer sink(&out);
    sink.open(QIODevice::WriteOnly);
    if (Status s = cipher.decrypt(src, sink, path); !s)
        return s.error();
    return out;
}

/// Error code of a result ("" when it succeeded), as std::string so Catch prints it.
template <typename R>
std::string codeOf(const R& r)
{
    return r.ok() ? std::string() : r.error().code.toStdString();
}

} // namespace muze::test
