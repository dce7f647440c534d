#!/usr/bin/env bash
# Dropbox rows for bench/run.sh: DropboxRemote against curl on the same emulator (run.sh),
# MiB/s. small: 64 MiB, full: 256 MiB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
[[ ${MUZE_BENCH_SCALE:-small} == full ]] && mib=256 small=2000 || mib=64 small=500
out=$(bash "$here/run.sh" "${MUZE_BUILD_DIR:?}" "$mib" "$small")
echo "$out" | sed 's/^/  /'
# field LINE-PREFIX WORD: the number after WORD ("upload"/"download") on the line starting with PREFIX
field() { echo "$out" | grep -F "$1" | head -1 | awk -v w="$2" '{ for (i = 1; i < NF; i++) if ($i == w) print $(i + 1) }'; }
have curl && c=1 || c=0
bench_row "dropbox: upload, one request (${mib} MiB), MiB/s" MiB/s "$(field "muze DropboxRemote, one request" upload)" curl "$( ((c)) && field "curl, one request" upload)" ">=1.0"
bench_row "dropbox: download (${mib} MiB), MiB/s" MiB/s "$(field "muze DropboxRemote, one request" download)" curl "$( ((c)) && field "curl, one request" download)" ">=1.0"
bench_row "dropbox: upload session, 32 MiB chunks, MiB/s" MiB/s "$(field "muze DropboxRemote, session of 32 MiB" upload)" curl "$( ((c)) && field "curl, session" upload)" ">=1.0"
# Small files: batched (finish_batch_v2) against one files/upload each, files/s.
rate() { echo "$out" | grep -F "$1" | head -1 | awk '{ for (i = 2; i <= NF; i++) if ($i == "files/s") print $(i - 1) }'; }
bench_row "dropbox: ${small} small files batched, files/s" files/s "$(rate "finish_batch_v2")" "one request each" "$(rate "one files/upload each")" ">=1.0"
