"""What a converged trial must show: one tree everywhere, consistent, nothing a user did not
remove lost, every edit that no later edit replaced still there, readable files, no stray temp
files, no plaintext on an encrypted remote."""

import glob
import json
import os
import re

from .view import Tree, read_json, synced_files

CONFLICTED = re.compile(r" \(conflicted copy [^)]*\)")
ALLOWED = [re.compile(p) for p in (
    r"^vault\.json$",
    r"^\.muze/.+$",
    r"^collections/[^/]+/collection%s\.json$",
    r"^collections/[^/]+/projects/[^/]+/project%s\.json$",
    r"^collections/[^/]+/projects/[^/]+/mixes/[^/]+%s\.json$",
    r"^collections/[^/]+/projects/[^/]+/audio/[^/]+%s\.wav$",
) for p in [p.replace("%s", r"( \(conflicted copy [^)]*\))?")]]


def converged(devices):
    first = synced_files(devices[0].vault)
    return all(synced_files(d.vault) == first for d in devices[1:])


def wav_problem(path):
    """None if the file is a WAV whose chunks fit, else what is wrong."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        return str(e)
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return "not a RIFF/WAVE file"
    pos, fmt, have_data = 12, False, False
    while pos + 8 <= len(data):
        cid, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        if pos + 8 + size > len(data):
            return "chunk %r runs past the end" % cid
        fmt |= cid == b"fmt "
        have_data |= cid == b"data"
        pos += 8 + size + (size & 1)
    return None if fmt and have_data else "no fmt or data chunk"


def seen(trial, dev, seq, other, other_seq):
    """Could `other` at other_seq have seen what `dev` did at seq (through syncs)?"""
    if other == dev:
        return other_seq > seq
    ups = [s for s in trial.syncs.get(dev, []) if seq < s < other_seq]
    return bool(ups) and any(ups[0] < s < other_seq for s in trial.syncs.get(other, []))


def conflict_values(vault):
    """(field, value) pairs kept by the vault's conflict records (both sides of each field)."""
    out = set()
    for path in glob.glob(os.path.join(vault, ".muze", "conflicts", "*.json")):
        rec = read_json(path)
        if not isinstance(rec, dict) or not isinstance(rec.get("field"), str):
            continue
        field = rec["field"].rsplit("/", 1)[-1]
        for side in ("local", "remote"):
            v = rec.get(side)
            if isinstance(v, dict) and "value" in v:
                try:
                    out.add((field, norm(field, v["value"])))
                except (TypeError, ValueError):
                    pass
    return out


def norm(field, value):
    return json.dumps(float(value) if field not in ("name", "notes") else value)


def check_all(trial):
    fails = []
    devices = trial.world.devices
    a = devices[0]
    files = synced_files(a.vault)
    # The app opens every device's vault without a complaint.
    for d in devices:
        r = d.run(["--json", "ls"])
        if r.code != 0:
            fails.append("%s: ls failed: %s" % (d.name, r.err.strip()))
            continue
        issues = json.loads(r.out).get("issues", [])
        for i in issues:
            fails.append("%s: ls: %s: %s" % (d.name, i.get("file"), i.get("message")))
    tree = Tree(a.vault)
    # A consistent tree: every item file has its parents, every track its take.
    for iid, it in tree.items.items():
        if it["kind"] != "track" and it["exists"] and it["data"] is None:
            fails.append("unreadable JSON %s" % os.path.relpath(it["file"], a.vault))
        if it["kind"] != "track" and not it["exists"] and iid in tree.children:
            fails.append("orphans: %s has items but no %s file" % (it["kind"], os.path.basename(it["file"])))
        if it["kind"] == "track" and not os.path.exists(it["file"]):
            fails.append("orphan track: mix %s lists %s but its take is gone" % (it["mid"], iid))
    for rel in files:
        full = os.path.join(a.vault, rel)
        if rel.endswith(".json") and read_json(full) is None:
            fails.append("JSON does not parse: %s" % rel)
        if rel.endswith(".wav") and (p := wav_problem(full)):
            fails.append("WAV does not open: %s: %s" % (rel, p))
    # Nothing but vault files outside the local state folder.
    for d in devices:
        for rel in synced_files(d.vault):
            if not any(p.match(rel) for p in ALLOWED):
                fails.append("%s: stray file %s" % (d.name, rel))
    # Every take imported and not removed by a user is there (at its path or as a conflicted copy).
    removed = set().union(*[r[3] for r in trial.removals]) if trial.removals else set()
    hashes = set(files.values())
    for tid, (sha, seq, dev) in trial.takes.items():
        if tid not in removed and sha not in hashes:
            fails.append("lost take %s (imported by %s at op %d)" % (tid, dev, seq))
    # Every edited value no later edit replaced survives, at its path or in a conflict record.
    conflicts = conflict_values(a.vault)
    for seq, dev, iid, field, value in trial.edits:
        replaced = any(e_seq > seq and e_iid == iid and e_field == field and seen(trial, dev, seq, e_dev, e_seq)
                       for e_seq, e_dev, e_iid, e_field, _ in trial.edits)
        replaced |= any(r_seq > seq and iid in gone and seen(trial, dev, seq, r_dev, r_seq)
                        for r_seq, r_dev, _, gone in trial.removals)
        if replaced:
            continue
        it = tree.items.get(iid)
        here = it is not None and isinstance(it["data"], dict) and field in it["data"] \
            and norm(field, it["data"][field]) == norm(field, value)
        if not here and (field, norm(field, value)) not in conflicts:
            fails.append("lost edit: op %d %s %s %s=%s (now %s)" % (
                seq, dev, iid, field, value,
                "item gone" if it is None else json.dumps((it["data"] or {}).get(field))))
    fails += remote_checks(trial, files)
    return fails


def remote_blobs(world):
    """(name, bytes) of everything the remote stores, history included."""
    if world.kind == "dropbox":
        data = os.path.join(world.dir, "dropbox-data")
        for path in glob.glob(os.path.join(data, "blobs", "*", "*")):
            with open(path, "rb") as f:
                yield os.path.basename(path), f.read()
        return
    for root, _, names in os.walk(world.remote_dir):
        for n in names:
            full = os.path.join(root, n)
            rel = os.path.relpath(full, world.remote_dir)
            with open(full, "rb") as f:
                yield rel, f.read()


def is_keyring(blob):
    try:
        doc = json.loads(blob)
    except ValueError:
        return False
    return isinstance(doc, dict) and "keyring" in str(doc.get("kind", ""))


def remote_checks(trial, files):
    world = trial.world
    fails = []
    if world.kind == "folder":
        leftovers = glob.glob(os.path.join(world.remote_dir, "**", "*.tmp"), recursive=True)
        trial.stats["remote_temp_left"] = len(leftovers)
    if not world.encrypted:
        return fails
    token = ("zq%x-" % trial.seed).encode()
    for name, blob in remote_blobs(world):
        if name.endswith(".muze-remote") or is_keyring(blob):
            continue  # the key ring is the one file stored in the clear (wrapped keys only)
        if blob[:4] == b"RIFF" or token in blob or b'"tracks"' in blob or b'"modified_at"' in blob:
            fails.append("plaintext on the encrypted remote: %s" % name)
    return fails
