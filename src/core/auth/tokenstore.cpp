#include <muze/auth/tokenstore.h>
#include <muze/keychain/keychain.h>
#include <muze/util/logging.h>

#include <qt6keychain/keychain.h>

namespace muze::auth {
namespace {

// Every job runs on the process's one keychain thread (muze/keychain/keychain.h).
using Outcome = keychain::Outcome;
using keychain::Op;

Outcome runJob(Op op, const QString& service, const QString& key, const QByteArray& secret = {})
{
    return keychain::run(op, service, key, secret);
}

Error keychainError(const Outcome& o, const QString& what)
{
    QString reason = o.errorString;
    if (o.error == QKeychain::NoBackendAvailable)
        reason = QStringLiteral("no keychain service is available (%1)").arg(o.errorString);
    else if (o.error == QKeychain::AccessDenied || o.error == QKeychain::AccessDeniedByUser)
        reason = QStringLiteral("access to the keychain was denied");
    return makeError(QStringLiteral("cannot %1 the keychain: %2").arg(what, reason), errc::keychain);
}

} // namespace

Result<std::optional<QByteArray>> keychainRead(const QString& service, const QString& key)
{
    const Outcome o = runJob(Op::Read, service, key);
    if (o.error == QKeychain::EntryNotFound)
        return std::optional<QByteArray>();
    if (o.error != QKeychain::NoError)
        return keychainError(o, QStringLiteral("read"));
    return std::optional<QByteArray>(o.data);
}

Status keychainWrite(const QString& service, const QString& key, const QByteArray& secret)
{
    const Outcome o = runJob(Op::Write, service, key, secret);
    if (o.error != QKeychain::NoError)
        return keychainError(o, QStringLiteral("write to"));
    return {};
}

Status keychainRemove(const QString& service, const QString& key)
{
    const Outcome o = runJob(Op::Remove, service, key);
    if (o.error != QKeychain::NoError && o.error != QKeychain::EntryNotFound)
        return keychainError(o, QStringLiteral("remove from"));
    return {};
}

KeychainTokenStore::KeychainTokenStore(QString appKey)
    : m_appKey(std::move(appKey)), m_key(QStringLiteral("dropbox/") + m_appKey)
{
}

Result<std::optional<Tokens>> KeychainTokenStore::load()
{
    auto raw = keychainRead(kService, m_key);
    if (!raw)
        return raw.error();
    if (!raw->has_value())
        return std::optional<Tokens>();
    auto json = parseJson(**raw, QStringLiteral("the Dropbox tokens in the keychain"));
    if (!json)
        return json.error();
    auto tokens = Tokens::fromJson(*json);
    if (!tokens)
        return tokens.error();
    return std::optional<Tokens>(*tokens);
}

Status KeychainTokenStore::save(const Tokens& tokens)
{
    Tokens t = tokens;
    t.appKey = m_appKey;
    return keychainWrite(kService, m_key, QByteArray::fromStdString(t.toJson().dump()));
}

Status KeychainTokenStore::remove() { return keychainRemove(kService, m_key); }

} // namespace muze::auth
