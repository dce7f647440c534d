#!/usr/bin/env bash
# Re-encryption after a key rotation (issue 3): `muze-cli keys reencrypt` on an encrypted vault
# synced to a folder remote, next to `age` re-encrypting the same bytes (decrypt under the old
# identity piped into encrypt for a new recipient, one file at a time) in the same run.
#
#   bench/crypto/rekey.sh                 # 8 takes of 128 MiB (1 GiB)
#   BENCH_TAKES=4 BENCH_TAKE_MIB=64 bench/crypto/rekey.sh
#
# Two Muze paths are measured:
#   local  the device holds the takes: each is encrypted again from the local file and uploaded
#   cloud  a device with "download audio on demand" (takes cloud-only): each blob is downloaded,
#          re-encrypted chunk by chunk and uploaded
# Environment: MUZE_CLI (default build/src/cli/muze-cli, or $MUZE_BUILD_DIR/src/cli/muze-cli),
# BENCH_DIR (scratch; removed unless BENCH_KEEP=1). Needs age and GNU time. The keychain needs
# a Secret Service: the script runs itself inside tools/test-env.sh when there is no session bus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [[ -z "${DBUS_SESSION_BUS_ADDRESS:-}" && -z "${MUZE_BENCH_IN_ENV:-}" ]]; then
  MUZE_BENCH_IN_ENV=1 exec "$root/tools/test-env.sh" "$0" "$@"
fi
cli=${MUZE_CLI:-${MUZE_BUILD_DIR:-$root/build}/src/cli/muze-cli}
takes=${BENCH_TAKES:-8}
take_mib=${BENCH_TAKE_MIB:-128}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/muze-rekey.XXXXXX")}
for tool in "$cli" age age-keygen /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: missing $tool" >&2; exit 1; }
done
cleanup() { [[ "${BENCH_KEEP:-0}" == 1 ]] || rm -rf "$work"; }
trap cleanup EXIT
export MUZE_KEYCHAIN_SERVICE="muze-bench-rekey-$$" MUZE_SYNC_SETTLE_MS=0

measure() { # LABEL COMMAND... → "LABEL seconds peak_rss_kib"
  local label=$1; shift
  if ! /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >"$work/last.log" 2>&1; then
    echo "bench: \"$label\" failed:" >&2; tail -5 "$work/last.log" >&2; exit 1
  fi
  echo "$label $(cat "$work/time.txt")" >>"$work/results"
}

printf 'correct horse battery staple\n' >"$work/pw"
a=(--config-dir "$work/a-config"); b=(--config-dir "$work/b-config")
"$cli" "${a[@]}" vault create Band --provider local --path "$work/a" --remote "$work/remote" \
  --encrypt --password-file "$work/pw" >/dev/null
echo "writing $takes takes of $take_mib MiB ..." >&2
mkdir -p "$work/a/collections/c1/projects/p1/audio" "$work/plain"
for ((i = 0; i < takes; i++)); do
  head -c "$((take_mib * 1024 * 1024))" /dev/urandom >"$work/plain/t$i.wav"
  cp "$work/plain/t$i.wav" "$work/a/collections/c1/projects/p1/audio/t$i.wav"
done
touch -d '-1 minute' "$work/a/collections/c1/projects/p1/audio/"*.wav
bytes=$((takes * take_mib * 1024 * 1024))
: >"$work/results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
sync
measure "muze initial sync (encrypt + upload)" "$cli" "${a[@]}" sync

# Device B keeps audio in the cloud.
"$cli" "${b[@]}" vault create Band --provider local --path "$work/b" --remote "$work/remote" >/dev/null
"$cli" "${b[@]}" sync >/dev/null 2>&1 || true # the key ring; B is locked
"$cli" "${b[@]}" keys unlock --password-file "$work/pw" >/dev/null
printf '{"audio_download":"on_demand"}\n' >"$work/b/.muze-state/sync-settings.json"
"$cli" "${b[@]}" sync >/dev/null

"$cli" "${a[@]}" keys rotate >/dev/null
sync
measure "muze keys reencrypt, local takes" "$cli" "${a[@]}" keys reencrypt
"$cli" "${b[@]}" sync >/dev/null # B receives the rotated ring and the new blobs (cloud-only)
"$cli" "${a[@]}" keys rotate >/dev/null
"$cli" "${a[@]}" sync >/dev/null
sync
measure "muze keys reencrypt, cloud-only takes" "$cli" "${b[@]}" keys reencrypt

# The same bytes through age: encrypt once for the old identity, then re-encrypt.
age-keygen -o "$work/old.key" 2>/dev/null; age-keygen -o "$work/new.key" 2>/dev/null
new_recipient=$(age-keygen -y "$work/new.key")
mkdir -p "$work/age"
cat >"$work/age-encrypt.sh" <<EOF
set -euo pipefail
for ((i = 0; i < $takes; i++)); do
  age -r "$(age-keygen -y "$work/old.key")" -o "$work/age/t\$i.age" "$work/plain/t\$i.wav"
done
EOF
sync
measure "age -e, same takes" bash "$work/age-encrypt.sh"
sync
cat >"$work/age-rekey.sh" <<EOF
set -euo pipefail
for f in "$work"/age/*.age; do
  age -d -i "$work/old.key" "\$f" | age -r "$new_recipient" -o "\$f.new"
  mv "\$f.new" "\$f"
done
EOF
measure "age -d | age -e, same takes" bash "$work/age-rekey.sh"
age -d -i "$work/new.key" "$work/age/t0.age" | cmp -s - "$work/plain/t0.wav" || { echo "age round trip differs" >&2; exit 1; }

# Every remote take is under the newest key, and device A reads the same bytes.
"$cli" "${a[@]}" sync >/dev/null
for ((i = 0; i < takes; i++)); do
  cmp -s "$work/plain/t$i.wav" "$work/a/collections/c1/projects/p1/audio/t$i.wav" || { echo "take $i differs" >&2; exit 1; }
done
left=$("$cli" "${a[@]}" --json keys status | python3 -c 'import json,sys; print(json.load(sys.stdin).get("files_on_older_keys"))')
[[ "$left" == 0 ]] || { echo "files left on older keys: $left" >&2; exit 1; }
"$cli" "${a[@]}" keys lock >/dev/null; "$cli" "${b[@]}" keys lock >/dev/null

echo
echo "Re-encryption of $takes takes, $((bytes / 1024 / 1024)) MiB, folder remote on the same disk;"
echo "$(nproc) cores, load before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-42s %9s %9s %10s\n' step seconds "MB/s" "peak RSS"
while read -r line; do
  label=${line% * *}; rest=${line##"$label "}; secs=${rest% *}; kib=${rest#* }
  printf '%-42s %9s %9.0f %7d MiB\n' "$label" "$secs" "$(awk -v b="$bytes" -v s="$secs" 'BEGIN { print b / 1e6 / (s > 0 ? s : 0.001) }')" $((kib / 1024))
done <"$work/results"
