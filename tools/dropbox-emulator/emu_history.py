"""files/list_revisions and files/restore: the history every file keeps.

Every version a file ever had (uploads, overwrites, moves, restores) stays in the
revisions table, also after the file is deleted, so an old rev can be listed,
downloaded (`rev:` paths) and restored. Deleted files keep their tombstone, which
records when (`server_deleted`) and the file's id (for `mode: id`)."""

import json

from emu_wire import ApiFailure, lookup_error, nest, parse_path, tag


class History:
    def __init__(self, store, files):
        self.store = store
        self.files = files

    def _revisions(self, column, value, limit):
        if column == "id":
            where = "json_extract(meta, '$.id')=?"
        else:
            where = "path_lower=?"
        rows = self.store.q("SELECT meta FROM revisions WHERE %s ORDER BY length(rev) DESC, rev DESC LIMIT ?"
                            % where, value, limit)
        return [json.loads(r["meta"]) for r in rows]

    def list_revisions(self, arg):
        wrap = lambda e: nest("path", e)
        raw, mode, limit = arg["path"], arg["mode"][0], arg["limit"]
        st = self.store
        with st.lock:
            if raw.startswith("id:") and "/" not in raw:
                row = st.get_by_id(raw)  # a deleted file's id still names its history
                if row is None:
                    row = st.q1("SELECT * FROM entries WHERE id=? AND tag='deleted'", raw)
                    row = dict(row) if row else None
            elif raw.startswith(("id:", "ns:")):
                row = self.files._resolve(raw, wrap)  # live entries only
            else:
                try:
                    path = parse_path(raw)
                except ValueError:
                    raise ApiFailure(wrap(lookup_error("malformed_path")))
                row = st.get(path.lower)
            if row is None:
                raise ApiFailure(wrap(lookup_error("not_found")))
            if row["tag"] == "folder":
                raise ApiFailure(wrap(lookup_error("not_file")))
            deleted = row["tag"] == "deleted"
            if mode == "id" and row["id"]:
                entries = self._revisions("id", row["id"], limit)
            else:
                entries = self._revisions("path", row["path_lower"], limit)
            if not entries:
                raise ApiFailure(wrap(lookup_error("not_found")))
            out = {"is_deleted": deleted, "entries": entries}
            if deleted:
                out["server_deleted"] = row["server_modified"] or entries[0]["server_modified"]
            return out

    def restore(self, arg):
        wrap = lambda e: nest("path_write", e)
        meta = self.store.revision(arg["rev"])
        if meta is None:
            raise ApiFailure(tag("invalid_revision"))
        commit = {"path": arg["path"], "mode": ("overwrite", None), "autorename": False,
                  "strict_conflict": False, "client_modified": meta["client_modified"]}
        return self.files.commit_file(commit, meta["content_hash"], meta["size"], wrap, lambda: None)
