"""Persistent state of the emulated account: SQLite (stdlib) plus a blob directory.

Layout of the data directory:
  emulator.sqlite3   entries (live + tombstones), change journal, revisions,
                     tokens, auth codes, upload sessions, account meta
  blobs/ab/<hash>    file contents, content-addressed by Dropbox content_hash
  sessions/<id>.part upload-session data received so far
  tmp/               request bodies being received (same filesystem, renamed into place)

One lock guards the database; `changed` (a Condition on it) wakes longpolls.
"""

import base64
import contextlib
import json
import os
import secrets
import sqlite3
import threading
import time

from emu_wire import iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
  path_lower TEXT PRIMARY KEY, parent_lower TEXT NOT NULL, path_display TEXT NOT NULL,
  tag TEXT NOT NULL, id TEXT, rev TEXT, size INTEGER, content_hash TEXT,
  client_modified TEXT, server_modified TEXT);
CREATE INDEX IF NOT EXISTS entries_parent ON entries(parent_lower);
CREATE INDEX IF NOT EXISTS entries_id ON entries(id);
CREATE TABLE IF NOT EXISTS journal(
  seq INTEGER PRIMARY KEY, path_lower TEXT NOT NULL, parent_lower TEXT NOT NULL, meta TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS journal_path ON journal(path_lower);
CREATE TABLE IF NOT EXISTS revisions(rev TEXT PRIMARY KEY, path_lower TEXT NOT NULL, meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tokens(
  token TEXT PRIMARY KEY, kind TEXT NOT NULL, refresh TEXT, client_id TEXT,
  pkce INTEGER NOT NULL DEFAULT 0, expires_at REAL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS codes(
  code TEXT PRIMARY KEY, client_id TEXT, redirect_uri TEXT, challenge TEXT, method TEXT,
  access_type TEXT, expires_at REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS jobs(id TEXT PRIMARY KEY, result TEXT, checks INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sessions(
  id TEXT PRIMARY KEY, offset INTEGER NOT NULL, closed INTEGER NOT NULL, created REAL NOT NULL);
"""

COLUMNS = ("path_lower", "parent_lower", "path_display", "tag", "id", "rev", "size",
           "content_hash", "client_modified", "server_modified")


def random_id(nbytes=16):
    return base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode().rstrip("=")


def metadata(row, with_tag=True):
    """Dropbox Metadata JSON for an entries row (file, folder or deleted)."""
    display = row["path_display"]
    out = {".tag": row["tag"]} if with_tag else {}
    out["name"] = display.rsplit("/", 1)[-1]
    out["path_lower"] = row["path_lower"]
    out["path_display"] = display
    if row["tag"] == "deleted":
        return out
    out["id"] = row["id"]
    if row["tag"] == "file":
        out["client_modified"] = row["client_modified"]
        out["server_modified"] = row["server_modified"]
        out["rev"] = row["rev"]
        out["size"] = row["size"]
        out["is_downloadable"] = True
        out["content_hash"] = row["content_hash"]
    return out


class Store:
    def __init__(self, data_dir):
        self.dir = os.path.abspath(data_dir)
        for sub in ("blobs", "sessions", "tmp"):
            os.makedirs(os.path.join(self.dir, sub), exist_ok=True)
        for name in os.listdir(os.path.join(self.dir, "tmp")):  # leftovers of a crash
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.dir, "tmp", name))
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.db = sqlite3.connect(os.path.join(self.dir, "emulator.sqlite3"),
                                  check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._journal_grew = False
        with self.tx():
            if self.meta("account_id") is None:
                suffix = random_id(27)[:35]
                self.set_meta("account_id", "dbid:" + suffix)
                self.set_meta("uid", str(10 ** 8 + secrets.randbelow(9 * 10 ** 8)))
                self.set_meta("namespace", str(10 ** 9 + secrets.randbelow(9 * 10 ** 9)))
                self.set_meta("salt", secrets.token_hex(4))
                self.set_meta("rev_counter", "0")
                self.set_meta("epoch", "1")

    # --- transactions and meta ------------------------------------------------

    @contextlib.contextmanager
    def tx(self):
        """Exclusive transaction; wakes longpolls if the journal grew."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                self.db.execute("ROLLBACK")
                self._journal_grew = False
                raise
            self.db.execute("COMMIT")
            if self._journal_grew:
                self._journal_grew = False
                self.changed.notify_all()

    def q(self, sql, *args):
        with self.lock:  # re-entrant: free inside tx(), a guard for lone reads
            return self.db.execute(sql, args).fetchall()

    def q1(self, sql, *args):
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    def meta(self, key):
        row = self.q1("SELECT value FROM meta WHERE key=?", key)
        return row["value"] if row else None

    def set_meta(self, key, value):
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, str(value)))

    def epoch(self):
        return int(self.meta("epoch"))

    def bump_epoch(self):
        with self.tx():
            self.set_meta("epoch", self.epoch() + 1)
            self._journal_grew = True  # wake longpolls so they answer "reset"

    def new_rev(self):
        n = int(self.meta("rev_counter")) + 1
        self.set_meta("rev_counter", n)
        return "%09x%s" % (n, self.meta("salt"))

    @staticmethod
    def new_file_id():
        return "id:" + random_id(16)

    # --- entries --------------------------------------------------------------

    def get(self, path_lower):
        row = self.q1("SELECT * FROM entries WHERE path_lower=?", path_lower)
        return dict(row) if row else None

    def get_live(self, path_lower):
        row = self.get(path_lower)
        return row if row and row["tag"] != "deleted" else None

    def get_by_id(self, file_id):
        row = self.q1("SELECT * FROM entries WHERE id=? AND tag!='deleted'", file_id)
        return dict(row) if row else None

    def list_entries(self, path_lower, recursive, include_deleted, after=None):
        """Entries under path_lower ("" = root) sorted by path_lower (parents first)."""
        sql = "SELECT * FROM entries WHERE "
        args = []
        if recursive:
            if path_lower:
                sql += "(path_lower=? OR (path_lower>=? AND path_lower<?))"
                args += [path_lower, path_lower + "/", path_lower + "0"]
            else:
                sql += "1"
        else:
            sql += "parent_lower=?"
            args.append(path_lower)
        if not include_deleted:
            sql += " AND tag!='deleted'"
        if after is not None:
            sql += " AND path_lower>?"
            args.append(after)
        sql += " ORDER BY path_lower"
        return [dict(r) for r in self.q(sql, *args)]

    def descendants(self, path_lower):
        rows = self.q("SELECT * FROM entries WHERE path_lower>=? AND path_lower<? AND tag!='deleted'"
                      " ORDER BY path_lower", path_lower + "/", path_lower + "0")
        return [dict(r) for r in rows]

    def put(self, row, journal=True):
        """Writes an entry and (normally) appends its new state to the change journal."""
        vals = [row.get(c) for c in COLUMNS]
        self.db.execute("INSERT OR REPLACE INTO entries(%s) VALUES(%s)"
                        % (",".join(COLUMNS), ",".join("?" * len(COLUMNS))), vals)
        meta = metadata(row)
        if journal:
            self.db.execute("INSERT INTO journal(path_lower, parent_lower, meta) VALUES(?,?,?)",
                            (row["path_lower"], row["parent_lower"], json.dumps(meta)))
            self._journal_grew = True
        if row["tag"] == "file":
            self.db.execute("INSERT OR REPLACE INTO revisions(rev, path_lower, meta) VALUES(?,?,?)",
                            (row["rev"], row["path_lower"], json.dumps(metadata(row, False))))
        return meta

    def tombstone(self, row, journal=True):
        # A tombstone remembers when (server_deleted) and which file id (list_revisions).
        dead = {"path_lower": row["path_lower"], "parent_lower": row["parent_lower"],
                "path_display": row["path_display"], "tag": "deleted",
                "id": row.get("id") if row["tag"] == "file" else None, "server_modified": self.now()}
        return self.put(dead, journal)

    def revision(self, rev):
        row = self.q1("SELECT meta FROM revisions WHERE rev=?", rev)
        return json.loads(row["meta"]) if row else None

    def used_bytes(self):
        return self.q1("SELECT COALESCE(SUM(size), 0) AS n FROM entries WHERE tag='file'")["n"]

    # --- journal ----------------------------------------------------------------

    def max_seq(self):
        return self.q1("SELECT COALESCE(MAX(seq), 0) AS n FROM journal")["n"]

    def journal_after(self, seq, path_lower, recursive, limit):
        """Rows after seq under path_lower, in order, at most `limit` rows per call."""
        sql = "SELECT seq, path_lower, meta FROM journal WHERE seq>? AND "
        args = [seq]
        if recursive:
            if path_lower:
                sql += "(path_lower=? OR (path_lower>=? AND path_lower<?))"
                args += [path_lower, path_lower + "/", path_lower + "0"]
            else:
                sql += "1"
        else:
            sql += "parent_lower=?"
            args.append(path_lower)
        sql += " ORDER BY seq LIMIT ?"
        args.append(limit)
        return self.q(sql, *args)

    def has_changes_after(self, seq, path_lower, recursive):
        return bool(self.journal_after(seq, path_lower, recursive, 1))

    # --- blobs and temp files -------------------------------------------------

    def blob_path(self, content_hash):
        return os.path.join(self.dir, "blobs", content_hash[:2], content_hash)

    def tmp_path(self):
        return os.path.join(self.dir, "tmp", random_id(12))

    def session_path(self, session_id):
        return os.path.join(self.dir, "sessions", session_id + ".part")

    def adopt_blob(self, tmp, content_hash):
        """Moves a fully written temp file into the blob store (atomic, durable)."""
        final = self.blob_path(content_hash)
        if os.path.exists(final):
            os.unlink(tmp)
            return final
        os.makedirs(os.path.dirname(final), exist_ok=True)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, final)
        return final

    def now(self):
        return iso(time.time())
