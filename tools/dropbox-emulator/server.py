#!/usr/bin/env python3
"""Dropbox API v2 emulator: one HTTP(S) port serving the api, content and notify
hosts (routed by path), the OAuth pages and an admin API for fault injection.

    python3 server.py --port 0 --data DIR [--tls-cert F --tls-key F] [--port-file F] ...

Standard library only. See README.md for the routes, options and fault rules.
"""

import base64
import json
import os
import secrets
import signal
import socket
import ssl
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import emu_admin  # noqa: E402
from emu_app import Config, Emulator, parse_args  # noqa: E402
from emu_auth import OAuthError  # noqa: E402
from emu_faults import FaultError  # noqa: E402
from emu_http import Server, _suppress  # noqa: E402
from emu_limits import WRITE_ROUTES  # noqa: E402
from emu_wire import (SCHEMAS, ApiFailure, AuthFailure, BadRequest, ContentHasher,  # noqa: E402
                      api_msg, header_json, json_bytes, parse_range, tag, validate)

MiB = 1024 * 1024
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
CORS_HACK = "text/plain; charset=dropbox-cors-hack"


class _Dropped(Exception):
    """The connection was cut on purpose (fault) or by the client."""


class _Handled(Exception):
    """A fault answer (429/5xx) was sent; the connection stays usable."""


class Call:
    """What a route handler sees."""

    def __init__(self, arg, body, token, backoff):
        self.arg, self.body, self.token, self.backoff = arg, body, token, backoff


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall
    server_version = "DropboxEmulator/1.0"
    timeout = 600

    def version_string(self):
        return self.server_version

    @property
    def emu(self):
        return self.server.emu

    def log_message(self, fmt, *args):
        if self.emu.config.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # --- dispatch ----------------------------------------------------------------

    def _dispatch(self, method):
        self._method = method
        self._drop = None
        self._tmp = None
        self._body_read = False
        self._request_id = secrets.token_hex(16)
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        try:
            if url.path.startswith("/__admin/"):
                self._admin(method, url.path)
            elif url.path == "/oauth2/authorize":
                self._authorize(method, query)
            elif url.path == "/oauth2/token":
                self._token(url.path)
            elif url.path.startswith("/2/"):
                self._api(method, url.path, query)
            else:
                self._drain()
                self._send(404, b"Not found\n", TEXT)
        except _Handled:
            pass
        except _Dropped:
            self.close_connection = True
        except ApiFailure as e:
            self._drain()
            self._send(409, json_bytes(e.body()), JSON)
        except BadRequest as e:
            self._drain()
            self._send(e.status, (e.message + "\n").encode("utf-8"), TEXT)
        except AuthFailure as e:
            self._drain()
            body = {"error_summary": e.tag + "/..", "error": {".tag": e.tag}}
            self._send(401, json_bytes(body), JSON)
        except OAuthError as e:
            self._drain()
            self._send(400, json_bytes({"error": e.code, "error_description": e.description}), JSON)
        except (ConnectionError, TimeoutError, ssl.SSLError):
            self.close_connection = True
        except Exception:
            traceback.print_exc()
            self.close_connection = True
            with _suppress():
                self._send(500, b"Internal emulator error\n", TEXT)
        finally:
            if self._tmp and os.path.exists(self._tmp):
                with _suppress():
                    os.unlink(self._tmp)

    def _api(self, method, path, query):
        route = path[3:]
        spec = self.emu.routes.get(route)
        if spec is None:
            self._drain()
            return self._send(404, ("Unknown API function: %r\n" % route).encode(), TEXT)
        if method not in (("POST", "GET") if spec[0] == "download" else ("POST",)):
            self._drain()
            return self._send(405, b"Method not allowed\n", TEXT, {"Allow": "POST"})
        if route not in WRITE_ROUTES:
            return self._api_call(method, path, query, route, spec)
        if not self.emu.writes.enter():  # the namespace is busy with other writes
            self._drain()
            return self._send_429("too_many_write_operations", self.emu.config.write_retry_after)
        try:
            self._api_call(method, path, query, route, spec)
        finally:
            self.emu.writes.leave()

    def _api_call(self, method, path, query, route, spec):
        style, auth_kind, fn = spec
        faults = self.emu.faults
        delay = faults.take("delay", path)
        if delay:
            time.sleep(delay["delay_ms"] / 1000.0)
        body = self._read_body(path, to_file=(style == "upload"))
        self._fail_if_faulted(path)
        self._drop = faults.take("drop_response", path)
        if self._too_big:
            if style == "upload":
                raise ApiFailure(tag("payload_too_large"))
            raise BadRequest(api_msg(route, "request body is larger than %d bytes" % self.emu.config.max_body), 413)
        token = None
        auth_header = self.headers.get("Authorization")
        if auth_kind == "noauth":
            if auth_header is not None:
                raise BadRequest(api_msg(route, "Your request includes an Authorization header, "
                                                "but this function does not use it."))
        else:
            token = self.emu.auth.check_bearer(route, auth_header, query.get("authorization"))
        arg = self._route_arg(route, style, body, query)
        backoff = None
        if route == "files/list_folder/longpoll":
            rule = faults.take("backoff", path)
            backoff = rule and rule["seconds"]
        call = Call(arg, body, token, backoff)
        if style == "download":
            return self._download(call, fn(call))
        result = fn(call)
        self._send(200, b"null" if result is None else json_bytes(result), JSON)

    def _fail_if_faulted(self, path):
        faults = self.emu.faults
        rule = faults.take("rate_limit", path)
        if rule:
            self._send_429(rule["reason"], int(rule["retry_after"]))
            raise _Handled()
        rule = faults.take("server_error", path)
        if rule:
            status = int(rule["status"])
            extra = {"Retry-After": "1"} if status == 503 else {}
            self._send(status, b"Internal Server Error (emulated fault)\n", TEXT, extra)
            raise _Handled()

    def _send_429(self, reason, after):
        body = {"error_summary": reason + "/..", "error": {"reason": {".tag": reason}, "retry_after": after}}
        self._send(429, json_bytes(body), JSON, {"Retry-After": str(after)})

    def _route_arg(self, route, style, body, query):
        ctype = (self.headers.get("Content-Type") or "").strip()
        void = route not in SCHEMAS
        if style == "rpc":
            raw = body or b""
            if not _ctype_ok(ctype, ("application/json",)) and not (void and not raw):
                raise BadRequest('Bad HTTP "Content-Type" header: "%s".  Expecting one of '
                                 '"application/json", "application/json; charset=utf-8", '
                                 '"text/plain; charset=dropbox-cors-hack".' % ctype)
            try:
                obj = json.loads(raw.decode("utf-8")) if raw.strip() else None
            except (ValueError, UnicodeDecodeError):
                raise BadRequest(api_msg(route, "request body: could not decode input as JSON"))
            where = "request body"
        else:
            if style == "upload" and not _ctype_ok(ctype, ("application/octet-stream",)):
                raise BadRequest('Bad HTTP "Content-Type" header: "%s".  Expecting one of '
                                 '"application/octet-stream", "text/plain; charset=dropbox-cors-hack".'
                                 % ctype)
            text = self.headers.get("Dropbox-API-Arg")
            where = 'HTTP header "Dropbox-API-Arg"'
            if text is None:
                text, where = query.get("arg"), 'URL parameter "arg"'
            if text is None:
                raise BadRequest(api_msg(route, 'Must provide HTTP header "Dropbox-API-Arg" or '
                                                'URL parameter "arg".'))
            if where.startswith("HTTP") and not text.isascii():
                raise BadRequest(api_msg(route, '%s: characters outside ASCII must be escaped as '
                                                '\\uXXXX' % where))
            try:
                obj = json.loads(text)
            except ValueError:
                raise BadRequest(api_msg(route, "%s: could not decode input as JSON" % where))
        if void:
            if obj not in (None, {}):
                raise BadRequest(api_msg(route, "%s: expected null, got %s" % (where, type(obj).__name__)))
            return None
        return validate(route, SCHEMAS[route], obj, where)

    # --- request bodies -------------------------------------------------------------

    def _read_body(self, path, to_file):
        """The request body: bytes, or (tmp_path, size, content_hash) when to_file."""
        self._too_big = False
        drop = self.emu.faults.take("drop_request", path) if path else None
        limit = self.emu.config.max_body
        hasher = ContentHasher() if to_file else None
        out = open(self._new_tmp(), "wb") if to_file else bytearray()
        received = 0
        try:
            for piece in self._body_pieces():
                if drop is not None and received + len(piece) >= drop["after_bytes"]:
                    self._abort()
                received += len(piece)
                if received > limit:
                    self._too_big = True
                    continue
                if to_file:
                    hasher.update(piece)
                out.write(piece) if to_file else out.extend(piece)
            if drop is not None:
                self._abort()
        finally:
            if to_file:
                out.close()
        if to_file:
            return (self._tmp, hasher.size, hasher.hexdigest())
        return bytes(out)

    def _new_tmp(self):
        self._tmp = self.emu.store.tmp_path()
        return self._tmp

    def _body_pieces(self):
        self._body_read = True
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    self.close_connection = True
                    raise BadRequest("Bad chunked encoding")
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return
                yield from self._read_exact(size)
                self.rfile.readline(3)
        else:
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                self.close_connection = True
                raise BadRequest("Bad Content-Length")
            yield from self._read_exact(length)

    def _read_exact(self, n):
        while n > 0:
            piece = self.rfile.read(min(n, MiB))
            if not piece:
                raise _Dropped()
            n -= len(piece)
            yield piece

    def _drain(self):
        if not self._body_read:
            with _suppress():
                for _ in self._body_pieces():
                    pass

    # --- responses -----------------------------------------------------------------

    def _send(self, status, body, ctype, extra=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Dropbox-Request-Id", self._request_id)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self._write(body)

    def _write(self, data):
        drop = self._drop
        if drop is not None and self._method != "HEAD":
            self.wfile.write(data[:drop["after_bytes"]])
            self._abort()
        self.wfile.write(data)

    def _abort(self):
        self.close_connection = True
        with _suppress():
            self.wfile.flush()
        with _suppress():
            self.connection.shutdown(socket.SHUT_RDWR)
        raise _Dropped()

    def _download(self, call, meta):
        size = meta["size"]
        path = self.emu.store.blob_path(meta["content_hash"])
        etag = '"%s"' % meta["rev"]
        headers = {"Dropbox-API-Result": header_json(meta), "Accept-Ranges": "bytes", "ETag": etag}
        if self._method == "GET" and self.headers.get("If-None-Match") == etag:
            return self._send(304, b"", None, headers)
        start, end, status = 0, size - 1, 200
        rng = parse_range(self.headers.get("Range"), size)
        if rng == "unsatisfiable":
            headers = {"Content-Range": "bytes */%d" % size}
            return self._send(416, b"Requested range not satisfiable\n", TEXT, headers)
        if rng:
            start, end, status = rng[0], rng[1], 206
            headers["Content-Range"] = "bytes %d-%d/%d" % (start, end, size)
        length = max(0, end - start + 1)
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(length))
        self.send_header("X-Dropbox-Request-Id", self._request_id)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        sent, limit = 0, (self._drop["after_bytes"] if self._drop else None)
        with open(path, "rb") as f:
            f.seek(start)
            while sent < length:
                chunk = f.read(min(256 * 1024, length - sent))
                if not chunk:
                    raise _Dropped()
                if limit is not None and sent + len(chunk) >= limit:
                    self.wfile.write(chunk[:limit - sent])
                    self._abort()
                self.wfile.write(chunk)
                sent += len(chunk)
        if limit is not None:
            self._abort()

    # --- OAuth and admin -------------------------------------------------------------

    def _authorize(self, method, query):
        params = query
        if method == "POST":
            params = dict(urllib.parse.parse_qsl(self._read_body("", False).decode("utf-8", "replace"),
                                                 keep_blank_values=True))
        else:
            self._drain()
        status, headers, page = self.emu.auth.authorize(method, params)
        self._send(status, page.encode("utf-8"), "text/html; charset=utf-8", headers)

    def _token(self, path):
        body = self._read_body(path, False)
        self._fail_if_faulted(path)
        self._drop = self.emu.faults.take("drop_response", path)
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        basic = None
        header = self.headers.get("Authorization") or ""
        if header.startswith("Basic "):
            with _suppress():
                user, _, pw = base64.b64decode(header[6:]).decode("utf-8").partition(":")
                basic = (user, pw)
        out = self.emu.auth.token(form, basic)
        self._send(200, json_bytes(out), JSON)

    def _admin(self, method, path):
        body = self._read_body("", False)
        host = self.client_address[0]
        if not (host.startswith("127.") or host in ("::1", "::ffff:127.0.0.1")):
            return self._send(403, b"admin API is loopback-only\n", TEXT)
        try:
            data = json.loads(body.decode("utf-8")) if body.strip() else None
            status, out = emu_admin.handle(self.emu, method, path[len("/__admin/"):].rstrip("/"), data)
            if out is None:
                return self._send(404, b"unknown admin endpoint\n", TEXT)
        except (ValueError, FaultError) as e:
            return self._send(400, ("%s\n" % e).encode(), TEXT)
        self._send(200, json_bytes(out), JSON)


def _ctype_ok(ctype, accepted):
    if ctype == CORS_HACK:
        return True
    return ctype.split(";")[0].strip().lower() in accepted


def _watch_parent(parent, stop):
    while os.getppid() == parent:
        time.sleep(0.5)
    stop()


def main(argv=None):
    args = parse_args(argv)
    config = Config(**{k: v for k, v in vars(args).items() if v is not None})
    emu = Emulator(args.data, config)
    for spec in args.fault:
        text = open(spec[1:], encoding="utf-8").read() if spec.startswith("@") else spec
        emu.faults.add(json.loads(text))
    ctx = None
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
    server = Server((args.host, args.port), emu, Handler, ctx)
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    scheme = "https" if ctx else "http"
    print("dropbox-emulator listening on %s://%s:%d (data: %s)" % (scheme, args.host, port, emu.store.dir),
          flush=True)
    stop = lambda *_: threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    if args.exit_with_parent:
        threading.Thread(target=_watch_parent, args=(os.getppid(), stop), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
