#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz (built by the `fuzz` preset).
#   run-fuzzer.sh replay BINARY NAME   every input of corpus/NAME and regressions/NAME, once
#   run-fuzzer.sh fuzz BINARY NAME     fuzz for $FUZZ_SECONDS (default 60), starting from them
# Fails on any finding (crash, sanitizer report, leak, timeout, out-of-memory); the input that
# caused it is left in $FUZZ_WORK/artifacts/NAME/ (add it to regressions/NAME/ with the fix).
# New interesting inputs accumulate in $FUZZ_WORK/corpus/NAME/ (default FUZZ_WORK: build-fuzz/fuzz);
# the run's figures (executions, exec/s, coverage) go to $FUZZ_WORK/NAME.summary.
set -euo pipefail
mode=$1 binary=$2 name=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seeds=$here/corpus/$name
regressions=$here/regressions/$name
work=${FUZZ_WORK:-$root/build-fuzz/fuzz}
seconds=${FUZZ_SECONDS:-60}

# ASan + UBSan stop at the first report; LSan knows libx265's one-off allocation (see the file).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/server/media.lsan.supp}

# One input may take this long (an image decode under ASan is the slowest) and this much memory
# (the media limits bound a decode; ASan's shadow and quarantine come on top).
limits=(-timeout=30 -rss_limit_mb=3072 -malloc_limit_mb=1024)

# The targets' scratch files (the API fixture's data directory, metadata's input file) stay
# under the build tree, also when a finding ends a run before its clean-up.
export TMPDIR=$work/tmp/$name
mkdir -p "$TMPDIR"

inputs=()
for dir in "$seeds" "$regressions"; do
  [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ] && inputs+=("$dir")
done

case $mode in
replay)
  if [ ${#inputs[@]} -eq 0 ]; then
    echo "run-fuzzer: $name has no seeds in $seeds" >&2
    exit 1
  fi
  # Individual files: libFuzzer runs each once and stops at the first failure.
  files=()
  for dir in "${inputs[@]}"; do
    for f in "$dir"/*; do files+=("$f"); done
  done
  exec "$binary" "${limits[@]}" "${files[@]}"
  ;;
fuzz)
  mkdir -p "$work/corpus/$name" "$work/artifacts/$name"
  log=$work/$name.log
  status=0
  "$binary" "${limits[@]}" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$name/" "$work/corpus/$name" "${inputs[@]}" >"$log" 2>&1 || status=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  summary="fuzz $name: ${runs:-?} runs in ${seconds}s, ${execs:-?} exec/s; ${done_line:-no DONE line}"
  echo "$summary" | tee "$work/$name.summary"
  if [ $status -ne 0 ]; then
    tail -n 80 "$log"
    echo "run-fuzzer: $name FAILED (exit $status); artifacts in $work/artifacts/$name/" >&2
    exit 1
  fi
  ;;
*)
  echo "usage: $0 replay|fuzz BINARY NAME" >&2
  exit 2
  ;;
esac
