#pragma once
// A pass-through QIODevice that content-hashes every byte read from or written to `inner`,
// so a transfer is verified without reading the file twice. Sequential. Private to muze_sync.

#include <muze/remote/contenthash.h>

#include <QIODevice>

namespace muze::sync {

class HashingDevice : public QIODevice {
public:
    explicit HashingDevice(QIODevice& inner) : m_inner(inner)
    {
        open((inner.openMode() & QIODevice::ReadWrite) | QIODevice::Unbuffered);
    }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_inner.bytesAvailable() + QIODevice::bytesAvailable(); }
    bool atEnd() const override { return m_inner.atEnd() && QIODevice::bytesAvailable() == 0; }
    bool waitForReadyRead(int msecs) override { return m_inner.waitForReadyRead(msecs); }
    QString hash() { return m_hasher.finish(); }
    qint64 count() const { return m_count; }

protected:
    qint64 readData(char* data, qint64 maxSize) override
    {
        const qint64 n = m_inner.read(data, maxSize);
        if (n > 0) {
            m_hasher.addData(QByteArrayView(data, n));
            m_count += n;
        } else if (n < 0) {
            setErrorString(m_inner.errorString());
        }
        return n;
    }
    qint64 writeData(const char* data, qint64 size) override
    {
        const qint64 n = m_inner.write(data, size);
        if (n > 0) {
            m_hasher.addData(QByteArrayView(data, n));
            m_count += n;
        } else if (n < 0) {
            setErrorString(m_inner.errorString());
        }
        return n;
    }

private:
    QIODevice& m_inner;
    remote::ContentHasher m_hasher;
    qint64 m_count = 0;
};

} // namespace muze::sync
