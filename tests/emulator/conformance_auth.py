"""OAuth (PKCE code flow, refresh, revoke), token expiry and bearer checks."""

import datetime
import time
import urllib.parse

from conformance_base import (APP_KEY, BASE, EMU, AuthError, Base, approve, browse, dropbox,
                              oauth_pkce, raw, requests)


def _token_post(form):
    return requests.post(BASE + "/oauth2/token", data=form, verify=EMU.ca_cert, timeout=30)


class OAuthFlow(Base):
    def test_pkce_no_redirect_flow(self):
        result = oauth_pkce()
        self.assertTrue(result.access_token.startswith("sl."))
        self.assertTrue(result.refresh_token)
        self.assertEqual(len(result.account_id), 40)
        self.assertTrue(result.account_id.startswith("dbid:"))
        self.assertTrue(result.user_id.isdigit())
        self.assertIn("files.content.write", result.scope)
        left = (result.expires_at - datetime.datetime.utcnow()).total_seconds()
        self.assertTrue(14000 < left <= 14400, left)
        acct = self.client(result.access_token).users_get_current_account()
        self.assertEqual(acct.account_id, result.account_id)

    def test_pkce_redirect_flow_with_state(self):
        session = {}
        redirect = "http://127.0.0.1:9/muze-callback"
        flow = dropbox.DropboxOAuth2Flow(APP_KEY, redirect, session, "csrf", use_pkce=True,
                                         token_access_type="offline", ca_certs=EMU.ca_cert)
        url = flow.start(url_state="vault-42")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
        self.assertEqual(query["code_challenge_method"], "S256")
        status, headers, _ = approve(url)
        self.assertEqual(status, 302)
        location = headers["Location"]
        self.assertTrue(location.startswith(redirect + "?"), location)
        back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        result = flow.finish(back)
        self.assertEqual(result.url_state, "vault-42")
        self.assertTrue(result.refresh_token)

    def test_deny_is_access_denied(self):
        session = {}
        flow = dropbox.DropboxOAuth2Flow(APP_KEY, "http://localhost:9/cb", session, "csrf",
                                         use_pkce=True, ca_certs=EMU.ca_cert)
        status, headers, _ = approve(flow.start(), decision="deny")
        self.assertEqual(status, 302)
        back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["Location"]).query))
        self.assertEqual(back["error"], "access_denied")
        with self.assertRaises(dropbox.oauth.NotApprovedException):
            flow.finish(back)

    def test_code_exchange_checks_verifier_redirect_and_reuse(self):
        flow = dropbox.DropboxOAuth2FlowNoRedirect(APP_KEY, use_pkce=True, ca_certs=EMU.ca_cert)
        _, _, code = approve(flow.start())
        base = {"grant_type": "authorization_code", "code": code, "client_id": APP_KEY}
        bad = _token_post(dict(base, code_verifier=flow.code_verifier[:-1] + "x"))
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(bad.json()["error"], "invalid_grant")
        # The code was consumed by the failed attempt, as with any single-use code.
        again = _token_post(dict(base, code_verifier=flow.code_verifier))
        self.assertEqual(again.json()["error"], "invalid_grant")

        flow = dropbox.DropboxOAuth2FlowNoRedirect(APP_KEY, use_pkce=True, ca_certs=EMU.ca_cert)
        _, _, code = approve(flow.start())
        mismatch = _token_post({"grant_type": "authorization_code", "code": code, "client_id": APP_KEY,
                                "code_verifier": flow.code_verifier,
                                "redirect_uri": "http://localhost/elsewhere"})
        self.assertEqual(mismatch.status_code, 400)
        self.assertEqual(mismatch.json()["error"], "invalid_grant")

        flow = dropbox.DropboxOAuth2FlowNoRedirect(APP_KEY, use_pkce=True, token_access_type="online",
                                                   ca_certs=EMU.ca_cert)
        _, _, code = approve(flow.start())
        online = flow.finish(code)
        self.assertEqual(online.refresh_token, "")
        with self.assertRaises(requests.HTTPError):
            flow.finish(code)  # second use of the same code

    def test_authorize_validates_client_and_challenge(self):
        status, _, text = browse(BASE + "/oauth2/authorize?response_type=code&client_id=someone-else")
        self.assertEqual(status, 400)
        status, _, _ = browse(BASE + "/oauth2/authorize?response_type=code&client_id=%s"
                                     "&code_challenge=short&code_challenge_method=S256" % APP_KEY)
        self.assertEqual(status, 400)
        self.assertEqual(_token_post({"grant_type": "password", "client_id": APP_KEY}).status_code, 400)

    def test_auto_approve_redirects_at_once(self):
        EMU.configure(auto_approve=True)
        try:
            session = {}
            flow = dropbox.DropboxOAuth2Flow(APP_KEY, "http://localhost:9/cb", session, "csrf",
                                             use_pkce=True, token_access_type="offline",
                                             ca_certs=EMU.ca_cert)
            status, headers, _ = browse(flow.start())
        finally:
            EMU.configure(auto_approve=False)
        self.assertEqual(status, 302)
        back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["Location"]).query))
        self.assertTrue(flow.finish(back).access_token)


class RedirectUris(Base):
    """Only redirect URIs registered for the app (exact match, port included) are accepted."""

    def _authorize(self, redirect):
        flow = dropbox.DropboxOAuth2Flow(APP_KEY, redirect, {}, "csrf", use_pkce=True,
                                         token_access_type="offline", ca_certs=EMU.ca_cert)
        return flow, browse(flow.start())

    def test_unregistered_redirect_is_refused_without_redirecting(self):
        for uri in ("http://127.0.0.1:10/muze-callback",      # another port
                    "http://localhost:9/muze-callback",        # another host name
                    "http://127.0.0.1:9/muze-callback/",       # another path
                    "https://127.0.0.1:9/muze-callback"):      # another scheme
            _, (status, headers, text) = self._authorize(uri)
            self.assertEqual(status, 400, uri)
            self.assertNotIn("Location", headers)
            self.assertIn("redirect_uri", text)
        flow, (status, _, text) = self._authorize("http://127.0.0.1:9/muze-callback")
        self.assertEqual(status, 200, text)
        self.assertIn('id="allow"', text)

    def test_the_allow_list_can_grow_and_token_exchange_checks_it(self):
        uri = "http://127.0.0.1:53999/late"
        self.assertEqual(self._authorize(uri)[1][0], 400)
        self.assertIn(uri, EMU.allow_redirect_uris([uri]))
        flow = dropbox.DropboxOAuth2Flow(APP_KEY, uri, {}, "csrf", use_pkce=True,
                                         token_access_type="offline", ca_certs=EMU.ca_cert)
        status, headers, _ = approve(flow.start())
        self.assertEqual(status, 302)
        back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(headers["Location"]).query))
        # Unregistered again before the exchange (removed in the App Console): refused.
        EMU.allow_redirect_uris([u for u in EMU.state()["config"]["redirect_uris"] if u != uri],
                                replace=True)
        resp = _token_post({"grant_type": "authorization_code", "code": back["code"],
                            "client_id": APP_KEY, "code_verifier": flow.code_verifier,
                            "redirect_uri": uri})
        self.assertEqual((resp.status_code, resp.json()["error"]), (400, "invalid_grant"))


class Tokens(Base):
    def test_refresh_token_grant_through_sdk(self):
        dbx = dropbox.Dropbox(oauth2_refresh_token=self.oauth.refresh_token, app_key=APP_KEY,
                              ca_certs=EMU.ca_cert)
        self.assertIsNone(dbx._oauth2_access_token)
        self.assertEqual(dbx.users_get_current_account().account_id, self.oauth.account_id)
        self.assertTrue(dbx._oauth2_access_token.startswith("sl."))

    def test_expired_token_is_refreshed_and_retried(self):
        grant = oauth_pkce()
        far = datetime.datetime.utcnow() + datetime.timedelta(days=1)
        dbx = dropbox.Dropbox(oauth2_access_token=grant.access_token, oauth2_access_token_expiration=far,
                              oauth2_refresh_token=grant.refresh_token, app_key=APP_KEY,
                              ca_certs=EMU.ca_cert)
        dbx.users_get_space_usage()
        EMU.expire_tokens()
        with self.assertRaises(AuthError) as cm:
            self.client(grant.access_token).users_get_space_usage()
        self.assertTrue(cm.exception.error.is_expired_access_token())
        dbx.users_get_space_usage()  # 401 expired_access_token -> refresh -> retry
        self.assertNotEqual(dbx._oauth2_access_token, grant.access_token)
        Base.oauth = oauth_pkce()  # the suite's own token expired too

    def test_token_ttl(self):
        EMU.configure(token_ttl=1)
        try:
            grant = EMU.issue_token(offline=False)
        finally:
            EMU.configure(token_ttl=14400)
        self.assertEqual(grant["expires_in"], 1)
        time.sleep(1.2)
        with self.assertRaises(AuthError) as cm:
            self.client(grant["access_token"]).users_get_current_account()
        self.assertTrue(cm.exception.error.is_expired_access_token())

    def test_invalid_token(self):
        with self.assertRaises(AuthError) as cm:
            self.client("sl.not-a-token").files_list_folder("")
        self.assertTrue(cm.exception.error.is_invalid_access_token())
        resp = raw("files/list_folder", {"path": ""}, token="sl.nope")
        self.assertEqual(resp.status_code, 401)
        self.assertEqual(resp.headers["Content-Type"], "application/json")
        self.assertEqual(resp.json()["error"], {".tag": "invalid_access_token"})

    def test_revoke_disables_token_family(self):
        grant = oauth_pkce()
        dbx = self.client(grant.access_token)
        self.assertIsNone(dbx.auth_token_revoke())
        with self.assertRaises(AuthError) as cm:
            dbx.users_get_current_account()
        self.assertTrue(cm.exception.error.is_invalid_access_token())
        refresher = dropbox.Dropbox(oauth2_refresh_token=grant.refresh_token, app_key=APP_KEY,
                                    ca_certs=EMU.ca_cert)
        with self.assertRaises(AuthError):  # 400 invalid_grant, mapped by the SDK
            refresher.users_get_current_account()

    def test_authorization_header_rules(self):
        resp = raw("files/list_folder", {"path": ""})
        self.assertEqual(resp.status_code, 400)
        self.assertIn('Must provide HTTP header "Authorization"', resp.text)
        resp = raw("files/list_folder", {"path": ""}, headers={"Authorization": "Basic Zm9vOmJhcg=="})
        self.assertEqual(resp.status_code, 400)
        cursor = self.dbx.files_list_folder_get_latest_cursor("").cursor
        resp = raw("files/list_folder/longpoll", {"cursor": cursor, "timeout": 30}, token=self.token)
        self.assertEqual(resp.status_code, 400)
        self.assertIn("Authorization header", resp.text)
        resp = raw("files/list_folder", {"path": ""}, params={"authorization": "Bearer " + self.token},
                   style="rpc")
        self.assertEqual(resp.status_code, 200)
