#!/usr/bin/env bash
# Upload/download throughput to the Dropbox emulator on loopback (HTTPS, test CA): Muze's
# DropboxRemote (upload sessions with the production chunk size, and a single request) next
# to curl against the same emulator in the same run.
# Then 2,000 small JSON files (an initial upload of a vault's metadata) one request each and
# through finish_batch_v2 batches. Build: -DMUZE_BENCH=ON (or with the tests), Release.
# Usage: bench/dropbox/run.sh [BUILD_DIR] [SIZE_MIB] [SMALL_FILES]   (defaults: build, 128, 2000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
size_mib=${2:-128}
small_files=${3:-2000}
bench=$build/bench/dropbox/muze-dropbox-bench
[[ -x $bench ]] || { echo "build muze-dropbox-bench first (ninja -C $build muze-dropbox-bench)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/muze-dropbox-bench.XXXXXX)
fixture_pid=
cleanup() { [[ -n $fixture_pid ]] && kill "$fixture_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

python3 "$root/tests/emulator/emulator_fixture.py" start --data "$tmp/data" --tls-dir "$tmp/tls" >"$tmp/info.json" &
fixture_pid=$!
for _ in $(seq 300); do [[ -s $tmp/info.json ]] && break; sleep 0.1; done
field() { python3 -c "import json,sys; print(json.load(open('$tmp/info.json'))$1)"; }
base=$(field '["base_url"]')
ca=$(field '["ca_cert"]')
for name in MUZE_DROPBOX_API_URL MUZE_DROPBOX_CONTENT_URL MUZE_DROPBOX_NOTIFY_URL MUZE_CA_CERTS; do
  export "$name=$(field "[\"env\"][\"$name\"]")"
done
token=$(curl -sf --cacert "$ca" -X POST "$base/__admin/token" -H 'Content-Type: application/json' \
  -d '{"offline": false}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
export MUZE_BENCH_ACCESS_TOKEN=$token

head -c $((size_mib * 1024 * 1024)) /dev/urandom >"$tmp/blob"
mibs() { python3 -c "print('%.1f' % ($size_mib / $1))"; }
echo "Dropbox emulator on loopback over HTTPS, ${size_mib} MiB of random bytes, $(nproc) cores"

up=$(curl -sf --cacert "$ca" -o /dev/null -w '%{time_total}' -X POST "$base/2/files/upload" \
  -H "Authorization: Bearer $token" -H 'Content-Type: application/octet-stream' \
  -H 'Dropbox-API-Arg: {"path": "/bench/curl.bin", "mode": "overwrite"}' --data-binary @"$tmp/blob")
down=$(curl -sf --cacert "$ca" -o /dev/null -w '%{time_total}' -X POST "$base/2/files/download" \
  -H "Authorization: Bearer $token" -H 'Dropbox-API-Arg: {"path": "/bench/curl.bin"}')
curl_up=$(mibs "$up")
curl_down=$(mibs "$down")
printf '%-44s upload %7s MiB/s (%ss)   download %7s MiB/s (%ss)\n' "curl, one request" "$curl_up" "$up" \
  "$curl_down" "$down"

# curl through an upload session with the app's 32 MiB chunks (start, append_v2..., finish).
split -b $((32 * 1024 * 1024)) -d -a 4 "$tmp/blob" "$tmp/chunk."
chunks=("$tmp"/chunk.*)
t0=$(date +%s.%N)
sid=$(curl -sf --cacert "$ca" -X POST "$base/2/files/upload_session/start" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/octet-stream' -H 'Dropbox-API-Arg: {"close": false}' --data-binary @"${chunks[0]}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])')
offset=$(stat -c %s "${chunks[0]}")
for c in "${chunks[@]:1}"; do
  curl -sf --cacert "$ca" -o /dev/null -X POST "$base/2/files/upload_session/append_v2" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/octet-stream' \
    -H "Dropbox-API-Arg: {\"cursor\": {\"session_id\": \"$sid\", \"offset\": $offset}, \"close\": false}" \
    --data-binary @"$c"
  offset=$((offset + $(stat -c %s "$c")))
done
curl -sf --cacert "$ca" -o /dev/null -X POST "$base/2/files/upload_session/finish" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/octet-stream' \
  -H "Dropbox-API-Arg: {\"cursor\": {\"session_id\": \"$sid\", \"offset\": $offset}, \"commit\": {\"path\": \"/bench/curl-session.bin\", \"mode\": \"overwrite\"}}" \
  --data-binary ''
t1=$(date +%s.%N)
session=$(python3 -c "print('%.3f' % ($t1 - $t0))")
printf '%-44s upload %7s MiB/s (%ss)   %d requests\n' "curl, session of 32 MiB chunks" "$(mibs "$session")" "$session" \
  $((${#chunks[@]} + 1))

report() {
  local label=$1; shift
  local json
  json=$("$bench" --file "$tmp/blob" --folder /bench "$@")
  python3 - "$label" "$json" "$curl_up" "$curl_down" <<'PY'
import json, sys
r = json.loads(sys.argv[2])
up, down = float(sys.argv[3]), float(sys.argv[4])
print("%-44s upload %7.1f MiB/s (%.3fs)   download %7.1f MiB/s (%.3fs)   %d requests   %.2fx / %.2fx curl"
      % (sys.argv[1], r["upload_mib_s"], r["upload_s"], r["download_mib_s"], r["download_s"], r["requests"],
         r["upload_mib_s"] / up, r["download_mib_s"] / down))
PY
}
report "muze DropboxRemote, one request" --threshold $((150 * 1024 * 1024)) --name one.bin
for mib in 8 32 48; do
  report "muze DropboxRemote, session of $mib MiB chunks" --threshold $((16 * 1024 * 1024)) --chunk $((mib * 1024 * 1024)) \
    --name "session-$mib.bin"
done

# The ceiling of Qt Network itself on the same file: no hash, no sink (floor.cpp).
floor=$build/bench/dropbox/muze-dropbox-floor
if [[ -x $floor ]]; then
  json=$("$floor" --path /bench/curl.bin)
  python3 - "$json" "$curl_down" <<'PY'
import json, sys
r, down = json.loads(sys.argv[1]), float(sys.argv[2])
print("%-44s                                 download %7.1f MiB/s (%.3fs)   %.2fx curl"
      % ("Qt QNetworkAccessManager alone (no hash)", r["nam_mib_s"], r["nam_s"], r["nam_mib_s"] / down))
print("%-44s                                 download %7.1f MiB/s (%.3fs)   %.2fx curl"
      % ("Qt QSslSocket, bare HTTP/1.1 (no hash)", r["socket_mib_s"], r["socket_s"], r["socket_mib_s"] / down))
PY
else
  echo "muze-dropbox-floor not built: no Qt Network ceiling row"
fi

(( small_files > 0 )) || exit 0
json=$("$bench" --small "$small_files" --folder /bench-small)
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
print("%d small JSON files, one files/upload each:        %7.2fs  %5d requests  %5.0f files/s"
      % (r["files"], r["single_s"], r["single_requests"], r["files"] / r["single_s"]))
print("%d small JSON files, start_batch+append+finish_batch_v2: %7.2fs  %5d requests  %5.0f files/s  (%.1fx)"
      % (r["files"], r["batch_s"], r["batch_requests"], r["files"] / r["batch_s"], r["single_s"] / r["batch_s"]))
PY
