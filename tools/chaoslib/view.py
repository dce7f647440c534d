"""Reads a device's vault folder as the app would see it: the item tree and its files."""

import hashlib
import json
import os

LOCAL_ONLY = (".muze-state", ".muze/local", ".muze/devices")  # never synced, or one per device


def synced_files(vault):
    """{relative path: sha256} of every file a sync carries (state and device records left out)."""
    out = {}
    for root, dirs, files in os.walk(vault):
        rel_root = os.path.relpath(root, vault)
        rel_root = "" if rel_root == "." else rel_root.replace(os.sep, "/")
        if any(rel_root == p or rel_root.startswith(p + "/") for p in LOCAL_ONLY):
            dirs[:] = []
            continue
        for name in files:
            rel = (rel_root + "/" if rel_root else "") + name
            if any(rel == p or rel.startswith(p + "/") for p in LOCAL_ONLY):
                continue
            with open(os.path.join(root, name), "rb") as f:
                out[rel] = hashlib.sha256(f.read()).hexdigest()
    return out


def read_json(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read())
    except (OSError, ValueError):
        return None


class Tree:
    """Items by id: kind, parents, fields, and for tracks their take path."""

    def __init__(self, vault):
        self.vault = vault
        self.items = {}     # id -> {"kind", "data", "cid", "pid", "mid", "file"}
        self.children = {}  # id -> [child ids]
        cdir = os.path.join(vault, "collections")
        for cid in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
            self._add("collection", cid, os.path.join(cdir, cid, "collection.json"), None, cid=cid)
            pdir = os.path.join(cdir, cid, "projects")
            for pid in sorted(os.listdir(pdir)) if os.path.isdir(pdir) else []:
                self._add("project", pid, os.path.join(pdir, pid, "project.json"), cid, cid=cid, pid=pid)
                mdir = os.path.join(pdir, pid, "mixes")
                for name in sorted(os.listdir(mdir)) if os.path.isdir(mdir) else []:
                    if not name.endswith(".json") or "(" in name:
                        continue
                    mid = name[:-5]
                    data = self._add("mix", mid, os.path.join(mdir, name), pid, cid=cid, pid=pid, mid=mid)
                    for t in (data or {}).get("tracks", []) if isinstance(data, dict) else []:
                        if isinstance(t, dict) and isinstance(t.get("id"), str):
                            tid = t["id"]
                            self.items[tid] = {"kind": "track", "data": t, "cid": cid, "pid": pid, "mid": mid,
                                               "file": os.path.join(pdir, pid, "audio", tid + ".wav"), "parent": mid}
                            self.children.setdefault(mid, []).append(tid)

    def _add(self, kind, iid, path, parent, **ids):
        data = read_json(path)
        self.items[iid] = dict(kind=kind, data=data, file=path, parent=parent, exists=os.path.exists(path), **ids)
        if parent:
            self.children.setdefault(parent, []).append(iid)
        return data

    def live(self, kind):
        return [i for i, v in self.items.items() if v["kind"] == kind and (v["kind"] == "track" or v["exists"])]

    def descendants(self, iid):
        out, stack = [], [iid]
        while stack:
            x = stack.pop()
            out.append(x)
            stack.extend(self.children.get(x, []))
        return out

    def ancestors(self, iid):
        out = []
        it = self.items.get(iid)
        while it and it.get("parent"):
            out.append(it["parent"])
            it = self.items.get(it["parent"])
        return out
