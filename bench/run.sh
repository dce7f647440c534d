#!/usr/bin/env bash
# Every bench in one run (issue 15): sync, scaling, crypto, dropbox, audio and startup, each
# next to its peer tool on the same data in the same run, printed as one table
#   figure | muze | peer | ratio (muze ÷ peer) | goal
# and written as JSON rows (MUZE_BENCH_JSON, default $build/bench-results.json).
#
#   bench/run.sh                          # MUZE_BENCH_SCALE=small: minutes
#   MUZE_BENCH_SCALE=full bench/run.sh    # the issue's sizes (10,000 JSON + 40 × 50 MiB, ...)
#   MUZE_BENCH_ONLY="sync scale" bench/run.sh
#   MUZE_BENCH_RUNS=3 bench/run.sh        # every figure is the median of 3 runs
#
# Environment: MUZE_BUILD_DIR (default build-rel: a Release build, configured and its targets
# built here when missing: cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release).
# A peer that is not installed (unison, rclone, age, openssl, parecord, curl) is reported and
# its rows are skipped; muze's own figures are still measured.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scale=${MUZE_BENCH_SCALE:-small}
runs=${MUZE_BENCH_RUNS:-1}
only=${MUZE_BENCH_ONLY:-sync scale crypto dropbox audio startup}
build=${MUZE_BUILD_DIR:-$root/build-rel}
case $scale in small | full) ;; *) echo "MUZE_BENCH_SCALE must be small or full" >&2; exit 2 ;; esac

if [[ ! -f $build/build.ninja ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null || exit 1
fi
targets=(muze-cli)
[[ " $only " == *" dropbox "* ]] && targets+=(muze-dropbox-bench)
[[ " $only " == *" startup "* ]] && targets+=(muze)
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}" >/dev/null || { echo "build failed" >&2; exit 1; }
export MUZE_BUILD_DIR=$build MUZE_CLI=$build/src/cli/muze-cli

rows=$(mktemp /tmp/muze-bench-rows.XXXXXX)
trap 'rm -f "$rows"' EXIT
export MUZE_BENCH_ROWS=$rows MUZE_BENCH_SCALE=$scale
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== muze benches: scale $scale, $runs run(s), $(nproc) cores, load $load_before"

for ((run = 1; run <= runs; run++)); do
  export MUZE_BENCH_RUN=$run
  for bench in $only; do
    echo "== run $run: $bench"
    case $bench in
      sync) bash "$root/bench/sync/rows.sh" ;;
      scale) bash "$root/bench/sync/scale.sh" ;;
      crypto) bash "$root/bench/crypto/rows.sh" ;;
      dropbox) bash "$root/bench/dropbox/rows.sh" ;;
      audio) bash "$root/bench/audio/rows.sh" ;;
      startup) bash "$root/bench/startup/run.sh" ;;
      *) echo "unknown bench $bench" >&2 ;;
    esac || echo "bench $bench failed (its rows are missing)" >&2
  done
done

python3 "$root/bench/table.py" "$rows" "${MUZE_BENCH_JSON:-$build/bench-results.json}" \
  "$scale" "$runs" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
