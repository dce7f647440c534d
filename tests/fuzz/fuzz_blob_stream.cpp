// libFuzzer entry for damaged blobs: a valid blob is built, then cut, extended, overwritten or
// its chunks swapped as the input says. Decryption must succeed exactly when the bytes are
// unchanged (and then return the plaintext), and fail with a documented code otherwise.
#include <muze/crypto/filecipher.h>

#include <QBuffer>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <memory>

using namespace muze::crypto;

namespace {

struct Reader {
    const uint8_t* p;
    size_t n;
    uint32_t next(uint32_t bound) // a value in [0, bound)
    {
        uint32_t v = 0;
        for (int i = 0; i < 3 && n; ++i, ++p, --n)
            v = (v << 8) | *p;
        return bound ? v % bound : 0;
    }
};

// A sequential source (like a download) so the streaming size checks run too.
class Pipe : public QIODevice {
public:
    explicit Pipe(const QByteArray& data) : m_data(data) { open(QIODevice::ReadOnly); }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char* out, qint64 max) override
    {
        const qint64 n = std::min<qint64>({max, 97, m_data.size() - m_pos});
        std::memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

std::shared_ptr<UnlockedKeys> keys()
{
    static auto k = [] {
        auto u = std::make_shared<UnlockedKeys>();
        u->add(3, SecretBytes::copyOf(QByteArray(32, '\x03')));
        u->setActiveKeyId(3);
        return u;
    }();
    return k;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Reader in{data, size};
    const quint32 chunk = kMinChunkSize + in.next(200);
    const qint64 plainSize = in.next(3000);
    const FileCipher cipher(keys(), CipherOptions{chunk, in.next(4) == 0 ? 2 : 1});
    // The plaintext is a fixed pattern: made once, not byte by byte through QByteArray's
    // checked operator[] on every input.
    static const QByteArray pattern = [] {
        QByteArray p(3000, '\0');
        for (qsizetype i = 0; i < p.size(); ++i)
            p.data()[i] = char(i * 31 + 7);
        return p;
    }();
    QByteArray plain = pattern.left(qsizetype(plainSize));
    QBuffer plainDev(&plain);
    plainDev.open(QIODevice::ReadOnly);
    QByteArray blob;
    QBuffer blobDev(&blob);
    blobDev.open(QIODevice::WriteOnly);
    if (!cipher.encrypt(plainDev, blobDev, QStringLiteral("a/b.json")))
        std::abort();
    const QByteArray original = blob;

    const int edits = int(in.next(4));
    for (int e = 0; e < edits && in.n; ++e) {
        const qint64 at = in.next(uint32_t(blob.size() + 1));
        switch (in.next(4)) {
        case 0: blob.truncate(qsizetype(at)); break;
        case 1: blob.append(QByteArray(qsizetype(1 + in.next(300)), char(in.next(256)))); break;
        case 2:
            if (at < blob.size())
                blob[qsizetype(at)] = char(blob[qsizetype(at)] ^ (1 + in.next(255)));
            break;
        default: { // swap two chunk-sized spans after the header
            const qint64 stride = chunk + kChunkTagSize;
            const qint64 chunks = (blob.size() - kBlobHeaderSize) / stride;
            if (chunks >= 2) {
                const qint64 i = in.next(uint32_t(chunks)), j = in.next(uint32_t(chunks));
                const QByteArray a = blob.mid(qsizetype(kBlobHeaderSize + i * stride), qsizetype(stride));
                const QByteArray b = blob.mid(qsizetype(kBlobHeaderSize + j * stride), qsizetype(stride));
                blob.replace(qsizetype(kBlobHeaderSize + i * stride), qsizetype(stride), b);
                blob.replace(qsizetype(kBlobHeaderSize + j * stride), qsizetype(stride), a);
            }
        }
        }
    }
    const bool wrongPath = in.next(8) == 0;
    QByteArray out;
    QBuffer sink(&out);
    sink.open(QIODevice::WriteOnly);
    QBuffer file(&blob);
    Pipe pipe(blob);
    QIODevice& source = in.next(2) ? static_cast<QIODevice&>(pipe) : file;
    file.open(QIODevice::ReadOnly);
    const muze::Status s = cipher.decrypt(source, sink, wrongPath ? QStringLiteral("a/c.json") : QStringLiteral("a/b.json"));
    const bool intact = blob == original && !wrongPath;
    if (intact != s.ok())
        std::abort(); // damage accepted, or a good blob refused
    if (s.ok() && out != plain)
        std::abort();
    return 0;
}
