#pragma once
// The keys of an unlocked vault: master keys by key id, and the data and search keys derived
// from each (crypto_kdf_derive_from_key, contexts below; docs/FORMAT.md §2).
// Ownership: holds its secrets in SecretBytes. Threading: build it on one thread; afterwards
// every const member may be called from any number of threads at once (FileCipher does).

#include <muze/crypto/secretbytes.h>

#include <QList>

#include <map>

namespace muze::crypto {

constexpr std::size_t kKeyBytes = 32;
/// crypto_kdf contexts (exactly 8 bytes) and the subkey id used with each.
inline constexpr char kDataKeyContext[9] = "MuzeData";
inline constexpr char kSearchKeyContext[9] = "MuzeSrch";
constexpr quint64 kSubkeyId = 1;

SecretBytes deriveDataKey(const SecretBytes& masterKey);
SecretBytes deriveSearchKey(const SecretBytes& masterKey);

class UnlockedKeys {
public:
    UnlockedKeys() = default;
    UnlockedKeys(UnlockedKeys&&) noexcept = default;
    UnlockedKeys& operator=(UnlockedKeys&&) noexcept = default;

    /// Adds (or replaces) master key `id` (32 bytes) and derives its data and search keys.
    void add(quint32 id, const SecretBytes& masterKey);
    /// The key new files are encrypted with; must be one of keyIds().
    void setActiveKeyId(quint32 id) { m_active = id; }
    quint32 activeKeyId() const { return m_active; }

    bool isEmpty() const { return m_keys.empty(); }
    bool contains(quint32 id) const { return m_keys.count(id) != 0; }
    QList<quint32> keyIds() const; // ascending
    /// nullptr for an unknown id.
    const SecretBytes* masterKey(quint32 id) const;
    const SecretBytes* dataKey(quint32 id) const;
    const SecretBytes* searchKey(quint32 id) const;

    UnlockedKeys clone() const;

private:
    struct Entry {
        SecretBytes master;
        SecretBytes data;
        SecretBytes search;
    };
    std::map<quint32, Entry> m_keys;
    quint32 m_active = 0;
};

} // namespace muze::crypto
