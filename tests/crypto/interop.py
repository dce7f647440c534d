#!/usr/bin/python3
"""An independent implementation of docs/FORMAT.md with Debian's PyNaCl and hashlib.

It decrypts key rings and files the C++ code (muze_crypto_tool) wrote, writes its own that the
C++ code must read, and recomputes search tokens. Usage: interop.py PATH/TO/muze_crypto_tool
"""
import base64
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import tempfile
import unicodedata

import nacl.bindings as nb
from nacl.exceptions import CryptoError

HEADER = 92
TAG = 16


# ---- FORMAT.md §1: key ring -------------------------------------------------------------

def wrap_ad(key_id):
    return b"muze-keyring-v1" + struct.pack("<I", key_id)


def kek_from(password, kdf):
    assert kdf["algorithm"] == "argon2id13"
    return nb.crypto_pwhash_alg(32, password, base64.b64decode(kdf["salt"]), kdf["opslimit"],
                                kdf["memlimit"], nb.crypto_pwhash_ALG_ARGON2ID13)


# FORMAT.md §1.1: the key ring MAC.

def lp(b):
    return struct.pack("<I", len(b)) + b


def ring_mac_message(ring):
    kdf = ring["kdf"]
    m = struct.pack("<I", ring["format"]) + lp(ring["kind"].encode("utf-8")) + lp(ring["id"].encode("utf-8"))
    m += lp(kdf["algorithm"].encode("utf-8")) + struct.pack("<QQ", kdf["opslimit"], kdf["memlimit"])
    m += lp(base64.b64decode(kdf["salt"]))
    m += struct.pack("<II", ring["active_key_id"], len(ring["keys"]))
    for k in ring["keys"]:
        m += struct.pack("<I", k["id"]) + lp(k["algorithm"].encode("utf-8"))
        m += lp(base64.b64decode(k["nonce"])) + lp(base64.b64decode(k["wrapped_key"]))
    return m


def ring_mac(ring, kek):
    mac_key = hashlib.blake2b(b"", digest_size=32, key=kek, person=b"muze.ring.key.v1").digest()
    return hashlib.blake2b(ring_mac_message(ring), digest_size=32, key=mac_key, person=b"muze.ring.mac.v1").digest()


def seal_keyring(ring, kek):
    ring["mac"] = base64.b64encode(ring_mac(ring, kek)).decode()


class KeyRingError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def unlock_keyring(ring, password):
    assert ring["format"] == 1 and ring["kind"] == "muze.keyring"
    if "mac" not in ring or len(base64.b64decode(ring["mac"])) != 32:
        raise KeyRingError("corrupt_keyring")
    kek = kek_from(password, ring["kdf"])
    authentic = hmac.compare_digest(ring_mac(ring, kek), base64.b64decode(ring["mac"]))
    masters = {}
    for k in ring["keys"]:
        assert k["algorithm"] == "xchacha20poly1305-ietf"
        try:
            masters[k["id"]] = nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
                base64.b64decode(k["wrapped_key"]), wrap_ad(k["id"]), base64.b64decode(k["nonce"]), kek)
        except CryptoError:
            pass  # stale (FORMAT.md §6), or the wrong password
    if not masters:
        raise KeyRingError("wrong_password")
    if not authentic:
        raise KeyRingError("tampered_keyring")
    return masters, ring["active_key_id"]


def make_keyring(password, opslimit, memlimit):
    salt = os.urandom(16)
    kdf = {"algorithm": "argon2id13", "opslimit": opslimit, "memlimit": memlimit,
           "salt": base64.b64encode(salt).decode()}
    kek = kek_from(password, kdf)
    key_id = struct.unpack("<I", os.urandom(4))[0] | 1
    master = os.urandom(32)
    nonce = os.urandom(24)
    wrapped = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(master, wrap_ad(key_id), nonce, kek)
    now = "2026-01-01T00:00:00.000Z"
    ring = {"format": 1, "kind": "muze.keyring", "id": "pythonring0001", "created_at": now,
            "modified_at": now, "kdf": kdf, "active_key_id": key_id,
            "keys": [{"id": key_id, "created_at": now, "algorithm": "xchacha20poly1305-ietf",
                      "nonce": base64.b64encode(nonce).decode(),
                      "wrapped_key": base64.b64encode(wrapped).decode()}]}
    seal_keyring(ring, kek)
    return ring, {key_id: master}, key_id


def rotate_keyring(ring, password, masters):
    """FORMAT.md §1 "Rotate": a new active key wrapped with the same KEK; the ring is re-sealed."""
    kek = kek_from(password, ring["kdf"])
    key_id = struct.unpack("<I", os.urandom(4))[0] | 1
    master, nonce = os.urandom(32), os.urandom(24)
    wrapped = nb.crypto_aead_xchacha20poly1305_ietf_encrypt(master, wrap_ad(key_id), nonce, kek)
    ring["keys"].append({"id": key_id, "created_at": "2026-01-02T00:00:00.000Z",
                         "algorithm": "xchacha20poly1305-ietf", "nonce": base64.b64encode(nonce).decode(),
                         "wrapped_key": base64.b64encode(wrapped).decode()})
    ring["active_key_id"] = key_id
    seal_keyring(ring, kek)
    masters[key_id] = master
    return key_id


# ---- FORMAT.md §2: derived keys ---------------------------------------------------------

def kdf_derive(master, context, subkey_id=1):
    return hashlib.blake2b(b"", digest_size=32, key=master, salt=struct.pack("<Q", subkey_id) + bytes(8),
                           person=context + bytes(8)).digest()


def data_key(master):
    return kdf_derive(master, b"MuzeData")


def search_key(master):
    return kdf_derive(master, b"MuzeSrch")


# ---- FORMAT.md §3: blobs ----------------------------------------------------------------

def b2(n, key, msg, person):
    assert len(person) == 16
    return hashlib.blake2b(msg, digest_size=n, key=key, person=person).digest()


def path_bytes(path):
    return unicodedata.normalize("NFC", path).encode("utf-8")


def chunk_nonce(i, last):
    return struct.pack("<Q", i) + bytes([1 if last else 0]) + bytes(15)


def chunk_count(size, chunk):
    return 1 if size == 0 else (size + chunk - 1) // chunk


class BlobError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


def decrypt_blob(blob, path, masters):
    if len(blob) < HEADER:
        raise BlobError("truncated" if b"MUZE-ENC".startswith(blob[:8]) else "bad_header")
    if blob[:8] != b"MUZE-ENC":
        raise BlobError("bad_header")
    version, cipher, flags, key_id, chunk, size = struct.unpack_from("<BBHIIQ", blob, 8)
    if version != 1 or cipher != 1:
        raise BlobError("unsupported_version")
    if flags != 0 or key_id == 0 or not 64 <= chunk <= 16 << 20 or size > 1 << 62:
        raise BlobError("bad_header")
    if key_id not in masters:
        raise BlobError("unknown_key")
    header = blob[:HEADER]
    nonce, tag, mac = header[28:60], header[60:76], header[76:92]
    dk = data_key(masters[key_id])
    file_key = b2(32, dk, nonce, b"muze.file.key.v1")
    auth_key = b2(32, dk, nonce, b"muze.auth.key.v1")
    if not hmac.compare_digest(b2(16, auth_key, header[:76], b"muze.head.tag.v1"), mac):
        raise BlobError("wrong_key")
    if not hmac.compare_digest(b2(16, auth_key, path_bytes(path), b"muze.path.tag.v1"), tag):
        raise BlobError("wrong_path")
    n = chunk_count(size, chunk)
    expected = HEADER + size + TAG * n
    if len(blob) != expected:
        raise BlobError("truncated" if len(blob) < expected else "trailing_data")
    ad = header + path_bytes(path)
    out = bytearray()
    for i in range(n):
        plain_len = chunk if i < n - 1 else size - (n - 1) * chunk
        off = HEADER + i * (chunk + TAG)
        try:
            out += nb.crypto_aead_xchacha20poly1305_ietf_decrypt(
                blob[off:off + plain_len + TAG], ad, chunk_nonce(i, i == n - 1), file_key)
        except CryptoError:
            raise BlobError("chunk_corrupt")
    return bytes(out)


def encrypt_blob(plain, path, key_id, master, chunk=65536):
    size = len(plain)
    nonce = os.urandom(32)
    dk = data_key(master)
    file_key = b2(32, dk, nonce, b"muze.file.key.v1")
    auth_key = b2(32, dk, nonce, b"muze.auth.key.v1")
    head = b"MUZE-ENC" + struct.pack("<BBHIIQ", 1, 1, 0, key_id, chunk, size) + nonce
    head += b2(16, auth_key, path_bytes(path), b"muze.path.tag.v1")
    head += b2(16, auth_key, head, b"muze.head.tag.v1")
    assert len(head) == HEADER
    ad = head + path_bytes(path)
    n = chunk_count(size, chunk)
    out = bytearray(head)
    for i in range(n):
        out += nb.crypto_aead_xchacha20poly1305_ietf_encrypt(
            plain[i * chunk:(i + 1) * chunk], ad, chunk_nonce(i, i == n - 1), file_key)
    assert len(out) == HEADER + size + TAG * n
    return bytes(out)


# ---- FORMAT.md §4: search tokens --------------------------------------------------------

def words(text):
    text = unicodedata.normalize("NFC", text)
    out, cur = [], []
    for ch in text:
        if unicodedata.category(ch)[0] in "LNM":
            cur.append(ch)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return [unicodedata.normalize("NFC", w.lower()) for w in out]


def token(skey, word):
    mac = hmac.new(skey, word.encode("utf-8"), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


# ---- the test ---------------------------------------------------------------------------

def main():
    tool = sys.argv[1]
    failures = []

    def check(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            failures.append(what)

    def run(*args, expect_ok=True):
        p = subprocess.run([tool, *args], capture_output=True, text=True)
        if expect_ok and p.returncode != 0:
            raise SystemExit("muze_crypto_tool %s failed: %s" % (args[0], p.stderr))
        return p

    with tempfile.TemporaryDirectory(prefix="muze-interop-") as d:
        pw_file = os.path.join(d, "password")
        password = "pässwörd with spaces"
        with open(pw_file, "w", encoding="utf-8") as f:
            f.write(password + "\n")  # one trailing newline is stripped
        pw = password.encode("utf-8")

        # 1. C++ key ring and blobs -> Python.
        ring_path = os.path.join(d, "keyring.json")
        run("keyring-create", "--password-file", pw_file, "--out", ring_path, "--kdf", "minimum")
        with open(ring_path, encoding="utf-8") as f:
            ring = json.load(f)
        masters, active = unlock_keyring(ring, pw)
        check(len(masters) == 1 and active in masters, "Python unlocks the C++ key ring")
        try:
            unlock_keyring(ring, b"wrong")
            check(False, "a wrong password fails in Python too")
        except KeyRingError as e:
            check(e.code == "wrong_password", "a wrong password fails in Python too")
        check(hmac.compare_digest(ring_mac(ring, kek_from(pw, ring["kdf"])), base64.b64decode(ring["mac"])),
              "Python recomputes the C++ key ring MAC from FORMAT.md")

        # 1b. The MAC: a rotated C++ ring whose active_key_id is set back to the older key.
        rotated_path = os.path.join(d, "rotated.json")
        run("keyring-create", "--password-file", pw_file, "--out", rotated_path, "--kdf", "minimum")
        run("keyring-rotate", "--keyring", rotated_path, "--password-file", pw_file)
        with open(rotated_path, encoding="utf-8") as f:
            rotated = json.load(f)
        r_masters, r_active = unlock_keyring(rotated, pw)
        check(len(rotated["keys"]) == 2 and r_active == rotated["keys"][1]["id"] and len(r_masters) == 2,
              "Python unlocks a rotated C++ key ring")
        rolled = json.loads(json.dumps(rotated))
        rolled["active_key_id"] = rotated["keys"][0]["id"]
        for name, edit in [("active_key_id", rolled),
                           ("a dropped key", dict(rotated, keys=rotated["keys"][:1],
                                                  active_key_id=rotated["keys"][0]["id"])),
                           ("ring id", dict(rotated, id="0000000000000000")),
                           ("the key order", dict(rotated, keys=rotated["keys"][::-1]))]:
            try:
                unlock_keyring(edit, pw)
                check(False, "Python detects a tampered " + name)
            except KeyRingError as e:
                check(e.code == "tampered_keyring", "Python detects a tampered %s (got %s)" % (name, e.code))
        # Edited KDF parameters give another KEK, so nothing unwraps: to a password that is
        # indistinguishable from a wrong one (a device's kept KEK sees tampered_keyring instead).
        try:
            unlock_keyring(dict(rotated, kdf=dict(rotated["kdf"], opslimit=2)), pw)
            check(False, "an edited kdf.opslimit does not unlock")
        except KeyRingError as e:
            check(e.code == "wrong_password", "an edited kdf.opslimit does not unlock (got %s)" % e.code)
        rolled_path = os.path.join(d, "rolled.json")
        with open(rolled_path, "w", encoding="utf-8") as f:
            json.dump(rolled, f)
        p = run("encrypt", "--keyring", rolled_path, "--password-file", pw_file, "--path", "x.json",
                ring_path, os.path.join(d, "never2.out"), expect_ok=False)
        check(p.returncode == 1 and "tampered_keyring" in p.stderr, "C++ refuses a key ring with an edited active_key_id")
        nomac = dict(rotated)
        del nomac["mac"]
        with open(rolled_path, "w", encoding="utf-8") as f:
            json.dump(nomac, f)
        p = run("encrypt", "--keyring", rolled_path, "--password-file", pw_file, "--path", "x.json",
                ring_path, os.path.join(d, "never2.out"), expect_ok=False)
        check(p.returncode == 1 and "corrupt_keyring" in p.stderr, "C++ refuses a key ring without a MAC")

        rel = "collections/c1/projects/p1/audio/caf\u00e9.wav"
        for size, chunk in [(0, 65536), (1, 65536), (65536, 65536), (200001, 65536), (5000, 64), (4096, 1024)]:
            plain = os.urandom(size)
            src, dst = os.path.join(d, "plain.bin"), os.path.join(d, "blob.bin")
            with open(src, "wb") as f:
                f.write(plain)
            run("encrypt", "--keyring", ring_path, "--password-file", pw_file, "--path", rel,
                "--chunk", str(chunk), src, dst)
            with open(dst, "rb") as f:
                blob = f.read()
            check(len(blob) == HEADER + size + TAG * chunk_count(size, chunk),
                  "blob size formula holds (size %d, chunk %d)" % (size, chunk))
            check(decrypt_blob(blob, rel, masters) == plain,
                  "Python decrypts a C++ blob (size %d, chunk %d)" % (size, chunk))
            # Decomposed path names the same file (NFC).
            check(decrypt_blob(blob, unicodedata.normalize("NFD", rel), masters) == plain,
                  "paths compare in NFC (size %d)" % size)

        for mutate, code in [(lambda b: b[:-1], "truncated"), (lambda b: b + b"x", "trailing_data"),
                             (lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], "chunk_corrupt"),
                             (lambda b: b[:40] + bytes([b[40] ^ 1]) + b[41:], "wrong_key")]:
            try:
                decrypt_blob(mutate(blob), rel, masters)
                check(False, "Python detects " + code)
            except BlobError as e:
                check(e.code == code, "Python detects %s (got %s)" % (code, e.code))
        try:
            decrypt_blob(blob, "collections/other.wav", masters)
            check(False, "Python detects wrong_path")
        except BlobError as e:
            check(e.code == "wrong_path", "Python detects wrong_path")

        # 2. Python blobs -> C++.
        for size, chunk in [(0, 65536), (1, 65536), (131072, 65536), (70000, 65536), (999, 100)]:
            plain = os.urandom(size)
            blob_path, out_path = os.path.join(d, "py.blob"), os.path.join(d, "py.out")
            with open(blob_path, "wb") as f:
                f.write(encrypt_blob(plain, rel, active, masters[active], chunk))
            run("decrypt", "--keyring", ring_path, "--password-file", pw_file, "--path", rel, blob_path, out_path)
            with open(out_path, "rb") as f:
                check(f.read() == plain, "C++ decrypts a Python blob (size %d, chunk %d)" % (size, chunk))
        p = run("decrypt", "--keyring", ring_path, "--password-file", pw_file, "--path", "elsewhere.wav",
                blob_path, os.path.join(d, "never.out"), expect_ok=False)
        check(p.returncode == 1 and "wrong_path" in p.stderr and not os.path.exists(os.path.join(d, "never.out")),
              "C++ refuses a Python blob under another path and writes nothing")

        # 3. A Python key ring -> C++ unlocks it, encrypts, Python decrypts.
        py_ring, py_masters, py_active = make_keyring(pw, 1, 8192)
        py_ring_path = os.path.join(d, "py-keyring.json")
        with open(py_ring_path, "w", encoding="utf-8") as f:
            json.dump(py_ring, f)
        plain = os.urandom(100000)
        with open(os.path.join(d, "plain2.bin"), "wb") as f:
            f.write(plain)
        run("encrypt", "--keyring", py_ring_path, "--password-file", pw_file, "--path", "vault.json",
            os.path.join(d, "plain2.bin"), os.path.join(d, "blob2.bin"))
        with open(os.path.join(d, "blob2.bin"), "rb") as f:
            check(decrypt_blob(f.read(), "vault.json", py_masters) == plain,
                  "C++ unlocks a Python key ring; Python decrypts what it wrote")
        # A ring Python rotated (and sealed): C++ encrypts with the new active key.
        py_new = rotate_keyring(py_ring, pw, py_masters)
        with open(py_ring_path, "w", encoding="utf-8") as f:
            json.dump(py_ring, f)
        run("encrypt", "--keyring", py_ring_path, "--password-file", pw_file, "--path", "vault.json",
            os.path.join(d, "plain2.bin"), os.path.join(d, "blob3.bin"))
        with open(os.path.join(d, "blob3.bin"), "rb") as f:
            blob3 = f.read()
        check(struct.unpack_from("<I", blob3, 12)[0] == py_new and decrypt_blob(blob3, "vault.json", py_masters) == plain,
              "C++ unlocks a Python-rotated key ring and encrypts with its new active key")
        # Python sets the active key back without the password: C++ refuses the ring.
        py_ring["active_key_id"] = py_active
        with open(py_ring_path, "w", encoding="utf-8") as f:
            json.dump(py_ring, f)
        p = run("encrypt", "--keyring", py_ring_path, "--password-file", pw_file, "--path", "vault.json",
                os.path.join(d, "plain2.bin"), os.path.join(d, "blob4.bin"), expect_ok=False)
        check(p.returncode == 1 and "tampered_keyring" in p.stderr and not os.path.exists(os.path.join(d, "blob4.bin")),
              "C++ refuses a Python key ring whose active_key_id was edited")

        # 4. Search tokens.
        text = ["Bass", "CAFE\u0301", "Stra\u00dfe", "take2", "\u00c9t\u00e9"]
        p = run("token", "--keyring", ring_path, "--password-file", pw_file, *text)
        cpp_tokens = p.stdout.split()
        skey = search_key(masters[active])
        py_tokens = [token(skey, words(w)[0]) for w in text]
        check(cpp_tokens == py_tokens, "search tokens match (%s)" % " ".join(py_tokens))
        check(words("Bass-Take #2: DRUMS") == ["bass", "take", "2", "drums"], "word splitting matches FORMAT.md")

    if failures:
        print("%d interop check(s) failed" % len(failures))
        return 1
    print("interop: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
