#include <muze/crypto/masterkeystore.h>

#include <muze/keychain/keychain.h>
#include <muze/util/logging.h>

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QtEndian>

#include <algorithm>
#include <cstring>
#include <set>

namespace muze::crypto {

namespace {

constexpr char kMagic[] = "MZK1";
constexpr int kSaltBytes = 16;
constexpr int kFixedBytes = 4 + kSaltBytes + int(kKeyBytes) + 4 + 4;
constexpr int kEntryBytes = 4 + int(kKeyBytes);
constexpr quint32 kMaxEntries = 1024;

QString entryKey(const QString& vaultId) { return QStringLiteral("vault-") + vaultId; }

// Every job runs on the process's one keychain thread (muze/keychain/keychain.h).
using Outcome = keychain::Outcome;

Error keychainError(const Outcome& o, const QString& what)
{
    if (!o.done)
        return makeError(QStringLiteral("The OS keychain did not answer while %1").arg(what), errc::keychain_timeout);
    return makeError(
        QStringLiteral("The OS keychain failed while %1: %2").arg(what, o.errorString), errc::keychain_unavailable);
}

Status needApp()
{
    if (!QCoreApplication::instance())
        return makeError(QStringLiteral("The OS keychain needs a running Qt application"), errc::keychain_unavailable);
    return {};
}

} // namespace

MasterKeyStore::MasterKeyStore(QString service) : m_service(std::move(service))
{
    if (m_service.isEmpty())
        m_service = qEnvironmentVariable("MUZE_KEYCHAIN_SERVICE", QStringLiteral("muze"));
}

QByteArray MasterKeyStore::encode(const DeviceKeys& keys)
{
    const QList<quint32> ids = keys.keys.keyIds();
    QByteArray out(kFixedBytes + kEntryBytes * ids.size(), '\0');
    auto* p = reinterpret_cast<unsigned char*>(out.data());
    std::memcpy(p, kMagic, 4);
    std::memcpy(p + 4, keys.kdfSalt.constData(), std::size_t(std::min<qsizetype>(keys.kdfSalt.size(), kSaltBytes)));
    if (keys.kek.size() == kKeyBytes)
        std::memcpy(p + 4 + kSaltBytes, keys.kek.data(), kKeyBytes);
    qToLittleEndian<quint32>(keys.keys.activeKeyId(), p + 4 + kSaltBytes + kKeyBytes);
    qToLittleEndian<quint32>(quint32(ids.size()), p + 8 + kSaltBytes + kKeyBytes);
    unsigned char* e = p + kFixedBytes;
    for (quint32 id : ids) {
        qToLittleEndian<quint32>(id, e);
        std::memcpy(e + 4, keys.keys.masterKey(id)->data(), kKeyBytes);
        e += kEntryBytes;
    }
    return out;
}

Result<DeviceKeys> MasterKeyStore::decode(QByteArrayView bytes)
{
    const Error bad
        = makeError(QStringLiteral("The keys stored in the OS keychain are damaged"), errc::corrupt_keychain_entry);
    if (bytes.size() < kFixedBytes || bytes.first(4) != QByteArrayView(kMagic, 4))
        return bad;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const quint32 active = qFromLittleEndian<quint32>(p + 4 + kSaltBytes + kKeyBytes);
    const quint32 count = qFromLittleEndian<quint32>(p + 8 + kSaltBytes + kKeyBytes);
    if (count == 0 || count > kMaxEntries || bytes.size() != kFixedBytes + qsizetype(count) * kEntryBytes)
        return bad;
    DeviceKeys keys;
    keys.kdfSalt = bytes.sliced(4, kSaltBytes).toByteArray();
    keys.kek = SecretBytes::copyOf(p + 4 + kSaltBytes, kKeyBytes);
    std::set<quint32> seen;
    const unsigned char* e = p + kFixedBytes;
    for (quint32 i = 0; i < count; ++i, e += kEntryBytes) {
        const quint32 id = qFromLittleEndian<quint32>(e);
        if (id == 0 || !seen.insert(id).second)
            return bad;
        keys.keys.add(id, SecretBytes::copyOf(e + 4, kKeyBytes));
    }
    if (!seen.count(active))
        return bad;
    keys.keys.setActiveKeyId(active);
    return keys;
}

Status MasterKeyStore::store(const QString& vaultId, const DeviceKeys& keys) const
{
    if (Status s = needApp(); !s)
        return s;
    if (keys.keys.isEmpty() || !keys.keys.contains(keys.keys.activeKeyId()))
        return makeError(QStringLiteral("No keys to store"), errc::invalid_argument);
    QByteArray secret = encode(keys);
    const Outcome o = keychain::run(keychain::Op::Write, m_service, entryKey(vaultId), secret);
    wipe(secret);
    if (!o.done || o.error != QKeychain::NoError)
        return keychainError(o, QStringLiteral("storing the keys of vault %1").arg(vaultId));
    qCDebug(lcCrypto) << "stored the keys of vault" << vaultId << "in the OS keychain";
    return {};
}

Result<DeviceKeys> MasterKeyStore::load(const QString& vaultId) const
{
    if (Status s = needApp(); !s)
        return s.error();
    Outcome o = keychain::run(keychain::Op::Read, m_service, entryKey(vaultId));
    if (o.done && o.error == QKeychain::EntryNotFound)
        return makeError(QStringLiteral("This device holds no keys for vault %1").arg(vaultId), errc::not_found);
    if (!o.done || o.error != QKeychain::NoError)
        return keychainError(o, QStringLiteral("reading the keys of vault %1").arg(vaultId));
    auto keys = decode(o.data);
    wipe(o.data);
    return keys;
}

Status MasterKeyStore::forget(const QString& vaultId) const
{
    if (Status s = needApp(); !s)
        return s;
    const Outcome o = keychain::run(keychain::Op::Remove, m_service, entryKey(vaultId));
    if (o.done && (o.error == QKeychain::NoError || o.error == QKeychain::EntryNotFound))
        return {};
    return keychainError(o, QStringLiteral("removing the keys of vault %1").arg(vaultId));
}

} // namespace muze::crypto
