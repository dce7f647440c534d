#!/usr/bin/env bash
# Scaling rows for bench/run.sh: initial sync, no-op resync and peak RSS of muze-cli (folder
# remote) and unison at 1,000 / 10,000 / 100,000 JSON files (small scale: 1,000 and 10,000;
# BENCH_SCALE_SIZES="..." to choose). Same files for both tools (hard links), warm page cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
cli=${MUZE_CLI:?set MUZE_CLI}
if [[ ${MUZE_BENCH_SCALE:-small} == full ]]; then sizes="1000 10000 100000"; else sizes="1000 10000"; fi
sizes=${BENCH_SCALE_SIZES:-$sizes}
work=$(mktemp -d "${TMPDIR:-/tmp}/muze-bench-scale.XXXXXX")
trap 'rm -rf "$work"' EXIT
have unison && peer=1 || peer=0
for n in $sizes; do
  rm -rf "$work"/*
  python3 "$here/gen_vault.py" "$work/src" --json "$n" --wavs 0 >/dev/null
  sleep 3
  cp -al "$work/src" "$work/muze-a"
  "$cli" --config-dir "$work/cfg" vault create Bench --provider local --path "$work/muze-a" --remote "$work/muze-remote" >/dev/null
  time_of "muze initial, $n JSON" "$cli" --config-dir "$work/cfg" sync; mi=$SECS mik=$KIB
  time_of "muze no-op, $n JSON" "$cli" --config-dir "$work/cfg" sync; mn=$SECS mnk=$KIB
  ui="" un="" uik="" unk=""
  if ((peer)); then
    cp -al "$work/src" "$work/unison-a"; mkdir -p "$work/unison-remote" "$work/unison-home"
    export UNISON="$work/unison-home"
    time_of "unison initial, $n JSON" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent; ui=$SECS uik=$((KIB / 1024))
    time_of "unison no-op, $n JSON" unison "$work/unison-a" "$work/unison-remote" -batch -auto -times -silent; un=$SECS unk=$((KIB / 1024))
  fi
  bench_row "scale: initial sync, $n JSON" s "$mi" unison "$ui" "<=1.0"
  bench_row "scale: no-op resync, $n JSON" s "$mn" unison "$un" "<=1.0"
  bench_row "scale: peak RSS initial, $n JSON" MiB "$((mik / 1024))" unison "$uik" ""
  bench_row "scale: peak RSS no-op, $n JSON" MiB "$((mnk / 1024))" unison "$unk" ""
done
