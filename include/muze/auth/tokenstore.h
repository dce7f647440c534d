#pragma once
// Where Dropbox tokens are kept: the OS keychain (Secret Service, macOS Keychain, Windows
// Credential Store) through qtkeychain. There is no plaintext fallback: without a keychain,
// saving fails with a clear error and the user stays signed out.
//
// Threading: every call blocks its caller and may be made from any thread. qtkeychain's job
// queue is not thread-safe, so the jobs run on the application's main thread (a caller there
// spins a local event loop; a caller elsewhere waits for the main thread, which must be
// running its event loop). Other modules that use the keychain had best do the same.

#include <muze/auth/tokens.h>

#include <QByteArray>
#include <QString>

#include <optional>

namespace muze::auth {

/// Blocking keychain access, serialised on the keychain thread. An absent entry reads as
/// std::nullopt; "keychain" is the error code when the keychain is unavailable or refuses.
Result<std::optional<QByteArray>> keychainRead(const QString& service, const QString& key);
Status keychainWrite(const QString& service, const QString& key, const QByteArray& secret);
Status keychainRemove(const QString& service, const QString& key); // absent is fine

class TokenStore {
public:
    virtual ~TokenStore() = default;
    /// std::nullopt when no tokens are stored (signed out).
    virtual Result<std::optional<Tokens>> load() = 0;
    virtual Status save(const Tokens& tokens) = 0;
    virtual Status remove() = 0;
};

/// Tokens of one Dropbox app in the keychain: service "Muze", key "dropbox/<appKey>".
class KeychainTokenStore : public TokenStore {
public:
    explicit KeychainTokenStore(QString appKey);
    Result<std::optional<Tokens>> load() override;
    Status save(const Tokens& tokens) override;
    Status remove() override;

    static inline const QString kService = QStringLiteral("Muze");
    QString key() const { return m_key; }

private:
    QString m_appKey;
    QString m_key;
};

} // namespace muze::auth
