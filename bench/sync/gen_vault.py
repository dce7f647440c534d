#!/usr/bin/env python3
"""Generates a Muze vault for the sync bench: N JSON model files in the real layout
(collections/<id>/projects/<id>/mixes/<id>.json ...) and W WAV takes of S MiB each.
Usage: gen_vault.py DIR [--json 10000] [--wavs 40] [--wav-mib 50] [--seed 1]"""
import argparse, json, os, random, struct

def wav_header(data_bytes, rate=48000, channels=2, bits=24):
    block = channels * bits // 8
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVEfmt " +
            struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits) +
            b"data" + struct.pack("<I", data_bytes))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--json", type=int, default=10000)
    ap.add_argument("--wavs", type=int, default=40)
    ap.add_argument("--wav-mib", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    hexid = lambda: "%016x" % rnd.getrandbits(64)
    ts = "2024-05-01T12:00:00.000Z"
    os.makedirs(a.dir, exist_ok=True)
    vid = hexid()
    with open(os.path.join(a.dir, "vault.json"), "w") as f:
        json.dump({"format": 1, "id": vid, "name": "Bench", "created_at": ts, "modified_at": ts}, f, indent=2)
    written, projects = 1, []
    # 20 collections x 25 projects; each project: project.json + mixes.
    while written < a.json:
        cid = hexid()
        cdir = os.path.join(a.dir, "collections", cid)
        os.makedirs(cdir, exist_ok=True)
        with open(os.path.join(cdir, "collection.json"), "w") as f:
            json.dump({"format": 1, "id": cid, "name": "Collection %d" % written, "created_at": ts, "modified_at": ts}, f, indent=2)
        written += 1
        for _ in range(25):
            if written >= a.json:
                break
            pid = hexid()
            pdir = os.path.join(cdir, "projects", pid)
            os.makedirs(os.path.join(pdir, "mixes"), exist_ok=True)
            with open(os.path.join(pdir, "project.json"), "w") as f:
                json.dump({"format": 1, "id": pid, "name": "Project %d" % written, "tempo": 120, "key": "Am",
                           "tags": ["demo", "bench"], "created_at": ts, "modified_at": ts}, f, indent=2)
            written += 1
            projects.append(pdir)
            for _ in range(rnd.randint(10, 30)):
                if written >= a.json:
                    break
                mid = hexid()
                tracks = [{"id": hexid(), "name": "Take %d" % t, "gain_db": -3.0, "pan": 0.0, "muted": False,
                           "solo": False, "sample_rate": 48000, "channels": 2, "frames": 480000,
                           "created_at": ts, "modified_at": ts} for t in range(rnd.randint(2, 8))]
                with open(os.path.join(pdir, "mixes", mid + ".json"), "w") as f:
                    json.dump({"format": 1, "id": mid, "name": "Mix %d" % written, "tempo": 120, "gain_db": 0,
                               "notes": "x" * rnd.randint(0, 400), "created_at": ts, "modified_at": ts,
                               "tracks": tracks}, f, indent=2)
                written += 1
    size = a.wav_mib * 1024 * 1024
    for i in range(a.wavs):
        pdir = projects[i % len(projects)]
        os.makedirs(os.path.join(pdir, "audio"), exist_ok=True)
        with open(os.path.join(pdir, "audio", hexid() + ".wav"), "wb") as f:
            f.write(wav_header(size - 44))
            left = size - 44
            while left:
                n = min(left, 4 << 20)
                f.write(os.urandom(n))
                left -= n
    print("vault %s: %d JSON files, %d WAV files of %d MiB" % (a.dir, written, a.wavs, a.wav_mib))

if __name__ == "__main__":
    main()
