#include <muze/crypto/unlockedkeys.h>

#include <sodium.h>

namespace muze::crypto {

static_assert(crypto_kdf_KEYBYTES == kKeyBytes);
static_assert(sizeof(kDataKeyContext) - 1 == crypto_kdf_CONTEXTBYTES);
static_assert(sizeof(kSearchKeyContext) - 1 == crypto_kdf_CONTEXTBYTES);

namespace {

SecretBytes derive(const SecretBytes& master, const char* context)
{
    ensureSodium();
    SecretBytes out(kKeyBytes);
    if (master.size() != kKeyBytes
        || crypto_kdf_derive_from_key(out.data(), out.size(), kSubkeyId, context, master.data()) != 0)
        return {};
    return out;
}

} // namespace

SecretBytes deriveDataKey(const SecretBytes& masterKey) { return derive(masterKey, kDataKeyContext); }
SecretBytes deriveSearchKey(const SecretBytes& masterKey) { return derive(masterKey, kSearchKeyContext); }

void UnlockedKeys::add(quint32 id, const SecretBytes& masterKey)
{
    Entry e{masterKey.clone(), deriveDataKey(masterKey), deriveSearchKey(masterKey)};
    m_keys.insert_or_assign(id, std::move(e));
}

QList<quint32> UnlockedKeys::keyIds() const
{
    QList<quint32> ids;
    for (const auto& [id, entry] : m_keys)
        ids.append(id);
    return ids;
}

const SecretBytes* UnlockedKeys::masterKey(quint32 id) const
{
    auto it = m_keys.find(id);
    return it == m_keys.end() ? nullptr : &it->second.master;
}

const SecretBytes* UnlockedKeys::dataKey(quint32 id) const
{
    auto it = m_keys.find(id);
    return it == m_keys.end() ? nullptr : &it->second.data;
}

const SecretBytes* UnlockedKeys::searchKey(quint32 id) const
{
    auto it = m_keys.find(id);
    return it == m_keys.end() ? nullptr : &it->second.search;
}

UnlockedKeys UnlockedKeys::clone() const
{
    UnlockedKeys copy;
    for (const auto& [id, entry] : m_keys)
        copy.m_keys.insert_or_assign(id, Entry{entry.master.clone(), entry.data.clone(), entry.search.clone()});
    copy.m_active = m_active;
    return copy;
}

} // namespace muze::crypto
