#!/usr/bin/env bash
# Recording bench: `muze-cli record` and `parecord` record the same PulseAudio source for the
# same time (default 10 minutes) while a tone plays into the sink. Reports frames, dropped
# samples (Muze's must be 0), frames missing against the clock, CPU time (getrusage of each
# child) and peak memory.
#
# Usage: bench/audio/run.sh [BUILD_DIR] [SECONDS]      (BUILD_DIR defaults to ./build)
# Runs itself inside tools/test-env.sh (private PulseAudio) unless PULSE_SERVER is set.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
seconds=${2:-600}
if [[ -z "${PULSE_SERVER:-}" ]]; then
  exec "$root/tools/test-env.sh" "$0" "$build" "$seconds"
fi
cli="$build/src/cli/muze-cli"
[[ -x "$cli" ]] || { echo "build muze-cli first: cmake --build $build --target muze-cli" >&2; exit 2; }

work=$(mktemp -d /tmp/muze-bench-audio.XXXXXX)
trap 'kill ${tone_pid:-} 2>/dev/null || true; rm -rf "$work"' EXIT
C=("$cli" --config-dir "$work/config")
"${C[@]}" vault create Bench --provider local --path "$work/vault" >/dev/null
cid=$("${C[@]}" collection add Bench)
pid=$("${C[@]}" project add "$cid" Bench)
mix=$("${C[@]}" mix add "$pid" Bench)

# A tone streamed into the sink for the whole run (no big file on disk).
sox -n -r 48000 -c 2 -b 16 -e signed -t raw - synth $((seconds + 30)) sine 440 vol 0.5 2>/dev/null |
  pacat --device=muze_sink --rate=48000 --channels=2 --format=s16le &
tone_pid=$!
sleep 1

python3 - "$seconds" "$work" "${C[@]}" --json record "$mix" --seconds "$seconds" --device muze_mic <<'PY'
import json, os, signal, subprocess, sys, time, wave

seconds = float(sys.argv[1]); work = sys.argv[2]; muze_cmd = sys.argv[3:]
par_file = os.path.join(work, "parecord.wav")
par_cmd = ["parecord", "--device=muze_mic", "--file-format=wav", "--rate=48000", "--channels=2",
           "--format=s24le", par_file]

def usage(ru):
    return ru.ru_utime + ru.ru_stime, ru.ru_utime, ru.ru_stime, ru.ru_maxrss / 1024.0

t0 = time.monotonic()
muze = subprocess.Popen(muze_cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
par = subprocess.Popen(par_cmd, stderr=subprocess.PIPE)
# Muze starts recording when its first fragment arrives; parecord gets the same wall time.
time.sleep(seconds + 1.0)
par.send_signal(signal.SIGINT)
_, par_status, par_ru = os.wait4(par.pid, 0)
out = muze.stdout.read(); err = muze.stderr.read()
_, muze_status, muze_ru = os.wait4(muze.pid, 0)
wall = time.monotonic() - t0
if os.waitstatus_to_exitcode(muze_status) != 0:
    sys.exit("muze-cli record failed: " + err.decode())
report = json.loads(out)
with wave.open(par_file) as w:
    par_frames = w.getnframes()

mc, mu, ms, mrss = usage(muze_ru)
pc, pu, ps, prss = usage(par_ru)
print(f"recording bench: {seconds:.0f} s of 48 kHz stereo 24-bit from muze_mic (wall {wall:.1f} s)")
print(f"{'':10} {'frames':>10} {'dropped':>8} {'gap':>6} {'cpu s':>8} {'user':>7} {'sys':>7} {'cpu %':>6} {'maxrss MiB':>11}")
print(f"{'muze-cli':10} {report['frames']:>10} {report['dropped_frames']:>8} {report['gap_frames']:>6} {mc:>8.2f} {mu:>7.2f} {ms:>7.2f} {100*mc/seconds:>6.2f} {mrss:>11.1f}")
print(f"{'parecord':10} {par_frames:>10} {'-':>8} {'-':>6} {pc:>8.2f} {pu:>7.2f} {ps:>7.2f} {100*pc/seconds:>6.2f} {prss:>11.1f}")
print(f"muze max lag behind the clock: {report['max_clock_lag_frames']} frames "
      f"({1000*report['max_clock_lag_frames']/48000:.0f} ms); muze-cli's CPU includes start-up and "
      f"copying the take into the mix")
ok = report['dropped_frames'] == 0 and report['gap_frames'] == 0 and report['frames'] == round(seconds * 48000)
print("PASS" if ok else "FAIL: samples were dropped or missing")
sys.exit(0 if ok else 1)
PY
