"""One trial: three devices, random operations from the CLI, kills, faults, then convergence and
the checks. Everything random comes from the trial's seed."""

import hashlib
import os
import random
import shutil
import tempfile
import time

from . import checks
from .view import Tree
from .world import SetupError, World, wav_bytes

FAULTS = ("drop_response", "drop_request", "server_error", "rate_limit", "expire_tokens", "reset_cursors")
ROUTES = ("files/upload", "upload_session", "files/download", "list_folder", "delete", "get_metadata", "")


def trial_kind(seed):
    """Alternating remotes, every third trial encrypted, every fifth with real-sized takes."""
    return ("folder" if seed % 2 == 0 else "dropbox"), seed % 3 == 0, seed % 5 == 4


class Trial:
    def __init__(self, seed, cli, ops, tls_dir, big_mb=(1, 20), keep=False, log=print):
        self.seed = seed
        self.rng = random.Random(seed)
        self.cli = cli
        self.ops = ops
        self.tls_dir = tls_dir
        self.big_mb = big_mb
        self.keep = keep
        self.say = log
        self.kind, self.encrypted, self.big = trial_kind(seed)
        self.log = []        # the op log
        self.seq = 0
        self.syncs = {}      # device -> [seq of every sync started]
        self.edits = []      # (seq, dev, item, field, value)
        self.removals = []   # (seq, dev, item, removed ids)
        self.takes = {}      # track id -> (sha256, seq, dev)
        self.stats = {"kills": 0, "syncs": 0, "faults": 0, "ops": 0, "take_bytes": 0}
        self.failures = []
        self.words = 0

    # --- bookkeeping -----------------------------------------------------------------

    def note(self, dev, what, result=None):
        self.seq += 1
        line = "%3d %s %s" % (self.seq, dev.name if dev else "-", what)
        if result is not None:
            line += "  -> " + result.short()
        self.log.append(line)
        return self.seq

    def name(self):
        self.words += 1
        return "zq%x-%d" % (self.seed, self.words)  # distinctive: must never show up on an encrypted remote

    # --- set-up ----------------------------------------------------------------------

    def setup(self, world):
        a = world.make_device("A", encrypt=False)
        if world.kind == "dropbox":
            world.connect_dropbox(a)
        if world.encrypted:
            r = a.run(["keys", "init", "--password-file", world.password_file])
            if r.code != 0:
                raise SetupError("keys init: " + r.err)
        cid = a.must(["collection", "add", self.name()])
        pid = a.must(["project", "add", cid, self.name()])
        mid = a.must(["mix", "add", pid, self.name()])
        self.import_take(a, mid)
        self.sync(a, None)
        for n in ("B", "C"):
            d = world.make_device(n)
            if world.encrypted:
                self.sync(d, None)  # the key ring arrives; files wait for the password
                r = world.unlock(d)
                self.note(d, "keys unlock", r)
                if r.code != 0:
                    raise SetupError("%s: keys unlock: %s" % (n, r.err))
            self.sync(d, None)

    # --- operations --------------------------------------------------------------------

    def take_size(self):
        if self.big and self.rng.random() < 0.3:
            return self.rng.randint(self.big_mb[0] << 20, self.big_mb[1] << 20)
        return self.rng.randint(4_000, 120_000)

    def import_take(self, d, mid):
        data = wav_bytes(self.rng, self.take_size())
        path = os.path.join(self.world.dir, "import-%d.wav" % self.seq)
        with open(path, "wb") as f:
            f.write(data)
        r = d.run(["track", "import", mid, path, "--name", self.name()])
        os.unlink(path)
        seq = self.note(d, "track import %s (%d bytes)" % (mid, len(data)), r)
        if r.code == 0:
            self.takes[r.out.strip()] = (hashlib.sha256(data).hexdigest(), seq, d.name)
            self.stats["take_bytes"] += len(data)
        return r

    def sync(self, d, kill_after):
        seq = self.seq + 1
        self.syncs.setdefault(d.name, []).append(seq)
        r = d.sync(kill_after)
        self.stats["syncs"] += 1
        if r.killed:
            self.stats["kills"] += 1
        self.note(d, "sync" + (" (kill after %.2f s)" % kill_after if kill_after is not None else ""), r)
        if r.code == "timeout":
            self.failures.append("%s: sync hung" % d.name)
        return r

    def edit(self, d, tree):
        kinds = [k for k in ("collection", "project", "mix", "track") if tree.live(k)]
        if not kinds:
            return
        kind = self.rng.choice(kinds)
        iid = self.rng.choice(tree.live(kind))
        fields = {"collection": ["name", "notes"], "project": ["name", "notes", "tempo"],
                  "mix": ["name", "notes", "tempo", "gain_db"], "track": ["name", "notes", "gain_db", "pan"]}[kind]
        field = self.rng.choice(fields)
        if field in ("name", "notes"):
            value = self.name()
        elif field == "tempo":
            value = self.rng.randint(20, 999)
        elif field == "pan":
            value = round(self.rng.uniform(-1, 1), 2)
        else:
            value = round(self.rng.uniform(-96, 24), 1)
        item = tree.items.get(iid)
        data = item["data"] if item is not None and isinstance(item["data"], dict) else {}
        # Writing the value the device already shows changes nothing a three-way merge can see
        # (seed 7006: the random gain repeated one an earlier edit had set): not an edit to keep.
        unchanged = field in data and checks.norm(field, data[field]) == checks.norm(field, value)
        r = d.run(["edit", iid, "%s=%s" % (field, value)])
        seq = self.note(d, "edit %s %s %s=%s%s" % (kind, iid, field, value, " (the value it had)" if unchanged else ""), r)
        if r.code == 0 and not unchanged:
            self.edits.append((seq, d.name, iid, field, value))

    def remove(self, d, tree):
        weights = {"track": 6, "mix": 2, "project": 1, "collection": 0.5}
        kinds = [k for k in weights if tree.live(k)]
        if not kinds:
            return
        kind = self.rng.choices(kinds, [weights[k] for k in kinds])[0]
        iid = self.rng.choice(tree.live(kind))
        gone = tree.descendants(iid)
        r = d.run(["rm", iid])
        seq = self.note(d, "rm %s %s" % (kind, iid), r)
        if r.code == 0:
            self.removals.append((seq, d.name, iid, set(gone)))

    def add(self, d, tree):
        r = None
        choice = self.rng.random()
        if choice < 0.15 or not tree.live("collection"):
            r = d.run(["collection", "add", self.name()])
            self.note(d, "collection add", r)
        elif choice < 0.4 or not tree.live("project"):
            r = d.run(["project", "add", self.rng.choice(tree.live("collection")), self.name()])
            self.note(d, "project add", r)
        else:
            r = d.run(["mix", "add", self.rng.choice(tree.live("project")), self.name()])
            self.note(d, "mix add", r)

    def fault(self):
        if self.world.kind != "dropbox":
            return
        if self.rng.random() < 0.3:
            self.world.clear_faults()
            self.note(None, "faults off")
            return
        kind = self.rng.choice(FAULTS)
        rule = {"kind": kind}
        if kind not in ("expire_tokens", "reset_cursors"):
            rule["route"] = self.rng.choice(ROUTES)
            rule["count"] = self.rng.randint(1, 3)
        if kind in ("drop_response", "drop_request"):
            rule["after_bytes"] = self.rng.choice([0, 10, 1000, 70000, 300000])
        elif kind == "server_error":
            rule["status"] = self.rng.choice([500, 502, 503])
        elif kind == "rate_limit":
            rule["retry_after"] = self.rng.choice([1, 2])
        self.world.faults(rule)
        self.stats["faults"] += 1
        self.note(None, "fault %s" % rule)

    def step(self):
        d = self.rng.choice(self.world.devices)
        tree = Tree(d.vault)
        op = self.rng.choices(["sync", "edit", "import", "rm", "add", "fault"], [30, 30, 12, 9, 7, 12])[0]
        self.stats["ops"] += 1
        if op == "sync":
            kill = self.rng.random() < 1 / 3
            self.sync(d, self.rng.uniform(0.0, 1.2) ** 2 + 0.01 if kill else None)
        elif op == "edit":
            self.edit(d, tree)
        elif op == "import":
            mixes = tree.live("mix")
            if mixes:
                self.import_take(d, self.rng.choice(mixes))
        elif op == "rm":
            self.remove(d, tree)
        elif op == "add":
            self.add(d, tree)
        else:
            self.fault()

    def converge(self):
        """Faults off; sync every device in turn until a whole round exits 0 and the trees agree."""
        self.world.clear_faults()
        self.note(None, "faults off; converging")
        for _ in range(8):
            codes = []
            for d in self.world.devices:
                r = self.sync(d, None)
                if r.code != 0 and "--force" in r.err:
                    r = d.sync(None, force=True)
                    self.note(d, "sync --force", r)
                codes.append(r.code)
            if all(c == 0 for c in codes) and checks.converged(self.world.devices):
                return True
        self.failures.append("no convergence after 8 rounds (last exits %s)" % codes)
        return False

    # --- the whole trial ---------------------------------------------------------------

    def run(self, base_dir):
        workdir = tempfile.mkdtemp(prefix="chaos-%d-" % self.seed, dir=base_dir)
        self.world = World(workdir, self.cli, self.kind, self.encrypted, "%d-%d" % (self.seed, os.getpid()),
                           self.tls_dir)
        start = time.monotonic()
        try:
            self.world.start_remote()
            self.setup(self.world)
            for _ in range(self.ops):
                self.step()
            if self.converge():
                self.failures += checks.check_all(self)
        except SetupError as e:
            self.failures.append("set-up failed: %s" % e)
        finally:
            self.seconds = time.monotonic() - start
            self.world.lock_all()
            self.world.stop()
            if not self.failures and not self.keep:
                shutil.rmtree(workdir, ignore_errors=True)
        self.workdir = workdir
        return not self.failures
