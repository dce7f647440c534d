"""The emulated account as one object: configuration, the route table, and the
routes that need no module of their own (account, space usage, admin state)."""

import argparse
import time

from emu_admin import check_uri_list
from emu_auth import Auth
from emu_batch import Batches
from emu_faults import FaultError, Faults
from emu_files import Files
from emu_history import History
from emu_limits import WriteLimiter
from emu_sessions import Sessions
from emu_store import Store, metadata, random_id
from emu_wire import ApiFailure, tag

MiB = 1024 * 1024


class Config:
    def __init__(self, **kw):
        self.app_key = kw.get("app_key")
        self.app_secret = kw.get("app_secret")
        self.auto_approve = bool(kw.get("auto_approve"))
        self.token_ttl = int(kw.get("token_ttl", 14400))
        self.longpoll_min = int(kw.get("longpoll_min", 30))
        self.longpoll_jitter = float(kw.get("longpoll_jitter", 90.0))
        self.write_concurrency = int(kw.get("write_concurrency", 2))
        self.write_retry_after = int(kw.get("write_retry_after", 1))
        self.quota = int(kw.get("quota", 2 * 1024 ** 3))
        self.max_body = int(kw.get("max_body", 150 * MiB))
        self.verbose = bool(kw.get("verbose"))
        self.account_name = kw.get("account_name") or "Muze Tester"
        self.account_email = kw.get("account_email") or "tester@example.com"
        # Redirect URIs "registered in the App Console": exact match, port included.
        self.redirect_uris = list(dict.fromkeys(kw.get("redirect_uris") or []))

    def allow_redirect_uris(self, data):
        uris, replace = check_uri_list(data)
        if replace:
            self.redirect_uris = []
        self.redirect_uris += [u for u in uris if u not in self.redirect_uris]

    SETTABLE = ("auto_approve", "token_ttl", "longpoll_min", "longpoll_jitter", "write_concurrency",
                "write_retry_after", "quota", "max_body", "verbose")

    def update(self, values):
        for key, value in values.items():
            if key not in self.SETTABLE:
                raise FaultError("unknown config key %r (settable: %s)" % (key, ", ".join(self.SETTABLE)))
            setattr(self, key, type(getattr(self, key))(value))

    def public(self):
        return {k: getattr(self, k) for k in self.SETTABLE + ("app_key", "account_name", "account_email",
                                                              "redirect_uris")}


class Emulator:
    """The account and everything that acts on it; shared by all handler threads."""

    def __init__(self, data_dir, config):
        self.config = config
        self.store = Store(data_dir)
        self.files = Files(self.store, config)
        self.sessions = Sessions(self.store, self.files)
        self.auth = Auth(self.store, config)
        self.faults = Faults(self._immediate)
        self.batches = Batches(self.store, self.sessions, self.faults)
        self.writes = WriteLimiter(config)
        self.history = History(self.store, self.files)
        f, s, b = self.files, self.sessions, self.batches
        self.routes = {
            "files/list_folder": ("rpc", "user", lambda c: f.list_folder(c.arg)),
            "files/list_folder/continue": ("rpc", "user", lambda c: f.list_folder_continue(c.arg)),
            "files/list_folder/get_latest_cursor": ("rpc", "user", lambda c: f.get_latest_cursor(c.arg)),
            "files/list_folder/longpoll": ("rpc", "noauth", lambda c: f.longpoll(c.arg, c.backoff)),
            "files/get_metadata": ("rpc", "user", lambda c: f.get_metadata(c.arg)),
            "files/delete_v2": ("rpc", "user", lambda c: f.delete(c.arg)),
            "files/create_folder_v2": ("rpc", "user", lambda c: f.create_folder(c.arg)),
            "files/move_v2": ("rpc", "user", lambda c: f.move(c.arg)),
            "files/list_revisions": ("rpc", "user", lambda c: self.history.list_revisions(c.arg)),
            "files/restore": ("rpc", "user", lambda c: self.history.restore(c.arg)),
            "files/upload": ("upload", "user", self.upload),
            "files/upload_session/start": ("upload", "user", lambda c: s.start(c.arg, c.body)),
            "files/upload_session/append_v2": ("upload", "user", lambda c: s.append(c.arg, c.body)),
            "files/upload_session/finish": ("upload", "user", lambda c: s.finish(c.arg, c.body)),
            "files/upload_session/start_batch": ("rpc", "user", lambda c: b.start(c.arg)),
            "files/upload_session/finish_batch_v2": ("rpc", "user", lambda c: b.finish_v2(c.arg)),
            "files/upload_session/finish_batch": ("rpc", "user", self.finish_batch),
            "files/upload_session/finish_batch/check": ("rpc", "user", lambda c: b.check(c.arg)),
            "files/download": ("download", "user", lambda c: f.download_target(c.arg)),
            "users/get_current_account": ("rpc", "user", lambda c: self.account()),
            "users/get_space_usage": ("rpc", "user", lambda c: self.space_usage()),
            "auth/token/revoke": ("rpc", "user", lambda c: self.auth.revoke(c.token)),
        }

    def _immediate(self, kind):
        if kind == "expire_tokens":
            self.auth.expire_all()
        elif kind == "reset_cursors":
            self.store.bump_epoch()

    def finish_batch(self, c):
        """The job keeps the namespace busy (one write slot) until it is done."""
        self.writes.hold()
        try:
            return self.batches.finish(c.arg, on_done=self.writes.leave)
        except BaseException:
            self.writes.leave()
            raise

    def upload(self, c):
        tmp, size, chash = c.body
        if c.arg["content_hash"] and c.arg["content_hash"] != chash:
            raise ApiFailure(tag("content_hash_mismatch"))
        sid = "pid_upload_session:" + random_id(24)
        wrap = lambda e: {".tag": "path", "reason": e, "upload_session_id": sid}  # UploadWriteFailed
        return self.files.commit_file(c.arg, chash, size, wrap,
                                      lambda: self.store.adopt_blob(tmp, chash))

    def account(self):
        given, _, surname = self.config.account_name.partition(" ")
        ns = self.store.meta("namespace")
        initials = "".join(p[0] for p in self.config.account_name.split() if p)[:3].upper()
        return {
            "account_id": self.store.meta("account_id"),
            "name": {"given_name": given, "surname": surname or given, "familiar_name": given,
                     "display_name": self.config.account_name, "abbreviated_name": initials},
            "email": self.config.account_email,
            "email_verified": True,
            "disabled": False,
            "country": "US",
            "locale": "en",
            "referral_link": "https://db.tt/emulator",
            "is_paired": False,
            "account_type": {".tag": "basic"},
            "root_info": {".tag": "user", "root_namespace_id": ns, "home_namespace_id": ns},
        }

    def space_usage(self):
        with self.store.lock:
            used = self.store.used_bytes()
        return {"used": used, "allocation": {".tag": "individual", "allocated": self.config.quota}}

    def state(self):
        st = self.store
        with st.lock:
            rows = st.list_entries("", True, False)
            now = time.time()
            access = st.q1("SELECT COUNT(*) AS n FROM tokens WHERE kind='access' AND revoked=0"
                           " AND expires_at>?", now)["n"]
            refresh = st.q1("SELECT COUNT(*) AS n FROM tokens WHERE kind='refresh' AND revoked=0")["n"]
            sessions = st.q1("SELECT COUNT(*) AS n FROM sessions")["n"]
            return {"account": {"account_id": st.meta("account_id"), "uid": st.meta("uid"),
                                "email": self.config.account_email},
                    "journal_seq": st.max_seq(), "epoch": st.epoch(),
                    "used": st.used_bytes(), "quota": self.config.quota,
                    "entries": [metadata(r) for r in rows],
                    "faults": self.faults.snapshot(),
                    "tokens": {"valid_access": access, "refresh": refresh},
                    "upload_sessions": sessions, "writes": self.writes.snapshot(),
                    "config": self.config.public()}


def parse_args(argv):
    p = argparse.ArgumentParser(description="Dropbox API v2 emulator (see README.md)")
    p.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--data", required=True, help="directory holding the account's state")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--port-file", help="write the chosen port to this file once listening")
    p.add_argument("--app-key", help="only this client_id may authorize (default: any)")
    p.add_argument("--app-secret", help="client_secret for non-PKCE flows (default: any non-empty)")
    p.add_argument("--auto-approve", action="store_true", help="authorize redirects at once")
    p.add_argument("--redirect-uri", action="append", dest="redirect_uris", default=[],
                   help="a redirect URI registered for the app (exact match, port included); repeatable")
    p.add_argument("--token-ttl", type=int, default=14400, help="access token lifetime (s)")
    p.add_argument("--longpoll-min", type=int, default=30, help="smallest longpoll timeout accepted")
    p.add_argument("--longpoll-jitter", type=float, default=90.0,
                   help="a quiet longpoll answers up to this many seconds after its timeout (Dropbox: 90)")
    p.add_argument("--write-concurrency", type=int, default=2,
                   help="writes in flight at once before too_many_write_operations (0 = no limit)")
    p.add_argument("--write-retry-after", type=int, default=1, help="Retry-After of that 429 (s)")
    p.add_argument("--quota", type=int, default=2 * 1024 ** 3, help="space allocation in bytes")
    p.add_argument("--max-body", type=int, default=150 * MiB, help="largest request body (bytes)")
    p.add_argument("--fault", action="append", default=[],
                   help="fault rule(s) as JSON, or @file.json; repeatable")
    p.add_argument("--account-name")
    p.add_argument("--account-email")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    p.add_argument("--exit-with-parent", action="store_true",
                   help="shut down when the parent process goes away (for test harnesses)")
    args = p.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        p.error("--tls-cert and --tls-key go together")
    return args
