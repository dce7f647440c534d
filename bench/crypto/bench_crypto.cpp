// muze_bench_crypto: times FileCipher and crypto_secretstream on one file.
//   muze_bench_crypto muze IN WORKDIR [THREADS]   FileCipher encrypt + decrypt (64 KiB chunks)
//   muze_bench_crypto secretstream IN WORKDIR     crypto_secretstream_xchacha20poly1305, 64 KiB messages
//   muze_bench_crypto memory MIB [THREADS]        FileCipher from memory to a null sink (CPU only)
// Prints "<name> <MB/s wall> <MB per CPU-second>" lines (MB = 10^6 bytes) and checks the round trip byte for byte.
#include <muze/crypto/filecipher.h>

#include <sodium.h>

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace muze::crypto;

namespace {

QTextStream out(stdout);

// Wall time and CPU time (all threads of this process) of one measured operation.
class Stopwatch {
public:
    void start()
    {
        m_wall.start();
        m_cpu = cpuNow();
    }
    qint64 wallNs() const { return m_wall.nsecsElapsed(); }
    qint64 cpuNs() const { return cpuNow() - m_cpu; }

private:
    static qint64 cpuNow()
    {
        timespec ts{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
    }
    QElapsedTimer m_wall;
    qint64 m_cpu = 0;
};

// "<name> <MB/s of wall time> <MB per CPU-second>"
void report(const char* name, qint64 bytes, const Stopwatch& t)
{
    const double mb = double(bytes) / 1e6;
    out << name << ' ' << QString::number(mb / (double(t.wallNs()) / 1e9), 'f', 0) << ' '
        << QString::number(mb / (double(std::max<qint64>(t.cpuNs(), 1)) / 1e9), 'f', 0) << Qt::endl;
}

QByteArray sha256(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return h.result();
}

int fail(const QString& why)
{
    QTextStream(stderr) << "muze_bench_crypto: " << why << Qt::endl;
    return 1;
}

int benchMuze(const QString& in, const QString& dir, int threads)
{
    auto keys = std::make_shared<UnlockedKeys>();
    keys->add(1, SecretBytes::random(32));
    keys->setActiveKeyId(1);
    const FileCipher cipher(keys, CipherOptions{kDefaultChunkSize, threads});
    const QString blob = dir + QStringLiteral("/muze.blob"), back = dir + QStringLiteral("/muze.out");
    const QString path = QStringLiteral("collections/c/projects/p/audio/t.wav");
    Stopwatch t;
    qint64 size = 0;
    {
        QFile src(in), dst(blob);
        if (!src.open(QIODevice::ReadOnly) || !dst.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot open files"));
        size = src.size();
        t.start();
        if (auto s = cipher.encrypt(src, dst, path); !s)
            return fail(s.errorString());
        dst.close(); // no fsync: the same as age and secretstream below
    }
    report(threads == 1 ? "muze-encrypt-1thread" : "muze-encrypt", size, t);
    {
        QFile src(blob), dst(back);
        if (!src.open(QIODevice::ReadOnly) || !dst.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot open files"));
        t.start();
        if (auto s = cipher.decrypt(src, dst, path); !s)
            return fail(s.errorString());
        dst.close();
    }
    report(threads == 1 ? "muze-decrypt-1thread" : "muze-decrypt", size, t);
    if (sha256(in) != sha256(back))
        return fail(QStringLiteral("muze round trip differs"));
    QFile::remove(blob);
    QFile::remove(back);
    return 0;
}

// Discards what is written; reads back nothing. For CPU-only timings.
class NullSink : public QIODevice {
public:
    NullSink() { open(QIODevice::WriteOnly); }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 n) override { return n; }
};

int benchMemory(qint64 mib, int threads)
{
    auto keys = std::make_shared<UnlockedKeys>();
    keys->add(1, SecretBytes::random(32));
    keys->setActiveKeyId(1);
    const FileCipher cipher(keys, CipherOptions{kDefaultChunkSize, threads});
    const QString path = QStringLiteral("t.wav");
    QByteArray plain(qsizetype(mib << 20), '\0');
    randombytes_buf(plain.data(), std::size_t(plain.size()));
    // The blob is made, and read once, untimed: on this kind of VM the first pass over fresh
    // memory costs far more than the cipher (page faults), which is no cipher's doing.
    QByteArray blob;
    {
        QBuffer src(&plain), dst(&blob);
        src.open(QIODevice::ReadOnly);
        dst.open(QIODevice::WriteOnly);
        if (auto s = cipher.encrypt(src, dst, path); !s)
            return fail(s.errorString());
        QBuffer again(&blob);
        again.open(QIODevice::ReadOnly);
        NullSink sink;
        if (auto s = cipher.decrypt(again, sink, path); !s)
            return fail(s.errorString());
    }
    {
        QBuffer src(&plain);
        src.open(QIODevice::ReadOnly);
        NullSink sink;
        Stopwatch t;
        t.start();
        if (auto s = cipher.encrypt(src, sink, path); !s)
            return fail(s.errorString());
        report(threads == 1 ? "memory-encrypt-1thread" : "memory-encrypt", plain.size(), t);
    }
    QBuffer src(&blob);
    src.open(QIODevice::ReadOnly);
    NullSink sink;
    Stopwatch t;
    t.start();
    if (auto s = cipher.decrypt(src, sink, path); !s)
        return fail(s.errorString());
    report(threads == 1 ? "memory-decrypt-1thread" : "memory-decrypt", plain.size(), t);
    return 0;
}

int benchSecretstream(const QString& in, const QString& dir)
{
    constexpr std::size_t kChunk = 64 * 1024;
    constexpr std::size_t kA = crypto_secretstream_xchacha20poly1305_ABYTES;
    unsigned char key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
    crypto_secretstream_xchacha20poly1305_keygen(key);
    const QString blob = dir + QStringLiteral("/ss.blob"), back = dir + QStringLiteral("/ss.out");
    std::vector<unsigned char> plain(kChunk), cipher(kChunk + kA);
    Stopwatch t;
    qint64 size = 0;
    {
        QFile src(in), dst(blob);
        if (!src.open(QIODevice::ReadOnly) || !dst.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot open files"));
        size = src.size();
        t.start();
        crypto_secretstream_xchacha20poly1305_state st;
        unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
        crypto_secretstream_xchacha20poly1305_init_push(&st, header, key);
        dst.write(reinterpret_cast<const char*>(header), sizeof header);
        qint64 left = size;
        do {
            const qint64 n = src.read(reinterpret_cast<char*>(plain.data()), kChunk);
            left -= n;
            unsigned long long clen = 0;
            crypto_secretstream_xchacha20poly1305_push(&st, cipher.data(), &clen, plain.data(), quint64(n), nullptr, 0,
                                                       left == 0 ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
            dst.write(reinterpret_cast<const char*>(cipher.data()), qint64(clen));
        } while (left > 0);
        dst.close();
    }
    report("secretstream-encrypt", size, t);
    {
        QFile src(blob), dst(back);
        if (!src.open(QIODevice::ReadOnly) || !dst.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(QStringLiteral("cannot open files"));
        t.start();
        crypto_secretstream_xchacha20poly1305_state st;
        unsigned char header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
        src.read(reinterpret_cast<char*>(header), sizeof header);
        if (crypto_secretstream_xchacha20poly1305_init_pull(&st, header, key) != 0)
            return fail(QStringLiteral("secretstream header"));
        unsigned char tag = 0;
        while (tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
            const qint64 n = src.read(reinterpret_cast<char*>(cipher.data()), qint64(kChunk + kA));
            unsigned long long mlen = 0;
            if (n <= 0 || crypto_secretstream_xchacha20poly1305_pull(&st, plain.data(), &mlen, &tag, cipher.data(),
                                                                     quint64(n), nullptr, 0)
                    != 0)
                return fail(QStringLiteral("secretstream chunk failed"));
            dst.write(reinterpret_cast<const char*>(plain.data()), qint64(mlen));
        }
        dst.close();
    }
    report("secretstream-decrypt", size, t);
    if (sha256(in) != sha256(back))
        return fail(QStringLiteral("secretstream round trip differs"));
    QFile::remove(blob);
    QFile::remove(back);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (sodium_init() < 0)
        return fail(QStringLiteral("libsodium"));
    const QStringList args = app.arguments();
    if (args.size() >= 4 && args[1] == QLatin1String("muze"))
        return benchMuze(args[2], args[3], args.size() > 4 ? args[4].toInt() : 0);
    if (args.size() >= 3 && args[1] == QLatin1String("memory"))
        return benchMemory(args[2].toLongLong(), args.size() > 3 ? args[3].toInt() : 0);
    if (args.size() == 4 && args[1] == QLatin1String("secretstream"))
        return benchSecretstream(args[2], args[3]);
    return fail(QStringLiteral("usage: muze_bench_crypto muze|secretstream IN WORKDIR [THREADS]"));
}
