#pragma once
// The Dropbox emulator (tools/dropbox-emulator) as a test fixture: one process per object,
// started through tests/emulator/emulator_fixture.py over TLS with a CA made for this test
// process, its admin API for fault injection, and a sign-in without a browser.

#include <muze/auth/dropboxconfig.h>
#include <muze/remote/dropboxremote.h>
#include <muze/util/json.h>

#include "testsupport.h"

#include <QProcess>

#include <memory>

namespace muze::test {

struct EmulatorOptions {
    int tokenTtl = 0;     // seconds; 0 = the emulator's default (4 h)
    int longpollMin = 1;  // smallest longpoll timeout it accepts
    double longpollJitter = 1; // a quiet longpoll answers up to this long after its timeout (Dropbox: 90 s)
    bool autoApprove = false;
};

class Emulator {
public:
    /// Starts an emulator (throws std::runtime_error when it cannot) and points this process's
    /// MUZE_DROPBOX_* / MUZE_CA_CERTS environment at it. Every emulator gets its own app key,
    /// so keychain entries of different tests never meet.
    explicit Emulator(EmulatorOptions options = {});
    ~Emulator();

    QString baseUrl() const { return m_baseUrl; }
    QString appKey() const { return m_appKey; }
    QString caCert() const { return m_caCert; }
    QString serverCert() const; // the emulator's TLS certificate (browsers pin its key)
    QString dataDir() const { return m_data.path(); }
    /// "NAME=value" pairs for child processes (muze-cli).
    QStringList env() const;
    auth::DropboxEndpoints endpoints() const;

    /// Admin API (runs on a helper thread, so it is safe inside transfer callbacks).
    Json admin(const QByteArray& method, const QString& name, const Json& body = nullptr);
    void addFault(const Json& rule) { admin("POST", QStringLiteral("faults"), rule); }
    void clearFaults() { admin("DELETE", QStringLiteral("faults")); }
    void expireTokens() { admin("POST", QStringLiteral("expire_tokens"), Json::object()); }
    void resetCursors() { admin("POST", QStringLiteral("reset_cursors"), Json::object()); }
    /// Registers one more redirect URI for the app (exact match, port included).
    void allowRedirectUri(const QString& uri);

    /// Signs this device in without a browser: mints offline tokens and stores them in the
    /// keychain under this emulator's app key. Returns the token response.
    Json signIn();
    void signOut();

    /// A Dropbox remote on `folder` signed in as above; small chunks unless `options` says.
    std::unique_ptr<remote::DropboxRemote> remote(const QString& folder, remote::DropboxRemoteOptions options = {});

private:
    EmulatorOptions m_options;
    TempDir m_data;
    QProcess m_process;
    QString m_baseUrl;
    QString m_caCert;
    QString m_appKey;
    Json m_env;
};

/// Deterministic pseudo-random bytes.
QByteArray randomBytes(qint64 size, quint32 seed);

} // namespace muze::test
