#include <muze/crypto/masterkeystore.h>

#include <muze/util/logging.h>

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QEventLoop>
#include <QTimer>
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
constexpr int kJobTimeoutMs = 120000;

QString entryKey(const QString& vaultId) { return QStringLiteral("vault-") + vaultId; }

struct Outcome {
    bool done = false;
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QByteArray data;
};

// Runs a heap-allocated, self-deleting job to completion in a local event loop.
Outcome runJob(QKeychain::Job* job)
{
    Outcome o;
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&o, &loop](QKeychain::Job* j) {
        o.done = true;
        o.error = j->error();
        o.errorString = j->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(j))
            o.data = read->binaryData();
        loop.quit();
    });
    QTimer::singleShot(kJobTimeoutMs, &loop, &QEventLoop::quit);
    job->start(); // queued: it cannot finish before exec()
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    return o; // on timeout the job still deletes itself when it ends; our slot is gone with `loop`
}

Error keychainError(const Outcome& o, const QString& what)
{
    if (!o.done)
        return makeError(QStringLiteral("The OS keychain did not answer while %1").arg(what), QStringLiteral("keychain_timeout"));
    return makeError(QStringLiteral("The OS keychain failed while %1: %2").arg(what, o.errorString),
                     QStringLiteral("keychain_unavailable"));
}

Status needApp()
{
    if (!QCoreApplication::instance())
        return makeError(QStringLiteral("The OS keychain needs a running Qt application"), QStringLiteral("keychain_unavailable"));
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
    const Error bad = makeError(QStringLiteral("The keys stored in the OS keychain are damaged"), QStringLiteral("corrupt_keychain_entry"));
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
        return makeError(QStringLiteral("No keys to store"), QStringLiteral("invalid_argument"));
    auto* job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(entryKey(vaultId));
    QByteArray secret = encode(keys);
    job->setBinaryData(secret);
    wipe(secret);
    const Outcome o = runJob(job);
    if (!o.done || o.error != QKeychain::NoError)
        return keychainError(o, QStringLiteral("storing the keys of vault %1").arg(vaultId));
    qCDebug(lcCrypto) << "stored the keys of vault" << vaultId << "in the OS keychain";
    return {};
}

Result<DeviceKeys> MasterKeyStore::load(const QString& vaultId) const
{
    if (Status s = needApp(); !s)
        return s.error();
    auto* job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(entryKey(vaultId));
    Outcome o = runJob(job);
    if (o.done && o.error == QKeychain::EntryNotFound)
        return makeError(QStringLiteral("This device holds no keys for vault %1").arg(vaultId), QStringLiteral("not_found"));
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
    auto* job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(entryKey(vaultId));
    const Outcome o = runJob(job);
    if (o.done && (o.error == QKeychain::NoError || o.error == QKeychain::EntryNotFound))
        return {};
    return keychainError(o, QStringLiteral("removing the keys of vault %1").arg(vaultId));
}

} // namespace muze::crypto
