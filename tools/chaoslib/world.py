"""The three devices of one trial and the remote they share (a folder or the Dropbox emulator).

Every device is a real `muze-cli` with its own config folder, vault folder and keychain service
(as three machines have three keychains); nothing here reaches into Muze's files except to read
them for the checks.
"""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "emulator"))

from emulator_fixture import Emulator  # noqa: E402

PASSWORD = "chaos correct horse battery staple\n"
SYNC_TIMEOUT = 180  # s: a sync that takes longer is reported as a hang


class CliResult:
    def __init__(self, code, out, err, killed=False, seconds=0.0):
        self.code, self.out, self.err, self.killed, self.seconds = code, out, err, killed, seconds

    def short(self):
        tail = (self.err or "").strip().splitlines()
        return "exit %s%s %.2fs%s" % (self.code, " (SIGKILL)" if self.killed else "", self.seconds,
                                (": " + tail[-1][:160]) if tail and self.code else "")


class Device:
    def __init__(self, world, name):
        self.world = world
        self.name = name
        self.config = os.path.join(world.dir, name + "-config")
        self.vault = os.path.join(world.dir, name + "-vault")
        self.env = dict(os.environ)
        self.env.update(world.env)
        self.env["MUZE_SYNC_SETTLE_MS"] = "0"
        self.env["MUZE_KEYCHAIN_SERVICE"] = "muze-chaos-%s-%s" % (world.tag, name)

    def argv(self, args):
        return [self.world.cli, "--config-dir", self.config] + list(args)

    def run(self, args, timeout=120, stdin=None):
        start = time.monotonic()
        try:
            p = subprocess.run(self.argv(args), env=self.env, capture_output=True, timeout=timeout,
                               input=stdin)
        except subprocess.TimeoutExpired as e:
            return CliResult("timeout", (e.stdout or b"").decode("utf-8", "replace"),
                             (e.stderr or b"").decode("utf-8", "replace") + "\n(no answer in %d s)" % timeout,
                             seconds=time.monotonic() - start)
        return CliResult(p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"),
                         seconds=time.monotonic() - start)

    def sync(self, kill_after=None, force=False):
        """Runs `muze-cli sync`; with kill_after (s), SIGKILLs it then if it is still running."""
        args = ["sync"] + (["--force"] if force else [])
        start = time.monotonic()
        p = subprocess.Popen(self.argv(args), env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        killed = False
        try:
            out, err = p.communicate(timeout=kill_after if kill_after is not None else SYNC_TIMEOUT)
        except subprocess.TimeoutExpired:
            if kill_after is not None:
                p.send_signal(signal.SIGKILL)
                killed = True
                out, err = p.communicate()
            else:
                p.kill()
                out, err = p.communicate()
                return CliResult("timeout", out.decode("utf-8", "replace"),
                                 err.decode("utf-8", "replace") + "\n(sync hung for %d s)" % SYNC_TIMEOUT,
                                 seconds=time.monotonic() - start)
        return CliResult(p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), killed,
                         time.monotonic() - start)

    def must(self, args, what=None):
        r = self.run(args)
        if r.code != 0:
            raise SetupError("%s: muze-cli %s: %s" % (self.name, what or " ".join(args), r.err.strip()))
        return r.out.strip()


class SetupError(RuntimeError):
    pass


class World:
    """One trial's remote and devices. kind: "folder" or "dropbox"."""

    def __init__(self, workdir, cli, kind, encrypted, tag, tls_dir, dropbox_env=None):
        self.dir = workdir
        self.cli = cli
        self.kind = kind
        self.encrypted = encrypted
        self.tag = tag
        self.env = dict(dropbox_env or {})
        self.remote_dir = os.path.join(workdir, "remote")
        self.emu = None
        self.tls_dir = tls_dir
        self.password_file = os.path.join(workdir, "password")
        with open(self.password_file, "w") as f:
            f.write(PASSWORD)
        self.devices = []

    # --- the remote -------------------------------------------------------------------

    def start_remote(self):
        if self.kind != "dropbox":
            return
        self.emu = Emulator(data_dir=os.path.join(self.dir, "dropbox-data"), tls=True, tls_dir=self.tls_dir,
                            auto_approve=True, longpoll_min=1, longpoll_jitter=0.2, token_ttl=120,
                            log_path=os.path.join(self.dir, "emulator.log"))
        self.emu.start()
        self.env.update(self.emu.muze_env())
        self.env["MUZE_DROPBOX_APP_KEY"] = "muze-chaos-" + self.tag  # its own token item in the keychain
        self.env["MUZE_DROPBOX_BACKOFF_MS"] = "50"

    def stop(self):
        if self.emu:
            self.emu.cleanup()
            self.emu = None

    def connect_dropbox(self, device):
        """`muze-cli dropbox connect` through the real loopback sign-in (the emulator approves at once)."""
        p = subprocess.Popen(device.argv(["dropbox", "connect", "--no-browser", "--port", "0", "--timeout", "60"]),
                             env=device.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        url = None
        deadline = time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            if line.startswith("  http"):
                url = line.strip()
        if url is None:
            p.kill()
            raise SetupError("dropbox connect printed no address: " + p.communicate()[1])
        redirect = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)["redirect_uri"][0]
        self.emu.allow_redirect_uris([redirect])
        ctx = self.emu._ctx
        with urllib.request.urlopen(url, context=ctx, timeout=30) as resp:
            resp.read()
        out, err = p.communicate(timeout=60)
        if p.returncode != 0:
            raise SetupError("dropbox connect: exit %s: %s" % (p.returncode, err.strip()))

    def faults(self, rules):
        if self.emu:
            self.emu.add_faults(rules)

    def clear_faults(self):
        if self.emu:
            self.emu.clear_faults()

    # --- devices --------------------------------------------------------------------

    def make_device(self, name, encrypt=False):
        d = Device(self, name)
        args = ["vault", "create", "Band", "--path", d.vault]
        if self.kind == "dropbox":
            args += ["--provider", "dropbox", "--dropbox-folder", "/Apps/Muze/Chaos"]
        else:
            args += ["--provider", "local", "--remote", self.remote_dir]
        if encrypt:
            args += ["--encrypt", "--password-file", self.password_file]
        d.must(args, "vault create")
        with open(os.path.join(d.config, "device.json"), "w") as f:
            f.write('{"id":"%s0000dev","name":"%s"}' % (name.lower(), name))
        self.devices.append(d)
        return d

    def unlock(self, d):
        return d.run(["keys", "unlock", "--password-file", self.password_file])

    def lock_all(self):
        for d in self.devices:
            if self.encrypted:
                d.run(["keys", "lock"])
        if self.kind == "dropbox" and self.devices:
            self.devices[0].run(["dropbox", "disconnect"])


def wav_bytes(rng, size):
    """A 16-bit mono 8 kHz WAV of about `size` bytes of seeded noise: every take unique."""
    frames = max(800, (size - 44) // 2)
    data = rng.randbytes(frames * 2)
    rate = 8000
    hdr = b"RIFF" + (36 + len(data)).to_bytes(4, "little") + b"WAVEfmt " + (16).to_bytes(4, "little")
    hdr += (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little")
    hdr += (rate * 2).to_bytes(4, "little") + (2).to_bytes(2, "little") + (16).to_bytes(2, "little")
    hdr += b"data" + len(data).to_bytes(4, "little")
    return hdr + data


SAFE = re.compile(r"^[A-Za-z0-9_-]+$")
