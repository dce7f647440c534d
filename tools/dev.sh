#!/usr/bin/env bash
# One entry point for newcomers and CI (see README.md):
#   tools/dev.sh run          install what is missing, build, start Muze
#   tools/dev.sh test         install what is missing, build with -Werror, run every test (CTest)
#   tools/dev.sh fuzz-smoke   build the libFuzzer targets with clang and run each briefly
#   tools/dev.sh fuzz --seconds N [TARGET…]  run each fuzzer N s (ASan+UBSan); executions, crashes
#   tools/dev.sh deps [KIND…] only install packages (build, test, bench)
# Packages come from tools/deps-debian.txt; apt-get runs only when something is missing
# (as root, or through sudo when available).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build_dir=${MUZE_BUILD_DIR:-build}
jobs=${MUZE_JOBS:-$(nproc)}

install_deps() {
  local kinds=("$@") wanted=() missing=()
  while read -r kind pkgs; do
    [[ -z "$kind" || "$kind" == \#* ]] && continue
    for k in "${kinds[@]}"; do [[ "$k" == "$kind" ]] && wanted+=($pkgs); done
  done < tools/deps-debian.txt
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "Installing: ${missing[*]}"
  local sudo=()
  [[ $(id -u) -ne 0 ]] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${MUZE_BUILD_TYPE:-Debug}" "$@"
  cmake --build "$build_dir" -j "$jobs"
}

# The libFuzzer targets: name, seed corpus under tests/fuzz/corpus (or -), max input length.
# Where an input's cost grows with its length (every word of a search text is hashed and
# queried; every answer is parsed as JSON), the cap is what the format needs: a search index
# of a few items fits in 1 KiB (the seeds are under 256 bytes), a list_folder page of several
# entries in 2 KiB (the largest seed is 933 bytes).
fuzz_targets=("fuzz_blob_header blob 4096" "fuzz_blob_stream - 256" "fuzz_keyring keyring 4096" "fuzz_wav wav 4096"
  "fuzz_model_json model_json 4096" "fuzz_vault_registry vault_registry 4096"
  "fuzz_conflict_record conflict_record 4096" "fuzz_search_index search_index 1024" "fuzz_dropbox dropbox 2048")
fuzz_dir=${build_dir}-fuzz

build_fuzzers() {
  cmake -S . -B "$fuzz_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DMUZE_FUZZ=ON -DMUZE_BUILD_TESTS=OFF -DMUZE_BUILD_GUI=OFF -DMUZE_BUILD_AUDIO=OFF >/dev/null
  local names=() t
  for t in "${fuzz_targets[@]}"; do names+=("${t%% *}"); done
  cmake --build "$fuzz_dir" -j "$jobs" --target "${names[@]}"
}

case "${1:-}" in
  run)
    install_deps build
    configure_and_build -DMUZE_BUILD_TESTS=OFF
    exec "$build_dir/src/gui/muze" "${@:2}"
    ;;
  test)
    install_deps build test
    configure_and_build -DMUZE_BUILD_TESTS=ON -DMUZE_WERROR=ON
    cd "$build_dir"
    exec "$here/tools/test-env.sh" ctest --output-on-failure --timeout 600 -j "${MUZE_TEST_JOBS:-2}" "${@:2}"
    ;;
  fuzz-smoke)
    install_deps build test
    build_fuzzers
    ran=0
    for t in "${fuzz_targets[@]}"; do
      read -r name corpus maxlen <<<"$t"
      scratch=$(mktemp -d)  # libFuzzer writes new inputs into its first corpus dir
      seeds=(); [[ "$corpus" != - ]] && seeds=("tests/fuzz/corpus/$corpus")
      echo "== $name"
      "$fuzz_dir/tests/fuzz/$name" "$scratch" "${seeds[@]}" -runs="${MUZE_FUZZ_RUNS:-20000}" \
        -max_len="$maxlen" -seed=1 -artifact_prefix="$fuzz_dir/" 2>&1 | tail -n 2
      rm -rf "$scratch"
      ran=$((ran + 1))
    done
    echo "fuzz smoke: $ran targets, ${MUZE_FUZZ_RUNS:-20000} runs each"
    ;;
  fuzz)
    shift
    seconds=60; only=()
    while (($#)); do
      case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --seconds=*) seconds=${1#*=}; shift ;;
        *) only+=("$1"); shift ;;
      esac
    done
    install_deps build test
    build_fuzzers
    printf '%-22s %12s %9s %8s %8s\n' target executions exec/s seconds crashes
    failed=0
    for t in "${fuzz_targets[@]}"; do
      read -r name corpus maxlen <<<"$t"
      if ((${#only[@]})) && [[ " ${only[*]} " != *" $name "* ]]; then continue; fi
      # A kept corpus per target (under the build dir) so long runs build on each other.
      work="$fuzz_dir/corpus/$name"; artifacts="$fuzz_dir/artifacts/$name/"
      mkdir -p "$work" "$artifacts"
      seeds=(); [[ "$corpus" != - ]] && seeds=("tests/fuzz/corpus/$corpus")
      log="$fuzz_dir/artifacts/$name.log"
      before=$(find "$artifacts" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
      start=$(date +%s)
      "$fuzz_dir/tests/fuzz/$name" "$work" "${seeds[@]}" -max_total_time="$seconds" -max_len="$maxlen" \
        -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts" >"$log" 2>&1 || true
      took=$(($(date +%s) - start))
      after=$(find "$artifacts" -maxdepth 1 \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
      execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
      rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
      crashes=$((after - before))
      printf '%-22s %12s %9s %8s %8s\n' "$name" "${execs:-?}" "${rate:-?}" "$took" "$crashes"
      if ((crashes > 0)); then
        failed=1
        grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/    /'
        echo "    log: $log; inputs: $artifacts"
      fi
    done
    exit "$failed"
    ;;
  deps)
    shift
    install_deps "${@:-build}"
    ;;
  *)
    sed -n '2,10p' "$0"
    exit 2
    ;;
esac
