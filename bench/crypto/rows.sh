#!/usr/bin/env bash
# Crypto rows for bench/run.sh: FileCipher (all cores) against `age` on the same file
# (bench.sh), encrypt and decrypt throughput. small: 256 MiB, full: 1024 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
[[ ${MUZE_BENCH_SCALE:-small} == full ]] && mib=1024 || mib=256
if ! have age; then
  bench_row "crypto: encrypt a file, MB/s" MB/s "" age "" ">=1.0"
  exit 0
fi
out=$(MUZE_BENCH_ROUNDS=${MUZE_BENCH_ROUNDS:-1} bash "$here/bench.sh" "$mib" 2>/dev/null)
echo "$out" | sed 's/^/  /'
val() { echo "$out" | grep -F "$1" | head -1 | awk -v c="$2" '{ n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^MB\//) { n++; if (n == c) print $(i - 1) } }'; }
bench_row "crypto: encrypt a file (${mib} MiB), MB/s" MB/s "$(val "muze FileCipher, file (" 1)" age "$(val "(X25519)" 1)" ">=1.0"
bench_row "crypto: decrypt a file (${mib} MiB), MB/s" MB/s "$(val "muze FileCipher, file (" 2)" age "$(val "(X25519)" 2)" ">=1.0"
bench_row "crypto: encrypt, MB per CPU-second" MB/cpu-s "$(val "muze FileCipher, file (" 3)" age "$(val "(X25519)" 3)" ">=1.0"
