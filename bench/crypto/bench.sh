#!/usr/bin/env bash
# Encrypt + decrypt throughput on one file: Muze's FileCipher (all cores, then one),
# libsodium's crypto_secretstream and `age` (X25519 identity without a passphrase), in the
# same run on the same file, plus FileCipher memory-to-memory (CPU only, no disk).
# MB/s with MB = 10^6 bytes; outputs are never fsynced; each figure is the best of ROUNDS.
# Two figures each: wall-clock MB/s (what a user sees; both cores count) and MB per CPU-second
# (user + system time of all threads: stable on a busy machine, and the cost per byte).
# Usage: bench/crypto/bench.sh [SIZE_MIB (default 1024)]
#   MUZE_BENCH_BIN=path/to/muze_bench_crypto  use an existing binary instead of building one
#   MUZE_BENCH_ROUNDS=N                         repetitions per figure (default 2)
#   TMPDIR=dir                                  where the test files go (needs ~3x SIZE free)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
size_mib=${1:-1024}
rounds=${MUZE_BENCH_ROUNDS:-2}

bin=${MUZE_BENCH_BIN:-}
if [[ -z "$bin" ]]; then
  build="$root/build-bench-crypto"
  cmake -S "$root/bench/crypto" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target muze_bench_crypto >/dev/null
  bin="$build/muze_bench_crypto"
fi
command -v age >/dev/null || { echo "age is not installed (apt-get install age)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/muze-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "making a ${size_mib} MiB random file in $work ..." >&2
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/plain"
sync
bytes=$(stat -c %s "$work/plain")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A wall cpu
keep_best() { # NAME WALL CPU
  if [[ -z "${wall[$1]:-}" || "$2" -gt "${wall[$1]}" ]]; then wall[$1]=$2; fi
  if [[ -z "${cpu[$1]:-}" || "$3" -gt "${cpu[$1]}" ]]; then cpu[$1]=$3; fi
}
collect() { while read -r name w c; do keep_best "$name" "$w" "$c"; done; }
# age: wall and CPU seconds from GNU time; prints "<name> <wall MB/s> <MB per CPU-s>".
timed_age() { # NAME ARGS...
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" age "$@"
  read -r e u s <"$work/time"
  awk -v b="$bytes" -v e="$e" -v c="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')" -v n="$name" \
    'BEGIN { printf "%s %d %d\n", n, b / 1e6 / (e > 0 ? e : 0.001), b / 1e6 / (c > 0 ? c : 0.001) }'
}

age-keygen -o "$work/identity" 2>/dev/null
recipient=$(age-keygen -y "$work/identity")
memory_mib=$(( size_mib < 512 ? size_mib : 512 ))

for ((r = 1; r <= rounds; r++)); do
  echo "round $r of $rounds ..." >&2
  collect < <("$bin" muze "$work/plain" "$work"); sync
  collect < <("$bin" muze "$work/plain" "$work" 1); sync
  collect < <("$bin" secretstream "$work/plain" "$work"); sync
  collect < <(timed_age age-encrypt -r "$recipient" -o "$work/plain.age" "$work/plain"); sync
  collect < <(timed_age age-decrypt -d -i "$work/identity" -o "$work/plain.age.out" "$work/plain.age")
  cmp -s "$work/plain" "$work/plain.age.out" || { echo "age round trip differs" >&2; exit 1; }
  rm -f "$work/plain.age" "$work/plain.age.out"; sync
  collect < <("$bin" memory "$memory_mib")
  collect < <("$bin" memory "$memory_mib" 1)
done

printf '\n%s MiB file, %s cores (%s), load average %s before / %s after\n' \
  "$size_mib" "$(nproc)" "$(uname -m)" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '%-38s %13s %13s   %17s %17s\n' "$@"; }
fig() { row "$1" "${wall[$2-encrypt$3]} MB/s" "${wall[$2-decrypt$3]} MB/s" "${cpu[$2-encrypt$3]} MB/cpu-s" "${cpu[$2-decrypt$3]} MB/cpu-s"; }
row "" "encrypt" "decrypt" "encrypt (CPU)" "decrypt (CPU)"
fig "muze FileCipher, file ($(nproc) threads)" muze ""
fig "muze FileCipher, file (1 thread)" muze -1thread
fig "libsodium secretstream, file" secretstream ""
fig "age $(age --version) (X25519), file" age ""
fig "muze FileCipher, memory ($(nproc) threads)" memory ""
fig "muze FileCipher, memory (1 thread)" memory -1thread
