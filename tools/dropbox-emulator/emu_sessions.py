"""files/upload_session/{start,append_v2,finish}: sequential upload sessions with offsets.

The data received so far lives in DATA/sessions/<id>.part; the offset in SQLite.
A request at the wrong offset changes nothing and reports the correct one, so a
client resumes at `correct_offset` exactly as with Dropbox."""

import contextlib
import os
import shutil
import time

from emu_store import random_id
from emu_wire import ApiFailure, BadRequest, ContentHasher, api_msg, nest, tag

SESSION_MAX = 350 * 1024 ** 3  # Dropbox's limit for one session


def _hash_file(path):
    h = ContentHasher()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest(), h.size


def _append(dst, src):
    if not os.path.getsize(src):
        return
    with open(dst, "ab") as out, open(src, "rb") as inp:
        shutil.copyfileobj(inp, out, 1 << 20)
        out.flush()
        os.fsync(out.fileno())


class Sessions:
    def __init__(self, store, files):
        self.store = store
        self.files = files

    def start(self, arg, body):
        """body: (tmp_path, size, content_hash) of the request payload."""
        if arg["session_type"] and arg["session_type"][0] == "concurrent":
            raise BadRequest(api_msg("files/upload_session/start",
                                     "concurrent upload sessions are not supported by the emulator"))
        tmp, size, chash = body
        if arg["content_hash"] and arg["content_hash"] != chash:
            raise ApiFailure(tag("content_hash_mismatch"))
        sid = "pid_upload_session:" + random_id(24)
        with self.store.tx():
            os.replace(tmp, self.store.session_path(sid))
            self.store.db.execute("INSERT INTO sessions(id, offset, closed, created) VALUES(?,?,?,?)",
                                  (sid, size, int(arg["close"]), time.time()))
        return {"session_id": sid}

    def _session(self, cursor, wrap):
        row = self.store.q1("SELECT * FROM sessions WHERE id=?", cursor["session_id"])
        if row is None:
            raise ApiFailure(wrap(tag("not_found")))
        if cursor["offset"] != row["offset"]:
            raise ApiFailure(wrap(tag("incorrect_offset", correct_offset=row["offset"])))
        return row

    def append(self, arg, body):
        tmp, size, chash = body
        with self.store.tx():
            row = self._session(arg["cursor"], lambda e: e)
            if row["closed"]:
                raise ApiFailure(tag("closed"))
            if row["offset"] + size > SESSION_MAX:
                raise ApiFailure(tag("too_large"))
            if arg["content_hash"] and arg["content_hash"] != chash:
                raise ApiFailure(tag("content_hash_mismatch"))
            _append(self.store.session_path(row["id"]), tmp)
            self.store.db.execute("UPDATE sessions SET offset=?, closed=? WHERE id=?",
                                  (row["offset"] + size, int(row["closed"] or arg["close"]), row["id"]))
        return None

    def finish(self, arg, body):
        tmp, size, _ = body
        lookup = lambda e: nest("lookup_failed", e)
        with self.store.tx():
            row = self._session(arg["cursor"], lookup)
            if row["closed"] and size:
                raise ApiFailure(lookup(tag("closed")))
            part = self.store.session_path(row["id"])
            if size:
                _append(part, tmp)
        return self._commit(row, part, arg)

    def finish_closed(self, arg):
        """One entry of finish_batch: the session must be closed and complete."""
        lookup = lambda e: nest("lookup_failed", e)
        with self.store.tx():
            row = self._session(arg["cursor"], lookup)
            if not row["closed"]:
                raise ApiFailure(lookup(tag("not_closed")))
        return self._commit(row, self.store.session_path(row["id"]), arg)

    def _commit(self, row, part, arg):
        # The session row stays until the commit succeeds, so a failed finish
        # (say a conflict) can be retried; its payload is rolled back first.
        try:
            chash, total = _hash_file(part)
            if arg["content_hash"] and arg["content_hash"] != chash:
                raise ApiFailure(tag("content_hash_mismatch"))
            meta = self.files.commit_file(arg["commit"], chash, total,
                                          lambda e: nest("path", e),
                                          lambda: self._adopt(part, chash))
        except BaseException:
            self._rollback(part, row["offset"])
            raise
        with self.store.tx():
            self.store.db.execute("DELETE FROM sessions WHERE id=?", (row["id"],))
        with contextlib.suppress(OSError):
            os.unlink(part)
        return meta

    def new_empty(self, count):
        """`count` sessions with no data yet (upload_session/start_batch)."""
        ids = []
        with self.store.tx():
            for _ in range(count):
                sid = "pid_upload_session:" + random_id(24)
                open(self.store.session_path(sid), "wb").close()
                self.store.db.execute("INSERT INTO sessions(id, offset, closed, created) VALUES(?,?,?,?)",
                                      (sid, 0, 0, time.time()))
                ids.append(sid)
        return ids

    def _rollback(self, part, offset):
        """Back to `offset` bytes, as a private copy: the part may be hard-linked to a blob."""
        with self.store.lock:
            if os.path.getsize(part) == offset:
                return
            tmp = self.store.tmp_path()
            with open(part, "rb") as inp, open(tmp, "wb") as out:
                remaining = offset
                while remaining:
                    chunk = inp.read(min(1 << 20, remaining))
                    if not chunk:
                        break
                    out.write(chunk)
                    remaining -= len(chunk)
            os.replace(tmp, part)

    def _adopt(self, part, chash):
        """Links the session's data into the blob store (copies if links are unsupported)."""
        final = self.store.blob_path(chash)
        if os.path.exists(final):
            return
        os.makedirs(os.path.dirname(final), exist_ok=True)
        tmp = self.store.tmp_path()
        try:
            os.link(part, tmp)
        except OSError:
            shutil.copyfile(part, tmp)
        self.store.adopt_blob(tmp, chash)
