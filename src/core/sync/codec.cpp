#include <muze/sync/codec.h>

#include <QFile>

#include <muze/crypto/filecipher.h>
#include <muze/crypto/vaultkeys.h>

namespace muze::sync {

namespace {

class PlainCodec final : public ContentCodec {
public:
    bool encrypted() const override { return false; }
    Status encode(QIODevice& plain, qint64 size, QIODevice& out, const QString& relPath) const override
    {
        return copy(plain, size, out, relPath);
    }
    Status decode(QIODevice& stored, QIODevice& out, const QString& relPath) const override
    {
        return copy(stored, -1, out, relPath);
    }

private:
    static Status copy(QIODevice& in, qint64 size, QIODevice& out, const QString& relPath)
    {
        QByteArray buffer(1024 * 1024, Qt::Uninitialized);
        qint64 done = 0;
        while (size < 0 || done < size) {
            const qint64 want = size < 0 ? buffer.size() : std::min<qint64>(buffer.size(), size - done);
            const qint64 n = in.read(buffer.data(), want);
            if (n < 0)
                return makeError(QStringLiteral("Cannot read %1: %2").arg(relPath, in.errorString()), errc::io);
            if (n == 0) {
                if (size < 0)
                    break;
                return makeError(QStringLiteral("%1 ended early").arg(relPath), errc::source_changed);
            }
            if (out.write(buffer.constData(), n) != n)
                return makeError(QStringLiteral("Cannot write %1: %2").arg(relPath, out.errorString()), errc::io);
            done += n;
        }
        return {};
    }
};

class CipherCodec final : public ContentCodec {
public:
    explicit CipherCodec(std::shared_ptr<const crypto::UnlockedKeys> keys) : m_cipher(std::move(keys)) {}
    bool encrypted() const override { return true; }
    quint32 activeKeyId() const override { return m_cipher.keys().activeKeyId(); }
    Status encode(QIODevice& plain, qint64 size, QIODevice& out, const QString& relPath) const override
    {
        return m_cipher.encrypt(plain, out, relPath, size);
    }
    Status decode(QIODevice& stored, QIODevice& out, const QString& relPath) const override
    {
        return m_cipher.decrypt(stored, out, relPath);
    }
    quint32 keyIdOf(QIODevice& stored) const override
    {
        Result<crypto::BlobHeader> h = crypto::FileCipher::inspect(stored);
        return h ? h->keyId : 0;
    }
    qint64 headerBytes() const override { return crypto::kBlobHeaderSize; }
    bool hasKey(quint32 keyId) const override { return m_cipher.keys().contains(keyId); }
    Status reencode(QIODevice& stored, QIODevice& out, const QString& relPath) const override
    {
        return m_cipher.reencrypt(stored, out, relPath);
    }

private:
    crypto::FileCipher m_cipher;
};

} // namespace

std::unique_ptr<ContentCodec> makePlainCodec() { return std::make_unique<PlainCodec>(); }

Result<std::unique_ptr<ContentCodec>> makeCodecForVault(const vault::VaultRecord& vault)
{
    if (!vault.encrypted && !crypto::isVaultEncrypted(vault.path))
        return makePlainCodec();
    Result<crypto::UnlockedKeys> keys = crypto::loadVaultKeys(vault.path, vault.id);
    if (!keys)
        return keys.error();
    return std::unique_ptr<ContentCodec>(
        std::make_unique<CipherCodec>(std::make_shared<const crypto::UnlockedKeys>(std::move(*keys))));
}

std::unique_ptr<ContentCodec> makeCipherCodec(std::shared_ptr<const crypto::UnlockedKeys> keys)
{
    return std::make_unique<CipherCodec>(std::move(keys));
}

} // namespace muze::sync
