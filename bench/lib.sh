# Sourced by the benches bench/run.sh drives.
# bench_row FIGURE UNIT MUZE PEER_NAME PEER GOAL: one row of the table (PEER "" = not measured;
# GOAL like "<=1.0" on muze ÷ peer, or ""). Printed too when run on its own.
bench_row() {
  local line
  line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "${MUZE_BENCH_RUN:-1}" "$1" "$2" "$3" "$4" "$5" "$6")
  if [[ -n ${MUZE_BENCH_ROWS:-} ]]; then
    echo "$line" >>"$MUZE_BENCH_ROWS"
  fi
  printf '  row: %-44s muze %-10s %s %s\n' "$1" "$3$2" "$4" "${5:-(not measured)}"
}
# have TOOL: true when TOOL is installed; says so once when not.
have() {
  command -v "$1" >/dev/null && return 0
  echo "  peer $1 is not installed: its rows are skipped" >&2
  return 1
}
# time_of LABEL CMD...: runs CMD under GNU time; sets SECS, KIB (peak RSS) and CPU (user+sys).
time_of() {
  local label=$1; shift
  local t; t=$(mktemp)
  if ! /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" >"$t.log" 2>&1; then
    echo "  \"$label\" failed:" >&2; tail -5 "$t.log" >&2; rm -f "$t" "$t.log"; return 1
  fi
  local u s
  read -r SECS KIB u s <"$t"
  CPU=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
  printf '  %-46s %8.2f s %6d MiB peak RSS %7.2f s CPU\n' "$label" "$SECS" $((KIB / 1024)) "$CPU"
  rm -f "$t" "$t.log"
}
