#!/usr/bin/env python3
"""Start and stop the Dropbox emulator for tests (standard library only).

Python tests:

    from emulator_fixture import Emulator
    with Emulator(tls=True) as emu:          # free port, temp data dir, fresh CA
        emu.host        # "localhost:PORT" (for DROPBOX_API_HOST & co.)
        emu.base_url    # "https://localhost:PORT"
        emu.ca_cert     # CA file to trust (None without TLS)
        emu.add_faults({"kind": "rate_limit", "route": "files/upload", "count": 2})
        emu.issue_token()  # {"access_token", "refresh_token", ...} without OAuth

C++ (or any) tests run the CLI, read one JSON line from stdout, and kill it when done:

    python3 emulator_fixture.py start --data D --tls-dir T --port-file F
    -> {"base_url": ..., "host": ..., "port": ..., "ca_cert": ..., "data_dir": ..., "pid": ...,
        "env": {"MUZE_DROPBOX_API_URL": ..., "MUZE_CA_CERTS": ..., ...}}

    python3 emulator_fixture.py fault --base-url URL [--ca-cert C] '{"kind": "server_error"}'
"""

import argparse
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.normpath(os.path.join(HERE, "..", "..", "tools", "dropbox-emulator", "server.py"))

# The redirect URIs "registered in the App Console" of every emulator this fixture starts
# (exact match, port included): Muze's loopback sign-in address (kDefaultRedirectPort and
# kRedirectPath in include/muze/auth/dropboxconfig.h). Add more per emulator with
# redirect_uris=[...] / --redirect-uri, or at run time with allow_redirect_uris().
REDIRECT_URIS = ["http://127.0.0.1:53134/muze/oauth/callback"]


def make_tls(directory):
    """A throwaway CA and a server certificate for localhost/127.0.0.1/::1 (uses openssl).

    Returns (ca_cert, server_cert, server_key); reuses files already there."""
    os.makedirs(directory, exist_ok=True)
    ca_key, ca_crt = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.crt")
    key, csr, crt = (os.path.join(directory, n) for n in ("server.key", "server.csr", "server.crt"))
    if all(os.path.exists(p) for p in (ca_crt, crt, key)):
        return ca_crt, crt, key
    ext = os.path.join(directory, "server.ext")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n"
                "basicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n"
                "subjectKeyIdentifier=hash\n"
                "authorityKeyIdentifier=keyid,issuer\n")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)
    run("req", "-x509", *ec, "-keyout", ca_key, "-out", ca_crt, "-days", "30",
        "-subj", "/CN=Muze Dropbox Emulator Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-addext", "subjectKeyIdentifier=hash")
    run("req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    run("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
        "-out", crt, "-days", "30", "-extfile", ext)
    return ca_crt, crt, key


class Emulator:
    """One emulator process. Arguments map to server.py options; extra_args are appended."""

    def __init__(self, data_dir=None, tls=True, tls_dir=None, port=0, app_key=None,
                 app_secret=None, auto_approve=False, token_ttl=None, longpoll_min=None, longpoll_jitter=None,
                 faults=None, extra_args=(), log_path=None, redirect_uris=()):
        self._own = []
        if data_dir is None:
            data_dir = tempfile.mkdtemp(prefix="dbx-emu-data-")
            self._own.append(data_dir)
        self.data_dir = data_dir
        self.tls = tls
        if tls and tls_dir is None:
            tls_dir = tempfile.mkdtemp(prefix="dbx-emu-tls-")
            self._own.append(tls_dir)
        self.tls_dir = tls_dir
        self.port = port
        self.options = {"app_key": app_key, "app_secret": app_secret, "token_ttl": token_ttl,
                        "longpoll_min": longpoll_min, "longpoll_jitter": longpoll_jitter}
        self.auto_approve = auto_approve
        self.redirect_uris = REDIRECT_URIS + [u for u in redirect_uris if u not in REDIRECT_URIS]
        self.faults = faults
        self.extra_args = list(extra_args)
        self.log_path = log_path
        self.proc = None
        self.ca_cert = None
        self._ctx = None

    # --- lifecycle ------------------------------------------------------------------

    def start(self, timeout=15):
        cmd = [sys.executable, SERVER, "--data", self.data_dir, "--exit-with-parent"]
        if self.tls:
            self.ca_cert, crt, key = make_tls(self.tls_dir)
            cmd += ["--tls-cert", crt, "--tls-key", key]
            self._ctx = ssl.create_default_context(cafile=self.ca_cert)
        port_dir = tempfile.mkdtemp(prefix="dbx-emu-port-")
        port_file = os.path.join(port_dir, "port")
        cmd += ["--port", str(self.port), "--port-file", port_file]
        for key, value in self.options.items():
            if value is not None:
                cmd += ["--" + key.replace("_", "-"), str(value)]
        if self.auto_approve:
            cmd.append("--auto-approve")
        for uri in self.redirect_uris:
            cmd += ["--redirect-uri", uri]
        if self.faults:
            cmd += ["--fault", json.dumps(self.faults)]
        cmd += self.extra_args
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
        if log is not subprocess.DEVNULL:
            log.close()
        try:
            deadline = time.monotonic() + timeout
            while not os.path.exists(port_file):
                if self.proc.poll() is not None:
                    raise RuntimeError("emulator exited with %s" % self.proc.returncode)
                if time.monotonic() > deadline:
                    raise RuntimeError("emulator did not start within %ss" % timeout)
                time.sleep(0.02)
            with open(port_file) as f:
                self.port = int(f.read())
        finally:
            shutil.rmtree(port_dir, ignore_errors=True)
        self.admin("GET", "health")
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self):
        """Stops the process and removes the temp directories this object created."""
        self.stop()
        for d in self._own:
            shutil.rmtree(d, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.cleanup()

    # --- addresses ------------------------------------------------------------------

    @property
    def host(self):
        return "localhost:%d" % self.port

    @property
    def base_url(self):
        return "%s://localhost:%d" % ("https" if self.tls else "http", self.port)

    def sdk_env(self):
        """Environment for the official SDK (set before `import dropbox`).

        REQUESTS_CA_BUNDLE is needed as well as the SDK's ca_certs=: requests'
        HTTPAdapter.cert_verify() replaces the pool's CA file with its default
        bundle whenever verify=True, which is what the SDK passes."""
        env = {name: self.host for name in ("DROPBOX_API_HOST", "DROPBOX_API_CONTENT_HOST",
                                            "DROPBOX_API_NOTIFY_HOST", "DROPBOX_WEB_HOST")}
        if self.ca_cert:
            env["REQUESTS_CA_BUNDLE"] = self.ca_cert
        return env

    def muze_env(self):
        """Environment pointing Muze (src/core/auth/dropboxconfig.cpp) at this emulator."""
        env = {"MUZE_DROPBOX_API_URL": self.base_url, "MUZE_DROPBOX_CONTENT_URL": self.base_url,
               "MUZE_DROPBOX_NOTIFY_URL": self.base_url,
               "MUZE_DROPBOX_AUTH_URL": self.base_url + "/oauth2/authorize",
               "MUZE_DROPBOX_APP_KEY": self.options["app_key"] or "muze-emulator"}
        if self.ca_cert:
            env["MUZE_CA_CERTS"] = self.ca_cert
        return env

    def info(self):
        return {"base_url": self.base_url, "host": self.host, "port": self.port,
                "ca_cert": self.ca_cert, "data_dir": self.data_dir,
                "pid": self.proc.pid if self.proc else None, "env": self.muze_env()}

    # --- admin API ----------------------------------------------------------------

    def admin(self, method, name, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + "/__admin/" + name, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=self._ctx, timeout=30) as resp:
            return json.loads(resp.read() or b"null")

    def add_faults(self, rules, replace=False):
        return self.admin("POST", "faults", {"rules": rules if isinstance(rules, list) else [rules],
                                             "replace": replace})["faults"]

    def clear_faults(self):
        self.admin("DELETE", "faults")

    def expire_tokens(self):
        self.admin("POST", "expire_tokens", {})

    def reset_cursors(self):
        self.admin("POST", "reset_cursors", {})

    def configure(self, **values):
        return self.admin("POST", "config", values)["config"]

    def state(self):
        return self.admin("GET", "state")

    def allow_redirect_uris(self, uris, replace=False):
        """Registers more redirect URIs (like adding them in the App Console)."""
        return self.admin("POST", "redirect_uris", {"uris": list(uris), "replace": replace})["redirect_uris"]

    def issue_token(self, offline=True, client_id=None):
        return self.admin("POST", "token", {"offline": offline, "client_id": client_id})


def _cli(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start", help="start an emulator, print its JSON info, run until killed")
    s.add_argument("--data", help="data directory (default: a temp dir, removed at exit)")
    s.add_argument("--tls-dir", help="where to make/keep the CA and server cert (enables TLS)")
    s.add_argument("--no-tls", action="store_true", help="plain HTTP")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--port-file", help="also write the port here")
    s.add_argument("--app-key")
    s.add_argument("--auto-approve", action="store_true")
    s.add_argument("--redirect-uri", action="append", default=[],
                   help="register this redirect URI as well as REDIRECT_URIS; repeatable")
    s.add_argument("--token-ttl", type=int)
    s.add_argument("--longpoll-min", type=int)
    s.add_argument("--longpoll-jitter", type=float, help="largest extra delay of a quiet longpoll (s)")
    s.add_argument("--log", help="append the emulator's stderr here")
    f = sub.add_parser("fault", help="add fault rules to a running emulator")
    f.add_argument("--base-url", required=True)
    f.add_argument("--ca-cert")
    f.add_argument("rules", help="JSON rule object or list")
    args = p.parse_args(argv)
    if args.cmd == "fault":
        ctx = ssl.create_default_context(cafile=args.ca_cert) if args.ca_cert else None
        req = urllib.request.Request(args.base_url.rstrip("/") + "/__admin/faults",
                                     data=args.rules.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
            print(resp.read().decode())
        return 0
    emu = Emulator(data_dir=args.data, tls=not args.no_tls, tls_dir=args.tls_dir, port=args.port,
                   app_key=args.app_key, auto_approve=args.auto_approve, token_ttl=args.token_ttl,
                   longpoll_min=args.longpoll_min, longpoll_jitter=args.longpoll_jitter, log_path=args.log, redirect_uris=args.redirect_uri)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))
    emu.start()
    try:
        if args.port_file:
            with open(args.port_file + ".tmp", "w") as fh:
                fh.write("%d\n" % emu.port)
            os.replace(args.port_file + ".tmp", args.port_file)
        print(json.dumps(emu.info()), flush=True)
        while not stop and emu.proc.poll() is None:
            time.sleep(0.2)
    finally:
        emu.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
