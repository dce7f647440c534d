"""OAuth 2 (authorization code + PKCE, refresh tokens) and bearer-token checks.

/oauth2/authorize shows an approval page whose "Allow" button is a real form
POST (or, with auto-approve, redirects at once); /oauth2/token exchanges codes
(verifying S256/plain PKCE and redirect_uri) and refresh tokens; access tokens
expire after token_ttl seconds; auth/token/revoke disables a token family.
"""

import base64
import hashlib
import hmac
import html
import secrets
import time
import urllib.parse

from emu_wire import AuthFailure, BadRequest, api_msg

CODE_TTL = 600
SCOPE = ("account_info.read files.content.read files.content.write "
         "files.metadata.read files.metadata.write")
UNREGISTERED = ('Invalid redirect_uri: "%s". It must exactly match one of the redirect URIs '
                "you've pre-configured for your app (including the path and port).")
DENY_TEXT = "The user chose not to give your app access to their Dropbox account."


class OAuthError(Exception):
    """400 from /oauth2/token: {"error": code, "error_description": text}."""

    def __init__(self, code, description):
        super().__init__(description)
        self.code = code
        self.description = description


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Auth:
    def __init__(self, store, config):
        self.store = store
        self.config = config

    # --- bearer tokens -------------------------------------------------------

    def check_bearer(self, route, header, query_auth):
        """Validates the Authorization header (or ?authorization=); returns the token."""
        value = header if header is not None else query_auth
        if value is None:
            raise BadRequest(api_msg(route, 'Must provide HTTP header "Authorization" or URL '
                                            'parameter "authorization".'))
        scheme, _, token = value.partition(" ")
        if scheme != "Bearer" or not token or " " in token:
            raise BadRequest(api_msg(route, 'Invalid authorization value in HTTP header '
                                            '"Authorization": "%s". Expecting "Bearer <oauth2-access-token>".'
                                     % value[:40]))
        with self.store.lock:
            row = self.store.q1("SELECT * FROM tokens WHERE token=? AND kind='access'", token)
        if row is None or row["revoked"]:
            raise AuthFailure("invalid_access_token")
        if row["expires_at"] is not None and row["expires_at"] <= time.time():
            raise AuthFailure("expired_access_token")
        return token

    def issue(self, client_id, offline, pkce, refresh=None):
        """New access token (and refresh token if offline); the token response JSON."""
        access = "sl." + secrets.token_urlsafe(48)
        ttl = int(self.config.token_ttl)
        st = self.store
        with st.tx():
            if offline and refresh is None:
                refresh = secrets.token_urlsafe(48)
                st.db.execute("INSERT INTO tokens(token, kind, client_id, pkce) VALUES(?,?,?,?)",
                              (refresh, "refresh", client_id, int(pkce)))
            st.db.execute("INSERT INTO tokens(token, kind, refresh, client_id, pkce, expires_at)"
                          " VALUES(?,?,?,?,?,?)",
                          (access, "access", refresh, client_id, int(pkce), time.time() + ttl))
            out = {"access_token": access, "token_type": "bearer", "expires_in": ttl}
            return out, refresh

    def account_fields(self):
        return {"uid": self.store.meta("uid"), "account_id": self.store.meta("account_id")}

    def expire_all(self):
        with self.store.tx():
            self.store.db.execute("UPDATE tokens SET expires_at=? WHERE kind='access'",
                                  (time.time() - 1,))

    def revoke(self, token):
        """Revokes the token, its refresh token and every access token of that family."""
        st = self.store
        with st.tx():
            row = st.q1("SELECT refresh FROM tokens WHERE token=?", token)
            st.db.execute("UPDATE tokens SET revoked=1 WHERE token=?", (token,))
            if row and row["refresh"]:
                st.db.execute("UPDATE tokens SET revoked=1 WHERE token=? OR refresh=?",
                              (row["refresh"], row["refresh"]))

    # --- /oauth2/authorize ---------------------------------------------------

    def _authorize_params(self, params):
        """Validates authorize parameters; returns an error text or None."""
        if params.get("response_type") != "code":
            return 'Invalid response_type: "%s" (the emulator supports "code").' % params.get("response_type", "")
        client_id = params.get("client_id")
        if not client_id:
            return "Missing client_id."
        if self.config.app_key and client_id != self.config.app_key:
            return 'Invalid client_id: "%s".' % client_id
        if params.get("token_access_type", "online") not in ("online", "offline", "legacy"):
            return "Invalid token_access_type."
        challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
        if challenge:
            if method not in ("S256", "plain"):
                return 'Invalid code_challenge_method: "%s".' % (method or "")
            if not 43 <= len(challenge) <= 128:
                return "code_challenge must be 43 to 128 characters."
        elif method:
            return "code_challenge_method without code_challenge."
        redirect = params.get("redirect_uri")
        if redirect is not None and not urllib.parse.urlsplit(redirect).scheme:
            return "Invalid redirect_uri: it must be an absolute URI."
        if redirect is not None and redirect not in self.config.redirect_uris:
            return UNREGISTERED % redirect
        if len(params.get("state", "")) > 500:
            return "state is longer than 500 bytes."
        return None

    def authorize(self, method, params):
        """Returns (status, headers dict, html text) for GET or POST /oauth2/authorize."""
        error = self._authorize_params(params)
        if error:
            return 400, {}, _page("Error (400)", "<p>%s</p>" % html.escape(error))
        if method == "GET" and not self.config.auto_approve:
            return 200, {}, self._approval_page(params)
        decision = "allow" if method == "GET" else params.get("decision")
        redirect = params.get("redirect_uri")
        if decision != "allow":
            if redirect:
                return self._redirect(redirect, {"error": "access_denied",
                                                 "error_description": DENY_TEXT}, params)
            return 200, {}, _page("Access denied", "<p>%s</p>" % DENY_TEXT)
        code = secrets.token_urlsafe(32)
        with self.store.tx():
            self.store.db.execute(
                "INSERT INTO codes(code, client_id, redirect_uri, challenge, method, access_type,"
                " expires_at) VALUES(?,?,?,?,?,?,?)",
                (code, params["client_id"], redirect, params.get("code_challenge"),
                 params.get("code_challenge_method"), params.get("token_access_type", "online"),
                 time.time() + CODE_TTL))
        if redirect:
            return self._redirect(redirect, {"code": code}, params)
        body = ('<p>Enter this code into the app to finish linking:</p>'
                '<p><code id="code">%s</code></p>' % html.escape(code))
        return 200, {}, _page("Access code", body)

    @staticmethod
    def _redirect(uri, query, params):
        if params.get("state") is not None:
            query["state"] = params["state"]
        sep = "&" if urllib.parse.urlsplit(uri).query else "?"
        return 302, {"Location": uri + sep + urllib.parse.urlencode(query)}, _page("Redirecting", "")

    def _approval_page(self, params):
        hidden = "".join('<input type="hidden" name="%s" value="%s">'
                         % (html.escape(k), html.escape(v)) for k, v in sorted(params.items())
                         if k != "decision")
        name = html.escape(self.config.account_name)
        email = html.escape(self.config.account_email)
        body = ('<p>The app <b>%s</b> would like to access the files and folders in your '
                'Dropbox (signed in as %s, %s).</p>'
                '<form method="post" action="/oauth2/authorize">%s'
                '<button type="submit" name="decision" value="deny" id="deny">Cancel</button> '
                '<button type="submit" name="decision" value="allow" id="allow">Allow</button>'
                '</form>' % (html.escape(params["client_id"]), name, email, hidden))
        return _page("API Request Authorization", body)

    # --- /oauth2/token ---------------------------------------------------------

    def token(self, form, basic):
        """Returns the token response JSON or raises OAuthError."""
        client_id = form.get("client_id")
        secret = form.get("client_secret")
        if basic:
            client_id, secret = basic
        if not client_id:
            raise OAuthError("invalid_request", "No auth function available for given request")
        if self.config.app_key and client_id != self.config.app_key:
            raise OAuthError("invalid_client", "Invalid client_id or client_secret")
        grant = form.get("grant_type")
        if grant == "authorization_code":
            return self._code_grant(form, client_id, secret)
        if grant == "refresh_token":
            return self._refresh_grant(form, client_id, secret)
        raise OAuthError("unsupported_grant_type", 'grant_type must be "authorization_code" or '
                                                   '"refresh_token"')

    def _secret_ok(self, secret):
        if self.config.app_secret:
            return secret is not None and hmac.compare_digest(secret, self.config.app_secret)
        return bool(secret)

    def _code_grant(self, form, client_id, secret):
        st = self.store
        with st.tx():
            row = st.q1("SELECT * FROM codes WHERE code=?", form.get("code", ""))
            if row is None or row["used"] or row["expires_at"] < time.time():
                raise OAuthError("invalid_grant", "code doesn't exist or has expired")
            st.db.execute("UPDATE codes SET used=1 WHERE code=?", (row["code"],))
        if row["client_id"] != client_id:
            raise OAuthError("invalid_grant", "code was issued to a different client_id")
        if (row["redirect_uri"] or None) != (form.get("redirect_uri") or None):
            raise OAuthError("invalid_grant", "redirect_uri mismatch")
        if row["redirect_uri"] and row["redirect_uri"] not in self.config.redirect_uris:
            raise OAuthError("invalid_grant", "redirect_uri is not registered for this app")
        verifier = form.get("code_verifier")
        if row["challenge"]:
            if not verifier:
                raise OAuthError("invalid_request", "No code_verifier provided for a PKCE code")
            if not 43 <= len(verifier) <= 128:
                raise OAuthError("invalid_request", "code_verifier must be 43 to 128 characters")
            expect = s256(verifier) if row["method"] == "S256" else verifier
            if not hmac.compare_digest(expect, row["challenge"]):
                raise OAuthError("invalid_grant", "invalid code verifier")
        elif not self._secret_ok(secret):
            raise OAuthError("invalid_client", "Invalid client_id or client_secret")
        offline = row["access_type"] == "offline"
        out, refresh = self.issue(client_id, offline, bool(row["challenge"]))
        if refresh:
            out["refresh_token"] = refresh
        out["scope"] = SCOPE
        out.update(self.account_fields())
        return out

    def _refresh_grant(self, form, client_id, secret):
        st = self.store
        with st.lock:
            row = st.q1("SELECT * FROM tokens WHERE token=? AND kind='refresh'",
                        form.get("refresh_token", ""))
        if row is None or row["revoked"]:
            raise OAuthError("invalid_grant", "refresh token is invalid or revoked")
        if row["client_id"] != client_id:
            raise OAuthError("invalid_grant", "refresh token was issued to a different client_id")
        if not row["pkce"] and not self._secret_ok(secret):
            raise OAuthError("invalid_client", "Invalid client_id or client_secret")
        out, _ = self.issue(client_id, True, row["pkce"], refresh=row["token"])
        return out


def _page(title, body):
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>%s - Dropbox emulator</title>'
            '</head><body><h1>%s</h1>%s</body></html>\n' % (html.escape(title), html.escape(title), body))
