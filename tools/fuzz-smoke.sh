#!/usr/bin/env bash
# A short fuzzing run for the test command: builds the cargo-fuzz targets (fuzz/, nightly) and
# runs each for a bounded time over its kept corpus (fuzz/corpus/TARGET/, read only: new
# inputs go to a temporary folder). A crash, a panic or a broken invariant fails the target
# and keeps the input in fuzz/artifacts/TARGET/.
#   tools/fuzz-smoke.sh [SECONDS]   (per target; default 25, or $FUZZ_SMOKE_SECONDS)
# -a: debug assertions and overflow checks, so a length or counter that would wrap panics.
# -s none: no AddressSanitizer; the core has no unsafe code, and without it the targets build
# in half the time and run faster. libFuzzer's coverage guidance is the same.
# Ends with one line "N passed, M failed" (N, M: targets) and exits non-zero if any failed.
# Longer runs: cd fuzz && cargo +nightly fuzz run -O -a -s none TARGET -- -dict=scenario.dict -max_len=4096
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

SECONDS_EACH="${1:-${FUZZ_SMOKE_SECONDS:-25}}"
TARGETS=(scenario_parse core_run)

if ! cargo +nightly fuzz build -O -a -s none; then
  echo "fuzz targets did not build"
  echo "0 passed, ${#TARGETS[@]} failed"
  exit 1
fi

passed=0
failed=0
for target in "${TARGETS[@]}"; do
  scratch="$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$target.XXXXXX")"
  log="$scratch/log"
  mkdir -p "artifacts/$target" "$scratch/corpus"
  # The scratch corpus comes first: libFuzzer writes what it finds into the first folder.
  cargo +nightly fuzz run -O -a -s none "$target" "$scratch/corpus" "corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -dict=scenario.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 >"$log" 2>&1
  rc=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    echo "fuzz $target: ok, ${runs:-?} runs in ${SECONDS_EACH} s"
  else
    failed=$((failed + 1))
    # What libFuzzer said about the failure: the panic and the input it kept.
    grep -E "panicked|ERROR|SUMMARY|Test unit written|Base64" "$log" | head -20
    echo "fuzz $target: FAILED (exit $rc) after ${runs:-?} runs; the input is in fuzz/artifacts/$target/"
  fi
  rm -rf "$scratch"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
