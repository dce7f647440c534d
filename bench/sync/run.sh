#!/usr/bin/env bash
# Sync bench (issue 4): initial sync and no-op resync of a generated vault (10,000 JSON files,
# 40 WAV files of 50 MB) with muze-cli, unison and rclone bisync on the same trees in the same
# run; peak memory of muze-cli syncing a 4 GiB file; content-hash throughput against sha256sum.
#
#   bench/sync/run.sh                      # full size
#   BENCH_JSON=2000 BENCH_WAVS=8 BENCH_BIG_GIB=1 bench/sync/run.sh   # smaller
#
# Environment: MUZE_BUILD_DIR (default ./build) or MUZE_CLI; BENCH_DIR (scratch, default a new
# /tmp dir, removed at the end unless BENCH_KEEP=1). Needs unison, rclone and GNU time
# (/usr/bin/time, Debian package "time") on PATH.
# All three tools see warm page caches (the tree was just written): the figures compare the
# tools' own work, not the disk.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cli=${MUZE_CLI:-${MUZE_BUILD_DIR:-$root/build}/src/cli/muze-cli}
json=${BENCH_JSON:-10000}
wavs=${BENCH_WAVS:-40}
wav_mib=${BENCH_WAV_MIB:-50}
big_gib=${BENCH_BIG_GIB:-4}
work=${BENCH_DIR:-$(mktemp -d /tmp/muze-bench.XXXXXX)}
mkdir -p "$work"

for tool in "$cli" unison rclone /usr/bin/time python3 sha256sum; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done
cleanup() { [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT

results="$work/results.csv"
echo "step,seconds,peak_rss_kib" >"$results"
measure() { # measure LABEL COMMAND... : wall time and peak RSS of one command
  local label=$1; shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/last.log" 2>&1; then
    echo "bench: \"$label\" failed:" >&2; tail -5 "$work/last.log" >&2; exit 1
  fi
  local secs kib
  read -r secs kib <"$work/time.txt"
  printf '  %-46s %8.2f s %8d MiB peak RSS\n' "$label" "$secs" $((kib / 1024))
  echo "$label,$secs,$kib" >>"$results"
}

echo "== generating: $json JSON files, $wavs WAV files of $wav_mib MiB in $work"
python3 "$here/gen_vault.py" "$work/src" --json "$json" --wavs "$wavs" --wav-mib "$wav_mib" >/dev/null
du -sh "$work/src" | sed 's/^/  /'
sleep 3 # older than the 2 s settle window, as a real vault would be

echo "== muze-cli (folder remote)"
cp -al "$work/src" "$work/muze-a"
muze() { "$cli" --config-dir "$work/cfg-$1" "${@:2}"; }
muze a vault create Bench --provider local --path "$work/muze-a" --remote "$work/muze-remote" >/dev/null
muze b vault create Bench --provider local --path "$work/muze-b" --remote "$work/muze-remote" >/dev/null
measure "muze initial sync (upload, device A)" "$cli" --config-dir "$work/cfg-a" sync
measure "muze no-op resync (device A)" "$cli" --config-dir "$work/cfg-a" sync
measure "muze initial sync (download, device B)" "$cli" --config-dir "$work/cfg-b" sync
measure "muze no-op resync (device B)" "$cli" --config-dir "$work/cfg-b" sync

echo "== unison $(unison -version | awk '{print $3}')"
cp -al "$work/src" "$work/unison-a"
mkdir -p "$work/unison-remote" "$work/unison-home"
export UNISON="$work/unison-home"
measure "unison initial sync" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent
measure "unison no-op resync" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent

echo "== rclone bisync $(rclone version | awk 'NR==1{print $2}')"
cp -al "$work/src" "$work/rclone-a"
mkdir -p "$work/rclone-remote" "$work/rclone-work"
export RCLONE_CONFIG="$work/rclone.conf"
touch "$RCLONE_CONFIG"
measure "rclone bisync initial (--resync)" rclone bisync "$work/rclone-a" "$work/rclone-remote" --resync --workdir "$work/rclone-work"
measure "rclone bisync no-op" rclone bisync "$work/rclone-a" "$work/rclone-remote" --workdir "$work/rclone-work"
measure "rclone bisync no-op --checksum" rclone bisync "$work/rclone-a" "$work/rclone-remote" --checksum --workdir "$work/rclone-work"

rm -rf "$work/src" "$work/muze-a" "$work/muze-b" "$work/muze-remote" "$work/unison-a" "$work/unison-remote" \
  "$work/rclone-a" "$work/rclone-remote"

echo "== one ${big_gib} GiB take"
mkdir -p "$work/big-a/audio"
head -c "${big_gib}G" /dev/urandom >"$work/big-a/audio/big.wav"
sleep 3
measure "sha256sum (plain SHA-256, 1 core)" sha256sum "$work/big-a/audio/big.wav"
measure "muze-cli hash (content hash, all cores)" "$cli" --config-dir "$work/cfg-h" hash "$work/big-a/audio/big.wav"
muze c vault create Big --provider local --path "$work/big-a" --remote "$work/big-remote" >/dev/null
muze d vault create Big --provider local --path "$work/big-b" --remote "$work/big-remote" >/dev/null
measure "muze sync ${big_gib} GiB file (upload)" "$cli" --config-dir "$work/cfg-c" sync
measure "muze sync ${big_gib} GiB file (download)" "$cli" --config-dir "$work/cfg-d" sync
cmp "$work/big-a/audio/big.wav" "$work/big-b/audio/big.wav"

echo "== results: $results"
[[ "${BENCH_KEEP:-0}" == 1 ]] && echo "(kept $work)"
cp "$results" "${BENCH_RESULTS:-/dev/null}" 2>/dev/null || true
