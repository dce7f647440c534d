"""Fault injection, strict wire-format checks, keep-alive, persistence, content_hash vectors."""

import http.client
import json
import os
import ssl
import threading
import time

from conformance_base import (EMU, Base, InternalServerError, RateLimitError, dropbox, files,
                              raw, requests, strict, users)
from emulator_fixture import Emulator
from stone.backends.python_rsrc import stone_serializers

# Dropbox's published content_hash vectors, kept in the repository (tests/data/README.md).
VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "test-vectors.json")


class Faults(Base):
    def test_rate_limit(self):
        EMU.add_faults({"kind": "rate_limit", "route": "files/get_metadata", "retry_after": 3})
        self.dbx.files_upload(b"x", self.p("f"))  # other routes are not affected
        with self.assertRaises(RateLimitError) as cm:
            self.dbx.files_get_metadata(self.p("f"))
        self.assertEqual(cm.exception.backoff, 3)
        self.assertTrue(cm.exception.error.reason.is_too_many_requests())
        self.dbx.files_get_metadata(self.p("f"))  # count defaults to 1
        EMU.add_faults({"kind": "rate_limit", "reason": "too_many_write_operations"})
        resp = raw("users/get_space_usage", token=self.token, body=b"null")
        self.assertEqual((resp.status_code, resp.headers["Retry-After"]), (429, "1"))
        err = stone_serializers.json_compat_obj_decode(
            dropbox.auth.RateLimitError_validator, resp.json()["error"], strict=True)
        self.assertTrue(err.reason.is_too_many_write_operations())

    def test_sdk_retries_after_rate_limit(self):
        EMU.add_faults({"kind": "rate_limit", "route": "users/get_space_usage", "retry_after": 1})
        dbx = self.client(max_retries_on_rate_limit=None)
        t0 = time.monotonic()
        dbx.users_get_space_usage()
        self.assertGreaterEqual(time.monotonic() - t0, 0.9)

    def test_server_errors_with_count(self):
        EMU.add_faults({"kind": "server_error", "status": 503, "count": 2, "route": "files/list_folder"})
        for _ in range(2):
            with self.assertRaises(InternalServerError) as cm:
                self.dbx.files_list_folder("")
            self.assertEqual(cm.exception.status_code, 503)
        self.dbx.files_list_folder("")
        EMU.add_faults({"kind": "server_error", "route": "users/get_current_account"})
        self.client(max_retries_on_error=1).users_get_current_account()  # the SDK's retry succeeds

    def test_drop_download_midway(self):
        data = os.urandom(300000)
        self.dbx.files_upload(data, self.p("cut.wav"))
        EMU.add_faults({"kind": "drop_response", "route": "files/download", "after_bytes": 100000})
        md, resp = self.dbx.files_download(self.p("cut.wav"))
        self.assertEqual(int(resp.headers["Content-Length"]), len(data))
        got = b""
        try:
            for piece in resp.iter_content(8192):
                got += piece
        except requests.exceptions.RequestException:
            pass  # urllib3 may or may not notice; the short length is what a client checks
        self.assertEqual(got, data[:100000])
        self.assertLess(len(got), md.size)
        resp2 = self.client(headers={"Range": "bytes=%d-" % len(got)}).files_download(self.p("cut.wav"))[1]
        self.assertEqual(got + resp2.content, data)  # resume with a range

    def test_drop_upload_midway(self):
        EMU.add_faults({"kind": "drop_request", "route": "files/upload", "after_bytes": 65536})
        with self.assertRaises(requests.exceptions.ConnectionError):
            self.dbx.files_upload(os.urandom(2 * 1024 * 1024), self.p("lost.wav"))
        err = self.api_error(self.dbx.files_get_metadata, self.p("lost.wav"))
        self.assertTrue(err.get_path().is_not_found())
        self.assertEqual(self.dbx.files_upload(b"ok", self.p("lost.wav")).size, 2)

    def test_drop_rpc_response_after_commit(self):
        EMU.add_faults({"kind": "drop_response", "route": "files/create_folder_v2", "after_bytes": 10})
        with self.assertRaises(ValueError):  # the SDK chokes on the truncated JSON
            self.dbx.files_create_folder_v2(self.p("made"))
        self.assertIsInstance(self.dbx.files_get_metadata(self.p("made")), files.FolderMetadata)
        err = self.api_error(self.dbx.files_create_folder_v2, self.p("made"))
        self.assertTrue(err.get_path().get_conflict().is_folder())  # a blind retry sees a conflict

    def test_delay_and_admin_validation(self):
        EMU.add_faults({"kind": "delay", "delay_ms": 400, "route": "users/get_space_usage"})
        t0 = time.monotonic()
        self.dbx.users_get_space_usage()
        self.assertGreaterEqual(time.monotonic() - t0, 0.4)
        with self.assertRaises(Exception):
            EMU.add_faults({"kind": "nonsense"})
        EMU.add_faults({"kind": "server_error", "count": None, "route": "no/such/route"})
        self.assertEqual(len(EMU.state()["faults"]), 1)


class Wire(Base):
    def test_strict_wire_format(self):
        """Responses decode with the SDK's validators in strict mode (no stray fields)."""
        t = self.token
        up = raw("files/upload", {"path": self.p("s.txt")}, token=t, body=b"abc", style="upload")
        strict(files.upload, up.json())
        strict(files.create_folder_v2, raw("files/create_folder_v2", {"path": self.p("d")}, token=t).json())
        lst = raw("files/list_folder", {"path": self.root, "recursive": True}, token=t).json()
        strict(files.list_folder, lst)
        strict(files.list_folder_continue,
               raw("files/list_folder/continue", {"cursor": lst["cursor"]}, token=t).json())
        strict(files.get_metadata, raw("files/get_metadata", {"path": self.p("s.txt")}, token=t).json())
        dl = raw("files/download", {"path": self.p("s.txt")}, token=t, style="download")
        strict(files.download, json.loads(dl.headers["Dropbox-API-Result"]))
        mv = raw("files/move_v2", {"from_path": self.p("s.txt"), "to_path": self.p("t.txt")}, token=t)
        strict(files.move_v2, mv.json())
        strict(files.delete_v2, raw("files/delete_v2", {"path": self.p("t.txt")}, token=t).json())
        strict(users.get_current_account, raw("users/get_current_account", token=t, body=b"null").json())
        strict(users.get_space_usage, raw("users/get_space_usage", token=t, body=b"null").json())
        strict(files.list_folder_get_latest_cursor,
               raw("files/list_folder/get_latest_cursor", {"path": ""}, token=t).json())
        start = raw("files/upload_session/start", {}, token=t, body=b"12", style="upload").json()
        strict(files.upload_session_start, start)
        bad = raw("files/upload_session/append_v2", {"cursor": {"session_id": start["session_id"],
                                                                "offset": 0}}, token=t, body=b"3",
                  style="upload")
        self.assertEqual(bad.status_code, 409)
        self.assertEqual(bad.json()["error_summary"], "incorrect_offset/..")
        strict(files.upload_session_append_v2, bad.json()["error"], error=True)
        nf = raw("files/get_metadata", {"path": self.p("none")}, token=t)
        self.assertEqual((nf.status_code, nf.headers["Content-Type"]), (409, "application/json"))
        self.assertEqual(nf.json()["error_summary"], "path/not_found/..")
        strict(files.get_metadata, nf.json()["error"], error=True)
        conflict = raw("files/upload", {"path": self.p("d")}, token=t, body=b"x", style="upload")
        self.assertEqual(conflict.json()["error_summary"], "path/conflict/folder/..")
        strict(files.upload, conflict.json()["error"], error=True)
        self.assertEqual(raw("auth/token/revoke", token="sl.bogus", body=b"null").status_code, 401)

    def test_bad_requests_are_400_plain_text(self):
        t = self.token
        cases = [
            raw("files/list_folder", {"path": "", "recursiv": True}, token=t),  # unknown field
            raw("files/list_folder", {"path": 5}, token=t),
            raw("files/list_folder", body=b"{not json", token=t),
            raw("files/list_folder", {"path": ""}, token=t, headers={"Content-Type": "text/plain"}),
            raw("files/upload", {"path": self.p("x")}, token=t, body=b"x", style="upload",
                headers={"Content-Type": "application/x-www-form-urlencoded"}),
            raw("files/upload", None, token=t, body=b"x", style="upload"),
            raw("files/upload", {"path": self.p("x"), "mode": "update"}, token=t, body=b"x",
                style="upload"),
            raw("files/list_folder", {"path": "", "limit": 0}, token=t),
        ]
        for resp in cases:
            self.assertEqual(resp.status_code, 400, resp.text)
            self.assertTrue(resp.headers["Content-Type"].startswith("text/plain"))
        self.assertIn('unknown field "recursiv"', cases[0].text)
        ok = raw("files/upload", {"path": self.p("y"), "mode": {".tag": "add"}}, token=t, body=b"y",
                 style="upload", params=None)
        self.assertEqual(ok.status_code, 200)

    def test_keep_alive_and_chunked_bodies(self):
        conn = http.client.HTTPSConnection("localhost", EMU.port,
                                           context=ssl.create_default_context(cafile=EMU.ca_cert))
        EMU.add_faults({"kind": "rate_limit", "route": "get_space_usage"})
        statuses = []
        for route, body in (("users/get_space_usage", b"null"), ("users/get_space_usage", b"null"),
                            ("files/get_metadata", json.dumps({"path": self.p("none")}).encode()),
                            ("files/list_folder", b'{"path": ""}')):
            conn.request("POST", "/2/" + route, body=body, headers={
                "Authorization": "Bearer " + self.token, "Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            statuses.append(resp.status)
            sock = conn.sock
        self.assertEqual(statuses, [429, 200, 409, 200])
        self.assertIs(conn.sock, sock)  # one connection throughout
        conn.close()

        def gen():
            yield b"chunk-one,"
            yield b"chunk-two"
        resp = raw("files/upload", {"path": self.p("chunked.txt")}, token=self.token, body=gen(),
                   style="upload")
        self.assertEqual(resp.status_code, 200, resp.text)
        self.assertEqual(self.dbx.files_download(self.p("chunked.txt"))[1].content, b"chunk-one,chunk-two")


class Concurrency(Base):
    def test_parallel_devices(self):
        """Eight clients writing at once: no lost writes, one journal, unique revs.

        More writes at once than the namespace takes get too_many_write_operations, so
        the clients let the SDK wait Retry-After and retry, as the real service needs."""
        errors, revs = [], []

        def device(n):
            dbx = self.client(token=EMU.issue_token()["access_token"], max_retries_on_rate_limit=None)
            try:
                for i in range(6):
                    md = dbx.files_upload(b"%d-%d" % (n, i), self.p("dev%d/take%d.wav" % (n, i)))
                    revs.append(md.rev)
                    dbx.files_list_folder(self.root, recursive=True)
            except Exception as e:  # reported below
                errors.append(e)
            finally:
                dbx.close()
        threads = [threading.Thread(target=device, args=(n,)) for n in range(8)]
        cur = self.dbx.files_list_folder_get_latest_cursor("", recursive=True).cursor
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(set(revs)), 48)
        changes, res = [], self.dbx.files_list_folder_continue(cur)
        changes += res.entries
        while res.has_more:
            res = self.dbx.files_list_folder_continue(res.cursor)
            changes += res.entries
        files_seen = [e for e in changes if isinstance(e, files.FileMetadata)]
        self.assertEqual(len(files_seen), 48)


class ContentHash(Base):
    def test_vectors(self):
        with open(VECTORS) as f:
            vectors = json.load(f)["vectors"]
        wanted = {0, 1, 4096, 4194303, 4194304, 4194305, 8388609}
        checked = 0
        for i, v in enumerate(vectors):
            if "text" in v:
                data = v["text"].encode()
            elif v["count"] in wanted:
                data = v["repeat"].encode() * v["count"]
            else:
                continue
            md = self.dbx.files_upload(data, self.p("v%02d.bin" % i))
            self.assertEqual(md.content_hash, v["content_hash"], v.get("count", v.get("text")))
            checked += 1
        self.assertGreaterEqual(checked, 10)
        big = b"A" * 4194305  # same vector through an upload session split off the block boundary
        start = self.dbx.files_upload_session_start(big[:1000000])
        md = self.dbx.files_upload_session_finish(big[1000000:], files.UploadSessionCursor(
            start.session_id, 1000000), files.CommitInfo(self.p("session.bin")))
        self.assertEqual(md.content_hash, "8f553da8d00d0bf509d8470e242888be33019c20c0544811f5b2b89e98360b92")


class Persistence(Base):
    def test_restart_keeps_everything(self):
        md = self.dbx.files_upload(b"survives", self.p("keep.wav"))
        cur = self.dbx.files_list_folder_get_latest_cursor(self.root).cursor
        EMU.stop()
        EMU.start()  # same data dir and port
        dbx = self.client()
        self.assertEqual(dbx.files_get_metadata(self.p("keep.wav")).rev, md.rev)
        self.assertEqual(dbx.files_download(self.p("keep.wav"))[1].content, b"survives")
        self.assertEqual(dbx.files_list_folder_continue(cur).entries, [])
        self.assertNotEqual(dbx.files_upload(b"new", self.p("new.wav")).rev, md.rev)

    def test_faults_at_start_up(self):
        with Emulator(tls=False, faults=[{"kind": "rate_limit", "count": 1, "retry_after": 2}]) as other:
            token = other.issue_token()["access_token"]
            url = other.base_url + "/2/users/get_space_usage"
            hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
            first = requests.post(url, data=b"null", headers=hdr, timeout=10)
            self.assertEqual((first.status_code, first.headers["Retry-After"]), (429, "2"))
            self.assertEqual(requests.post(url, data=b"null", headers=hdr, timeout=10).status_code, 200)
