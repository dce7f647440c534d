"""files/* routes: metadata, listing with cursors, longpoll, writes, delete, move.

Each public method takes the validated argument dict and returns the JSON
result, or raises emu_wire.ApiFailure / BadRequest exactly as Dropbox would.
"""

import base64
import json
import random
import time

from emu_store import metadata
from emu_wire import (ApiFailure, BadRequest, Path, api_msg, is_disallowed, lookup_error,
                      nest, parse_path, split_ext, tag, write_conflict)

DEFAULT_LIMIT = 2000


class Cursor:
    """Position in the account's change journal for one list_folder request.

    after: while the initial listing is being paged, the last path_lower sent.
    seq:   journal position of the snapshot (or of the last change sent)."""

    FIELDS = ("account", "epoch", "path", "recursive", "deleted", "seq", "after", "limit")

    def __init__(self, **kw):
        for f in self.FIELDS:
            setattr(self, f, kw.get(f))

    def encode(self):
        raw = json.dumps([getattr(self, f) for f in self.FIELDS], separators=(",", ":"))
        return "AAE" + base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, route, text):
        try:
            if not text.startswith("AAE"):
                raise ValueError
            body = text[3:] + "=" * (-len(text[3:]) % 4)
            values = json.loads(base64.urlsafe_b64decode(body.encode()))
            if len(values) != len(cls.FIELDS):
                raise ValueError
            return cls(**dict(zip(cls.FIELDS, values)))
        except (ValueError, TypeError, UnicodeDecodeError):
            raise BadRequest(api_msg(route, 'Invalid "cursor" parameter: %r' % text[:40]))


class Files:
    def __init__(self, store, config):
        self.store = store
        self.config = config

    # --- path resolution --------------------------------------------------------

    def _resolve(self, raw, wrap, allow_root=False, route=None):
        """Live row for a read path ("id:", "ns:", "/..."), or raises a LookupError."""
        st = self.store
        if raw.startswith("id:"):
            fid, _, rest = raw.partition("/")
            row = st.get_by_id(fid)
            if row is None:
                raise ApiFailure(wrap(lookup_error("not_found")))
            if not rest:
                return row
            raw = row["path_display"] + "/" + rest
        elif raw.startswith("ns:"):
            ns, _, rest = raw.partition("/")
            if ns[3:] != st.meta("namespace"):
                raise ApiFailure(wrap(lookup_error("not_found")))
            raw = "/" + rest if rest else ""
        try:
            path = parse_path(raw, allow_root)
        except ValueError:
            raise ApiFailure(wrap(lookup_error("malformed_path")))
        if path is None:
            return None
        row = st.get_live(path.lower)
        if row is None:
            raise ApiFailure(wrap(lookup_error("not_found")))
        return row

    def _write_path(self, raw, wrap):
        st = self.store
        if raw.startswith("id:"):
            # id: paths name existing files only; writing to one means overwriting it.
            row = st.get_by_id(raw.partition("/")[0])
            if row is None:
                raise ApiFailure(wrap(tag("malformed_path")))
            raw = row["path_display"] + raw[len(raw.partition("/")[0]):]
        elif raw.startswith("ns:"):
            ns, _, rest = raw.partition("/")
            if ns[3:] != st.meta("namespace") or not rest:
                raise ApiFailure(wrap(tag("malformed_path")))
            raw = "/" + rest
        try:
            path = parse_path(raw)
        except ValueError:
            raise ApiFailure(wrap(tag("malformed_path")))
        if any(is_disallowed(p) for p in path.display.split("/")[1:]):
            raise ApiFailure(wrap(tag("disallowed_name")))
        return path

    def _cased(self, path):
        """Path whose existing ancestors keep the case they already have."""
        comps = path.display.split("/")[1:]
        for depth in range(len(comps) - 1, 0, -1):
            row = self.store.get_live(Path("/" + "/".join(comps[:depth])).lower)
            if row is not None:
                comps[:depth] = row["path_display"].split("/")[1:]
                break
        return Path("/" + "/".join(comps))

    def _check_ancestors(self, path, wrap):
        for anc in path.ancestors_lower():
            row = self.store.get_live(anc)
            if row is not None and row["tag"] == "file":
                raise ApiFailure(wrap(write_conflict("file_ancestor")))

    def _make_parents(self, path):
        comps = path.display.split("/")[1:]
        for depth in range(1, len(comps)):
            anc = Path("/" + "/".join(comps[:depth]))
            if self.store.get_live(anc.lower) is None:
                self._put_folder(anc)

    def _put_folder(self, path):
        row = {"path_lower": path.lower, "parent_lower": path.parent_lower,
               "path_display": path.display, "tag": "folder", "id": self.store.new_file_id()}
        self.store.put(row)
        return row

    def _free_name(self, path, style):
        """Autorename: "name (1).ext" (add/overwrite/folders) or "name (conflicted copy).ext"."""
        parent = path.display.rsplit("/", 1)[0]
        base, ext = (path.name, "") if style == "folder" else split_ext(path.name)
        for n in range(1, 10000):
            if style == "conflict":
                label = " (conflicted copy)" if n == 1 else " (conflicted copy %d)" % n
            else:
                label = " (%d)" % n
            cand = Path(parent + "/" + base + label + ext)
            if self.store.get_live(cand.lower) is None:
                return cand
        raise ApiFailure(tag("other"))

    # --- reads -------------------------------------------------------------------

    def get_metadata(self, arg):
        raw = arg["path"]
        if raw == "":
            raise BadRequest(api_msg("files/get_metadata",
                                     "request body: path: The root folder is unsupported."))
        wrap = lambda e: nest("path", e)
        with self.store.lock:
            if raw.startswith("rev:"):
                meta = self.store.revision(raw[4:])
                if meta is None:
                    raise ApiFailure(wrap(lookup_error("not_found")))
                return dict({".tag": "file"}, **meta)
            try:
                row = self._resolve(raw, wrap)
            except ApiFailure as failure:
                if not arg["include_deleted"] or raw.startswith("id:"):
                    raise
                try:
                    row = self.store.get(parse_path(raw).lower)
                except ValueError:
                    raise failure
                if row is None:
                    raise failure
            return metadata(row)

    def download_target(self, arg):
        """(metadata without .tag, content_hash) of the file or revision to send."""
        wrap = lambda e: nest("path", e)
        raw, rev = arg["path"], arg["rev"]
        with self.store.lock:
            if raw.startswith("rev:"):
                rev = raw[4:]
            elif rev is None:
                row = self._resolve(raw, wrap)
                if row["tag"] != "file":
                    raise ApiFailure(wrap(lookup_error("not_file")))
                return metadata(row, with_tag=False)
            meta = self.store.revision(rev)
            if meta is None:
                raise ApiFailure(wrap(lookup_error("not_found")))
            return meta

    # --- listing, cursors, longpoll -------------------------------------------------

    def _list_root(self, route, raw):
        if raw == "/":
            raise BadRequest(api_msg(route, 'request body: path: Specify the root folder as an '
                                            'empty string rather than as "/".'))
        row = self._resolve(raw, lambda e: nest("path", e), allow_root=True)
        if row is not None and row["tag"] != "folder":
            raise ApiFailure(nest("path", lookup_error("not_folder")))
        return row["path_lower"] if row else ""

    def list_folder(self, arg):
        with self.store.lock:
            root = self._list_root("files/list_folder", arg["path"])
            cur = Cursor(account=self.store.meta("salt"), epoch=self.store.epoch(), path=root,
                         recursive=arg["recursive"], deleted=arg["include_deleted"],
                         seq=self.store.max_seq(), after=None,
                         limit=arg["limit"] or DEFAULT_LIMIT)
            return self._page_listing(cur)

    def get_latest_cursor(self, arg):
        with self.store.lock:
            root = self._list_root("files/list_folder/get_latest_cursor", arg["path"])
            cur = Cursor(account=self.store.meta("salt"), epoch=self.store.epoch(), path=root,
                         recursive=arg["recursive"], deleted=arg["include_deleted"],
                         seq=self.store.max_seq(), after=None,
                         limit=arg["limit"] or DEFAULT_LIMIT)
            return {"cursor": cur.encode()}

    def _check_cursor(self, route, text, reset_error):
        cur = Cursor.decode(route, text)
        st = self.store
        if (cur.account != st.meta("salt") or cur.epoch != st.epoch()
                or not isinstance(cur.seq, int) or cur.seq > st.max_seq()):
            raise ApiFailure(reset_error)
        return cur

    def list_folder_continue(self, arg):
        route = "files/list_folder/continue"
        with self.store.lock:
            cur = self._check_cursor(route, arg["cursor"], tag("reset"))
            if cur.path and self.store.get_live(cur.path) is None:
                raise ApiFailure(nest("path", lookup_error("not_found")))
            if cur.after is not None:
                return self._page_listing(cur)
            return self._page_changes(cur)

    def _page_listing(self, cur):
        rows = self.store.list_entries(cur.path, cur.recursive, cur.deleted, cur.after)
        page = rows[:cur.limit]
        more = len(rows) > cur.limit
        cur.after = page[-1]["path_lower"] if more else None
        return {"entries": [metadata(r) for r in page], "cursor": cur.encode(), "has_more": more}

    def _page_changes(self, cur):
        """Latest state of each changed path, oldest change first, deduplicated."""
        latest = {}
        seq = cur.seq
        done = False
        while not done:
            rows = self.store.journal_after(seq, cur.path, cur.recursive, 1000)
            if not rows:
                break
            for r in rows:
                if r["path_lower"] not in latest and len(latest) >= cur.limit:
                    done = True
                    break
                latest.pop(r["path_lower"], None)
                latest[r["path_lower"]] = r["meta"]
                seq = r["seq"]
        cur.seq = seq
        more = self.store.has_changes_after(seq, cur.path, cur.recursive)
        entries = [json.loads(m) for m in latest.values()]
        return {"entries": entries, "cursor": cur.encode(), "has_more": more}

    def longpoll(self, arg, backoff=None):
        route = "files/list_folder/longpoll"
        lo, hi = self.config.longpoll_min, 480
        if not lo <= arg["timeout"] <= hi:
            raise BadRequest(api_msg(route, "request body: timeout: %d is not within [%d, %d]"
                                     % (arg["timeout"], lo, hi)))
        st = self.store
        # Like Dropbox, a quiet longpoll answers up to `longpoll_jitter` (90 s) after its
        # timeout, so herds of clients spread out; a change is still answered at once.
        jitter = random.uniform(0, max(0.0, self.config.longpoll_jitter))
        deadline = time.monotonic() + arg["timeout"] + jitter
        with st.changed:
            cur = self._check_cursor(route, arg["cursor"], tag("reset"))
            while True:
                if cur.epoch != st.epoch():
                    raise ApiFailure(tag("reset"))
                changes = (cur.after is not None
                           or (cur.path and st.get_live(cur.path) is None)
                           or st.has_changes_after(cur.seq, cur.path, cur.recursive))
                left = deadline - time.monotonic()
                if changes or left <= 0:
                    break
                st.changed.wait(left)
        out = {"changes": bool(changes)}
        if backoff:
            out["backoff"] = int(backoff)
        return out

    # --- writes ---------------------------------------------------------------------

    def commit_file(self, arg, chash, size, wrap, adopt):
        """Writes a file per CommitInfo `arg`; `adopt()` puts its content in the blob store.

        Follows WriteMode: identical content is never a conflict (unless
        strict_conflict); a folder at the path always is; update(rev) conflicts
        when the rev is stale."""
        mode, rev = arg["mode"]
        strict = arg["strict_conflict"]
        path = self._write_path(arg["path"], wrap)
        st = self.store
        adopt()  # content first: metadata never names a blob that is not on disk
        with st.tx():
            self._check_ancestors(path, wrap)
            existing = st.get_live(path.lower)
            conflict = None
            if existing is None:
                if mode == "update" and strict:
                    conflict = "file"
            elif existing["tag"] == "folder":
                conflict = "folder"
            else:
                same = existing["content_hash"] == chash
                if mode == "update" and existing["rev"] == rev:
                    if same:
                        return metadata(existing, with_tag=False)
                elif same and not (strict and mode != "overwrite"):
                    return metadata(existing, with_tag=False)
                elif mode != "overwrite":
                    conflict = "file"
            target = self._cased(path)
            if conflict:
                if not arg["autorename"]:
                    raise ApiFailure(wrap(write_conflict(conflict)))
                target = self._free_name(target, "conflict" if mode == "update" else "file")
                existing = None
            if existing is not None:
                target = Path(existing["path_display"])
            old = existing["size"] if existing else 0
            if st.used_bytes() - old + size > self.config.quota:
                raise ApiFailure(wrap(tag("insufficient_space")))
            self._make_parents(target)
            now = st.now()
            row = {"path_lower": target.lower, "parent_lower": target.parent_lower,
                   "path_display": target.display, "tag": "file",
                   "id": existing["id"] if existing else st.new_file_id(),
                   "rev": st.new_rev(), "size": size, "content_hash": chash,
                   "client_modified": arg["client_modified"] or now, "server_modified": now}
            st.put(row)
            return metadata(row, with_tag=False)

    def create_folder(self, arg):
        wrap = lambda e: nest("path", e)
        path = self._write_path(arg["path"], wrap)
        with self.store.tx():
            self._check_ancestors(path, wrap)
            target = self._cased(path)
            existing = self.store.get_live(path.lower)
            if existing is not None:
                if not arg["autorename"]:
                    raise ApiFailure(wrap(write_conflict(existing["tag"])))
                target = self._free_name(target, "folder")
            self._make_parents(target)
            row = self._put_folder(target)
            return {"metadata": metadata(row, with_tag=False)}

    def delete(self, arg):
        st = self.store
        with st.tx():
            row = self._resolve(arg["path"], lambda e: nest("path_lookup", e))
            if row is None:
                raise ApiFailure(nest("path_lookup", lookup_error("malformed_path")))
            if arg["parent_rev"] is not None:
                if row["tag"] != "file":
                    raise ApiFailure(nest("path_lookup", lookup_error("not_file")))
                if row["rev"] != arg["parent_rev"]:
                    raise ApiFailure(nest("path_write", write_conflict("file")))
            # Like Dropbox, a folder's deletion is one change; its children go silently.
            for child in st.descendants(row["path_lower"]):
                st.tombstone(child, journal=False)
            st.tombstone(row)
            return {"metadata": metadata(row)}

    def move(self, arg):
        st = self.store
        to_wrap = lambda e: nest("to", e)
        with st.tx():
            src = self._resolve(arg["from_path"], lambda e: nest("from_lookup", e))
            if src is None:
                raise ApiFailure(nest("from_lookup", lookup_error("malformed_path")))
            dst = self._write_path(arg["to_path"], to_wrap)
            src_lower = src["path_lower"]
            if src["tag"] == "folder" and dst.lower.startswith(src_lower + "/"):
                raise ApiFailure(tag("cant_move_folder_into_itself"))
            self._check_ancestors(dst, to_wrap)
            dst = self._cased(dst)
            if dst.lower == src_lower:
                if dst.display == src["path_display"]:
                    raise ApiFailure(to_wrap(write_conflict(src["tag"])))
                return {"metadata": self._rename_case(src, dst)}
            existing = st.get_live(dst.lower)
            if existing is not None:
                if not arg["autorename"]:
                    raise ApiFailure(to_wrap(write_conflict(existing["tag"])))
                dst = self._free_name(dst, "folder" if src["tag"] == "folder" else "file")
            self._make_parents(dst)
            children = st.descendants(src_lower)
            for child in children:
                st.tombstone(child, journal=False)
            st.tombstone(src)
            top = None
            for row in [src] + children:
                moved = self._relocated(row, src, dst)
                st.put(moved)
                top = top or moved
            return {"metadata": metadata(top)}

    def _relocated(self, row, src, dst):
        depth = len(src["path_display"].split("/"))
        rest = row["path_display"].split("/")[depth:]
        path = Path("/".join([dst.display] + rest))
        moved = dict(row, path_lower=path.lower, parent_lower=path.parent_lower,
                     path_display=path.display)
        if row["tag"] == "file":
            moved["rev"] = self.store.new_rev()
        return moved

    def _rename_case(self, src, dst):
        """A case-only rename, as Dropbox does it: only the entry's own name changes (same
        id, same rev), nothing is journalled (the change feed never reports case-only
        renames), and entries below keep the path_display they had: Dropbox promises the
        casing of the last path component only."""
        renamed = dict(src, path_display=dst.display)
        self.store.put(renamed, journal=False)
        return metadata(renamed)
