#pragma once
// KeyRing: a vault's master keys, each wrapped (XChaCha20-Poly1305) with a key-encryption key
// (KEK) derived from the vault password by Argon2id. It is plain JSON holding only wrapped keys,
// KDF parameters and salt, stored in the synced metadata folder (kKeyRingFile) so any device
// unlocks it with the password. Byte-level layout: docs/FORMAT.md §1.
//
//   auto ring = KeyRing::create(password);           // Argon2id, moderate limits (~1 s, 256 MiB)
//   ring->save(vaultRoot + "/" + kKeyRingFile);
//   auto loaded = KeyRing::load(path); loaded->unlock(password);  // "wrong_password" on failure
//   UnlockedKeys keys = *loaded->unlockedKeys();
//
// Key ids are random non-zero 32-bit numbers, so two devices rotating at once never hand out
// the same id.
//
// The file is synced through storage we do not trust, so every security-relevant field (KDF
// parameters and salt, active key id, the key list) is covered by a MAC under a key derived
// from the KEK (docs/FORMAT.md §1.1). unlock()/unlockWithKek() check it before anything in the
// file is used; a ring that fails it stays locked ("tampered_keyring"). Every change made
// through this class re-seals the ring, so whatever save() writes carries a valid MAC.
//
// Error codes: wrong_password, tampered_keyring, corrupt_keyring, unsupported_version, locked,
// empty_password, kdf_failed, io.
// Threading: a KeyRing is a plain value object; use it from one thread at a time. Move-only.

#include <muze/crypto/secretbytes.h>
#include <muze/crypto/unlockedkeys.h>
#include <muze/util/json.h>
#include <muze/util/result.h>

#include <QByteArray>
#include <QList>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace muze::crypto {

/// Vault-relative path of the key ring (inside the synced metadata folder ".muze").
inline const QString kKeyRingFile = QStringLiteral(".muze/keyring.json");
constexpr int kKeyRingFormat = 1;

/// Argon2id (crypto_pwhash, ALG_ARGON2ID13) cost parameters, stored beside the salt.
struct KdfParams {
    quint64 opsLimit = 0;
    quint64 memLimit = 0; // bytes

    /// crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE (3 passes, 256 MiB): the default.
    static KdfParams moderate();
    static KdfParams interactive();
    /// The smallest limits libsodium accepts (1 pass, 8 KiB). For tests only: still real Argon2id.
    static KdfParams minimum();
    /// Whether a key ring read from disk may ask for these (bounds a malicious file's cost).
    bool isAcceptable() const;
    bool operator==(const KdfParams&) const = default;
};

class KeyRing {
public:
    /// A new key ring with one random master key, wrapped with a KEK from `password`.
    static Result<KeyRing> create(const QByteArray& password, const KdfParams& params = KdfParams::moderate());
    /// Parses (and validates) a key ring; it starts locked.
    static Result<KeyRing> fromJson(const Json& json);
    static Result<KeyRing> load(const QString& path);
    /// The JSON document (fields this version does not know are kept).
    Json toJson() const;
    Status save(const QString& path) const;

    /// Argon2id(password, salt, params) → 32-byte KEK.
    static Result<SecretBytes> deriveKek(const QByteArray& password, const QByteArray& salt, const KdfParams& params);

    /// Derives the KEK, checks the key ring MAC and unwraps the master keys. "wrong_password"
    /// when no key unwraps; "tampered_keyring" when keys unwrap but the MAC does not match (the
    /// file was edited by someone without the password). Keys that do not unwrap while others
    /// do are listed by staleKeyIds() (docs/FORMAT.md §6): adoptKey() repairs them.
    Status unlock(const QByteArray& password);
    /// As unlock() with a KEK kept from an earlier unlock (the device keychain holds it).
    /// "wrong_key" instead of "wrong_password".
    Status unlockWithKek(const SecretBytes& kek);
    void lock();
    bool isUnlocked() const { return !m_kek.isEmpty(); }
    /// Keys of the file that the KEK of the last unlock does not open.
    QList<quint32> staleKeyIds() const { return m_stale; }
    /// Re-wraps stale key `id` under the current KEK, or appends key `id` when the ring lacks
    /// it, from a copy another source (this device's keychain) kept. Needs an unlocked ring.
    /// The active key does not change.
    Status adoptKey(quint32 id, const SecretBytes& masterKey);
    /// What repair() changed.
    struct Repair {
        bool repaired = false;      // false: the ring authenticated, it is unlocked as by unlock()
        QList<quint32> dropped;     // entries that did not unwrap under the password's KEK
        QList<quint32> restored;    // keys `kept` held that the ring lacked (wrapped and appended)
    };
    /// unlock() for a ring that may fail its MAC (docs/FORMAT.md §5, "Repair"). When the MAC
    /// matches this is unlock(). When it does not but keys unwrap under the password's KEK (each
    /// is authenticated by its own AEAD), the ring is rebuilt from what is authenticated alone:
    /// the entries that unwrap (file order), then the keys of `kept` (this device's keychain)
    /// the ring lacks, and `kept`'s active key as the active key; every other entry is dropped
    /// and the ring re-sealed. Refused ("tampered_keyring", the ring stays locked and unchanged)
    /// when `kept` is empty, when a key that unwraps is not in `kept` (this device cannot tell
    /// whether it is newer than its own active key) or differs from it. "wrong_password" when
    /// nothing unwraps.
    Result<Repair> repair(const QByteArray& password, const UnlockedKeys& kept);
    /// Makes key `id` (one that unwrapped) the active key. Rotation is the normal way to change
    /// it; this exists to restore a ring that was replaced by an older copy (vaultkeys.cpp,
    /// docs/FORMAT.md §5). Needs an unlocked ring.
    Status setActiveKey(quint32 id);

    /// Checks `oldPassword`, then re-wraps every master key under a KEK from `newPassword` with a
    /// fresh salt (and `params`, default: the current ones). No data is re-encrypted. Leaves
    /// the key ring unlocked.
    Status changePassword(const QByteArray& oldPassword, const QByteArray& newPassword,
                          std::optional<KdfParams> params = std::nullopt);
    /// Needs an unlocked ring: adds a random master key wrapped with the same KEK and makes it
    /// the active one. Returns its id. Older keys stay, so older files still open.
    Result<quint32> rotate();

    QString id() const { return m_id; }
    quint32 activeKeyId() const { return m_active; }
    QList<quint32> keyIds() const; // in the order of the file (oldest first)
    const KdfParams& kdfParams() const { return m_params; }
    const QByteArray& salt() const { return m_salt; }
    QString createdAt() const { return m_createdAt; }
    QString modifiedAt() const { return m_modifiedAt; }
    /// The KEK of an unlocked ring (empty when locked).
    const SecretBytes& kek() const { return m_kek; }
    /// The exact bytes the key ring MAC covers (docs/FORMAT.md §1.1); public for tests.
    QByteArray macMessage() const;
    /// The MAC as read from the file or last computed (32 bytes).
    const QByteArray& mac() const { return m_mac; }
    /// BLAKE2b MAC of macMessage() under a key derived from `kek` (docs/FORMAT.md §1.1).
    QByteArray computeMac(const SecretBytes& kek) const;
    /// The master keys that unwrapped, their derived keys and the active key id (check
    /// contains(activeKeyId()): a stale active key is missing). "locked" when locked.
    Result<UnlockedKeys> unlockedKeys() const;

private:
    struct Wrapped {
        quint32 id = 0;
        QString createdAt;
        QByteArray nonce;      // 24 bytes
        QByteArray ciphertext; // 32-byte key + 16-byte tag
        Json extra = Json::object();
    };

    KeyRing() = default;
    Status unwrapAll(const SecretBytes& kek, ErrorCode failCode, const QString& failMessage);
    static Wrapped wrap(const SecretBytes& kek, quint32 id, const SecretBytes& masterKey, const QString& createdAt);
    quint32 newKeyId() const;
    bool holdsKeyEntry(quint32 id) const;
    // Recomputes m_mac with the current KEK after a change (needs an unlocked ring).
    void reseal();

    QString m_id;
    QString m_createdAt;
    QString m_modifiedAt;
    KdfParams m_params;
    QByteArray m_salt;
    quint32 m_active = 0;
    std::vector<Wrapped> m_wrapped;
    Json m_extra = Json::object();
    QByteArray m_mac; // 32 bytes: from the file until the ring is changed, then recomputed
    SecretBytes m_kek;
    std::map<quint32, SecretBytes> m_master;
    QList<quint32> m_stale;
};

} // namespace muze::crypto
