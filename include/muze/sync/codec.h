#pragma once
// How a file's bytes are stored remotely. Plain vaults store them as they are; encrypted vaults
// store the crypto module's blob format (FileCipher) at the same vault-relative path — paths
// are ids, never titles, so they reveal nothing a blob would hide — with the remote content
// hash computed over the ciphertext. The key ring (.muze/keyring.json) is always plain.

#include <muze/util/result.h>
#include <muze/vault/vaultrecord.h>

#include <QIODevice>
#include <QString>

#include <memory>

namespace muze::crypto {
class UnlockedKeys;
}

namespace muze::sync {

class ContentCodec {
public:
    virtual ~ContentCodec() = default;
    virtual bool encrypted() const = 0;
    /// Key id new files are stored under (0 for plain vaults).
    virtual quint32 activeKeyId() const { return 0; }
    /// Writes the stored form of `size` bytes of `plain` for `relPath` into `out`.
    virtual Status encode(QIODevice& plain, qint64 size, QIODevice& out, const QString& relPath) const = 0;
    /// Writes the plaintext of the stored form in `stored` (positioned at its start) into `out`.
    virtual Status decode(QIODevice& stored, QIODevice& out, const QString& relPath) const = 0;
    /// Key id of a stored file (0 when unknown or plain).
    virtual quint32 keyIdOf(QIODevice& stored) const
    {
        Q_UNUSED(stored);
        return 0;
    }
    /// Bytes at the start of a stored file that keyIdOf() needs (0: plain, no header).
    virtual qint64 headerBytes() const { return 0; }
    /// Whether this device holds the key `keyId` names.
    virtual bool hasKey(quint32 keyId) const
    {
        Q_UNUSED(keyId);
        return false;
    }
    /// Rewrites the stored form in `stored` under the active key into `out` (after a key
    /// rotation), authenticating every chunk on the way; `out` is usable only when this returns ok.
    virtual Status reencode(QIODevice& stored, QIODevice& out, const QString& relPath) const
    {
        Q_UNUSED(stored);
        Q_UNUSED(out);
        return makeError(QStringLiteral("%1: this vault is not encrypted").arg(relPath), errc::not_encrypted);
    }
};

std::unique_ptr<ContentCodec> makePlainCodec();
/// The codec for a vault: plain, or (encrypted) FileCipher with the vault's unlocked keys
/// (crypto::loadVaultKeys: the device keychain). "locked" when the keys are not available here.
Result<std::unique_ptr<ContentCodec>> makeCodecForVault(const vault::VaultRecord& vault);
/// A FileCipher codec over already unlocked keys (tests, and callers that unlocked themselves).
std::unique_ptr<ContentCodec> makeCipherCodec(std::shared_ptr<const crypto::UnlockedKeys> keys);

} // namespace muze::sync
