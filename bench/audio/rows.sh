#!/usr/bin/env bash
# Recording rows for bench/run.sh: CPU seconds of `muze-cli record` and `parecord` recording
# the same PulseAudio source for the same time (run.sh; 48 kHz stereo 24-bit), and muze's
# dropped frames. small: 30 s, full: 600 s (the issue's 10 minutes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib.sh"
[[ ${MUZE_BENCH_SCALE:-small} == full ]] && secs=600 || secs=30
if ! have parecord; then
  bench_row "audio: record ${secs} s, CPU seconds" cpu-s "" parecord "" "<=2.0"
  exit 0
fi
out=$(bash "$here/run.sh" "${MUZE_BUILD_DIR:?}" "$secs" || true)
echo "$out" | sed 's/^/  /'
line() { echo "$out" | awk -v n="$1" '$1 == n'; }
m_cpu=$(line muze-cli | awk '{ print $5 }')
p_cpu=$(line parecord | awk '{ print $5 }')
dropped=$(line muze-cli | awk '{ print $3 }')
bench_row "audio: record ${secs} s 48k/24-bit, CPU s" cpu-s "$m_cpu" parecord "$p_cpu" "<=2.0"
bench_row "audio: dropped frames (must be 0)" frames "$dropped" "" "" ""
bench_row "audio: peak RSS while recording" MiB "$(line muze-cli | awk '{ print $9 }')" parecord "$(line parecord | awk '{ print $9 }')" ""
