#pragma once
// PKCE (RFC 7636) pieces of the OAuth2 sign-in.

#include <QString>

namespace muze::auth {

/// A fresh code_verifier: 64 bytes from the system CSPRNG, base64url without padding (86 chars).
QString newCodeVerifier();
/// code_challenge for method S256: base64url(SHA-256(verifier)) without padding.
QString codeChallengeS256(const QString& verifier);
/// A fresh `state` value (128 random bits, base64url).
QString newOAuthState();

} // namespace muze::auth
