#!/usr/bin/env bash
# Runs every Streamlab test, installing and building what it needs first
# (./build.sh install-test, then ./build.sh build).
# Stages: the formatters and linters (cargo fmt, clippy on both targets, Biome), native cargo
# tests, wasm32 cargo tests (wasm-bindgen-test-runner under Node), a short fuzzing run
# (tools/fuzz-smoke.sh), node --test files under tests/, and the differential test against Node.
# Ends with one line "N passed, N failed" and exits non-zero if anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# shellcheck source=tools/find-node.sh
. "$ROOT/tools/find-node.sh"
find_node

# Chromium (playwright and chromedriver) leaves profile dirs in $TMPDIR; keep them in one
# job-local folder that is removed at the end. It must lie outside the repo: the
# wasm-bindgen-test-runner writes CommonJS glue there, and under our package.json
# ("type": "module") Node would load it as ESM and fail ("exports is not defined").
JOBTMP="$(mktemp -d "${TMPDIR:-/tmp}/streamlab-test.XXXXXX")"
mkdir -p "$JOBTMP/logs"
export TMPDIR="$JOBTMP"
trap 'rm -rf "$JOBTMP"' EXIT

PASSED=0
FAILED=0
SUMMARY=()

header() { printf '\n======== %s ========\n' "$*"; }

# stage [--one] NAME COMMAND...: runs it, shows its output, adds its counts to the totals.
# --one: a command that may print no count line counts as one test, passed or failed by its exit.
stage() {
  local one=0
  if [ "$1" = --one ]; then one=1; shift; fi
  local name="$1"; shift
  local log="$JOBTMP/logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' '_').log"
  header "$name"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local p f
  read -r p f < <(count "$log")
  # A runner that failed without reporting a failed test (compile error, crash) still fails.
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  if [ "$one" = 1 ] && [ "$rc" -eq 0 ] && [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then p=1; fi
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  SUMMARY+=("$(printf '%-32s %4d passed, %d failed, exit %d, %d s' "$name" "$p" "$f" "$rc" $((SECONDS - t0)))")
}

# Prints "passed failed" read from a runner's closing lines:
#   cargo:            test result: ok. 3 passed; 0 failed; ...   (one per test binary: summed)
#   node --test spec: ℹ pass 3 / ℹ fail 0;  TAP: # pass 3 / # fail 0
#   anything else:    a plain "N passed, N failed" line
count() {
  awk '
    /^test result: / {
      for (i = 1; i <= NF; i++) {
        if ($(i) ~ /^passed;?$/) cp += $(i-1)
        if ($(i) ~ /^failed;?$/) cf += $(i-1)
      }
      cargo = 1; next
    }
    /^(ℹ|#) pass [0-9]+$/ { np = $3; node = 1; next }
    /^(ℹ|#) fail [0-9]+$/ { nf = $3; node = 1; next }
    /^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed/ {
      line = $0; sub(/^[A-Za-z]+: /, "", line); split(line, w, /[ ,]+/)
      pp = w[1]; pf = w[3]; plain = 1; next
    }
    END {
      if (cargo) print cp + 0, cf + 0
      else if (node) print np + 0, nf + 0
      else if (plain) print pp + 0, pf + 0
      else print 0, 0
    }' "$1"
}

header "install and build (./build.sh install-test, ./build.sh build)"
if ! bash ./build.sh install-test || ! bash ./build.sh build; then
  echo "build failed: no tests run"
  echo "0 passed, 1 failed"
  exit 1
fi

# Formatting and lint, each one test: a clean tree passes, anything to fix fails.
stage --one "cargo fmt --check" cargo fmt --all --check
stage --one "clippy (native)" cargo clippy --workspace --all-targets --quiet -- -D warnings
stage --one "clippy (wasm32)" cargo clippy --workspace --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings
stage --one "biome check (JS lint + format)" "$NODE" node_modules/@biomejs/biome/bin/biome check --error-on-warnings .

# --no-fail-fast: run every test binary even after one fails, so the counts are complete.
stage "cargo test (native)" cargo test --workspace --no-fail-fast

# NEVER -q here: cargo passes --quiet on to wasm-bindgen-test-runner, which rejects it.
stage "cargo test (wasm32)" env \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown -p streamlab --tests --no-fail-fast

# Fuzzing, briefly: each cargo-fuzz target (fuzz/, nightly) for 25 s over its kept corpus;
# a crash or a broken invariant fails it and keeps the input in fuzz/artifacts/.
stage "fuzz smoke (cargo-fuzz)" bash tools/fuzz-smoke.sh

# Node 20's --test takes no globs, so list the files; tests/ holds no node_modules.
# program-streams.test.mjs has its own stage below: its 350+ programs outlast --test-timeout,
# which node --test applies to each file as a whole.
mapfile -t NODE_TESTS < <(find tests -name node_modules -prune -o -name '*.test.mjs' \
  ! -name program-streams.test.mjs -print | sort)
if [ "${#NODE_TESTS[@]}" -gt 0 ]; then
  stage "node --test (${#NODE_TESTS[@]} files)" "$NODE" --test --test-reporter=spec \
    --test-timeout=300000 "${NODE_TESTS[@]}"
else
  header "node --test"
  echo "no *.test.mjs files under tests/"
fi

# The stream corpus and 300 generated stream programs (seeded by the UTC date unless
# STREAMLAB_SEED is set), under streamlab-exec and Node 20 (outputs and stream traces), then the
# corpus and 100 of them under Node 22; failures stay in tests/artifacts/programs.
stage "stream programs (Node vs streamlab-exec)" "$NODE" --test --test-reporter=spec \
  --test-timeout=1200000 tests/node/program-streams.test.mjs

# The seed is the UTC date unless STREAMLAB_SEED is set: each day covers new scenarios, and a
# failure prints the seed that replays it. --out: failing scenarios must outlive $JOBTMP.
rm -rf tests/artifacts/differential
stage --one "differential (Node vs streamlab)" "$NODE" tests/node/differential.mjs \
  --seed "${STREAMLAB_SEED:-$(date -u +%Y%m%d)}" --count 1000 \
  --runner "target/release/streamlab run" --out tests/artifacts/differential

header "summary"
printf '%s\n' "${SUMMARY[@]}"
echo "total time: $SECONDS s"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
