#!/usr/bin/env bash
# Sync rows for bench/run.sh: one generated vault synced by muze-cli (folder remote) and by
# unison and rclone bisync in the same run, from the same files (hard-linked copies, warm page
# cache). Sizes by MUZE_BENCH_SCALE: small = 2,000 JSON + 8 × 10 MiB; full = the issue's
# 10,000 JSON + 40 × 50 MiB. (bench/sync/run.sh is the longer stand-alone bench with the 4 GiB take.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
cli=${MUZE_CLI:?set MUZE_CLI}
if [[ ${MUZE_BENCH_SCALE:-small} == full ]]; then json=10000 wavs=40 mib=50; else json=2000 wavs=8 mib=10; fi
json=${BENCH_JSON:-$json} wavs=${BENCH_WAVS:-$wavs} mib=${BENCH_WAV_MIB:-$mib}
work=$(mktemp -d "${TMPDIR:-/tmp}/muze-bench-sync.XXXXXX")
trap 'rm -rf "$work"' EXIT
label="$json JSON + $wavs × $mib MiB"

python3 "$here/gen_vault.py" "$work/src" --json "$json" --wavs "$wavs" --wav-mib "$mib" >/dev/null
sleep 3 # older than the 2 s settle window, as a real vault would be
cp -al "$work/src" "$work/muze-a"
muze() { "$cli" --config-dir "$work/cfg-$1" "${@:2}"; }
muze a vault create Bench --provider local --path "$work/muze-a" --remote "$work/muze-remote" >/dev/null
muze b vault create Bench --provider local --path "$work/muze-b" --remote "$work/muze-remote" >/dev/null
time_of "muze initial sync (upload)" "$cli" --config-dir "$work/cfg-a" sync; up=$SECS up_kib=$KIB
time_of "muze no-op resync" "$cli" --config-dir "$work/cfg-a" sync; noop=$SECS
time_of "muze initial sync (2nd device, download)" "$cli" --config-dir "$work/cfg-b" sync; down=$SECS
diff -r --exclude=.muze-state --exclude=.muze "$work/muze-a" "$work/muze-b" >/dev/null || { echo "device B differs from A" >&2; exit 1; }
rm -rf "$work/muze-a" "$work/muze-b" "$work/muze-remote"

u_init="" u_noop="" u_kib=""
if have unison; then
  cp -al "$work/src" "$work/unison-a"
  mkdir -p "$work/unison-remote" "$work/unison-home"
  export UNISON="$work/unison-home"
  time_of "unison initial sync" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent
  u_init=$SECS u_kib=$KIB
  time_of "unison no-op resync" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent
  u_noop=$SECS
  rm -rf "$work/unison-a" "$work/unison-remote"
fi
r_init="" r_noop=""
if have rclone; then
  cp -al "$work/src" "$work/rclone-a"
  mkdir -p "$work/rclone-remote" "$work/rclone-work"
  export RCLONE_CONFIG="$work/rclone.conf"; touch "$RCLONE_CONFIG"
  time_of "rclone bisync --resync" rclone bisync "$work/rclone-a" "$work/rclone-remote" --resync --workdir "$work/rclone-work"
  r_init=$SECS
  time_of "rclone bisync no-op" rclone bisync "$work/rclone-a" "$work/rclone-remote" --workdir "$work/rclone-work"
  r_noop=$SECS
fi
bench_row "sync: initial upload, $label" s "$up" unison "$u_init" "<=1.0"
bench_row "sync: 2nd device download, $label" s "$down" "unison (initial)" "$u_init" "<=1.0"
bench_row "sync: no-op resync, $label" s "$noop" unison "$u_noop" "<=1.0"
bench_row "sync: peak RSS, initial upload" MiB "$((up_kib / 1024))" unison "${u_kib:+$((u_kib / 1024))}" ""
bench_row "sync: initial upload vs rclone bisync" s "$up" "rclone bisync" "$r_init" "<=1.0"
bench_row "sync: no-op resync vs rclone bisync" s "$noop" "rclone bisync" "$r_noop" "<=1.0"
