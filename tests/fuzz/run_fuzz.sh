#!/usr/bin/env bash
# Runs the libFuzzer targets (docs/fuzzing.md) over a copy of their seed corpus, then fuzzes each for a
# while, and prints what each did: executions, executions per second, coverage, new corpus entries.
# CTest runs it per target for 20 seconds (the top-level CMakeLists.txt); run it yourself for the long
# campaign:
#
#   bash tests/fuzz/run_fuzz.sh [--build DIR] [--time SECONDS] [--work DIR] [--jobs N] [--merge] [TARGET...]
#
#   --build DIR    the fuzz build: DIR/tests/fuzz/<target>_fuzz (default build/fuzz, made by the kehu_fuzz
#                  step of the normal build)
#   --time S       seconds of fuzzing per target after the corpus has run (default 600)
#   --work DIR     where each target's working corpus, log and findings go (default: a new temporary
#                  folder); the repository's corpus is only ever read
#   --jobs N       targets fuzzed at once (default 1; each is one process)
#   --merge        afterwards, add to tests/fuzz/corpus/<target>/ the new inputs that reach new coverage
#                  (libFuzzer -merge=1: a minimal set; review them before committing)
#   TARGET...      json_body record_write list_query cursor sync request_fields request_framing (the default:
#                  all of them),
#                  server_params (only in a build configured with -DKEHU_FUZZ_SERVER_LIB=ON)
#
# Any finding (crash, failed check, sanitizer report, leak, timeout, out of memory) makes the script exit
# non-zero; the input is saved as WORK/<target>/crash-* (or leak-*, timeout-*, oom-*). Reproduce it with
# DIR/tests/fuzz/<target>_fuzz WORK/<target>/crash-..., and when it is fixed, add it to the corpus.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=build/fuzz
seconds=600
work=
jobs=1
merge=0
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --time) seconds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(json_body record_write list_query cursor sync request_fields request_framing)
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/kehu-fuzz.XXXXXX")
mkdir -p "$work"
work=$(cd "$work" && pwd)

# Every finding is fatal and reported with a stack: UBSan stops at the first report (the build also makes
# it fatal), ASan checks leaks at exit and aborts so libFuzzer saves the input.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1:symbolize=1}

dict_of() {
  case "$1" in
    json_body|record_write|sync) echo "$here/dict/json.dict" ;;
    list_query|cursor) echo "$here/dict/query.dict" ;;
    request_framing) echo "$here/dict/http.dict" ;;
    *) echo "" ;;
  esac
}

# Runs one target; its figures go to WORK/<target>.figures, its output to WORK/<target>.log.
run_one() {
  local t=$1
  local bin="$build/tests/fuzz/${t}_fuzz"
  local dir="$work/$t"
  if [ ! -x "$bin" ]; then
    echo "$t: no fuzzer at $bin (build the kehu_fuzz target first)" >&2
    echo "$t - - - - - - - missing" >"$work/$t.figures"
    return 1
  fi
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  cp "$here/corpus/$t/"* "$dir/corpus/" 2>/dev/null || true
  local seeds
  seeds=$(find "$dir/corpus" -type f | wc -l)
  local dict
  dict=$(dict_of "$t")
  local args=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8192 -print_final_stats=1
              -artifact_prefix="$dir/" -close_fd_mask=1)
  [ -n "$dict" ] && args+=(-dict="$dict")
  local status=0
  (cd "$dir" && "$bin" "${args[@]}" "$dir/corpus") >"$work/$t.log" 2>&1 || status=$?
  local execs rate added cov ft
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/$t.log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$work/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$work/$t.log" | tail -1 | cut -d' ' -f2)
  local corpus
  corpus=$(find "$dir/corpus" -type f | wc -l)
  local result=ok
  if [ $status -ne 0 ]; then
    result="FAILED (exit $status; see $work/$t.log and $dir/)"
  fi
  echo "$t ${execs:-0} ${rate:-0} ${cov:-0} ${ft:-0} $seeds $corpus ${added:-0} $result" >"$work/$t.figures"
  if [ $status -ne 0 ]; then
    echo "---- $t: the fuzzer's report (last 60 lines of $work/$t.log) ----" >&2
    tail -60 "$work/$t.log" >&2
    return 1
  fi
  if [ $merge -eq 1 ]; then
    "$bin" -merge=1 -max_len=8192 "$here/corpus/$t" "$dir/corpus" >>"$work/$t.log" 2>&1
  fi
}

echo "fuzzing ${targets[*]} for ${seconds}s each in $work (build: $build)"
failed=0
running=0
for t in "${targets[@]}"; do
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

printf '%-16s %12s %8s %7s %8s %7s %7s %5s  %s\n' target execs exec/s cov features seeds corpus new result
for t in "${targets[@]}"; do
  read -r name execs rate cov ft seeds corpus added result <"$work/$t.figures" || true
  printf '%-16s %12s %8s %7s %8s %7s %7s %5s  %s\n' "$name" "$execs" "$rate" "$cov" "$ft" "$seeds" "$corpus" "$added" "$result"
done
exit $failed
