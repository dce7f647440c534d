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

# An encrypted vault's initial sync (encrypt + upload to a folder remote, every take durable)
# and re-encryption after a rotation, next to age on the same takes (rekey.sh).
[[ ${MUZE_BENCH_SCALE:-small} == full ]] && takes=8 || takes=4
rk=$(BENCH_TAKES=$takes BENCH_TAKE_MIB=128 MUZE_CLI=${MUZE_CLI:?} bash "$here/rekey.sh" 2>/dev/null || true)
echo "$rk" | sed 's/^/  /'
mbs() { echo "$rk" | awk -v p="$1" 'index($0, p) == 1 { v = $(NF - 2) } END { print v }'; }
bench_row "crypto: encrypted vault initial sync ($takes × 128 MiB), MB/s" MB/s "$(mbs "muze initial sync")" "age -e" "$(mbs "age -e, same takes")" ">=1.0"
bench_row "crypto: re-encrypt after rotation, local takes, MB/s" MB/s "$(mbs "muze keys reencrypt, local")" "age -d | age -e" "$(mbs "age -d | age -e")" ">=1.0"
