#!/usr/bin/env bash
# Streamlab build script.
#   ./build.sh              install what serving needs, then build everything into dist/
#   ./build.sh install      only install what serving needs (idempotent: each step checks first)
#   ./build.sh install-test also install what testing needs (Chromium, test npm packages, Node 22)
#   ./build.sh build        only build (assumes the tools are there)
#   ./build.sh serve [PORT] install + build, then serve dist/ on http://127.0.0.1:PORT/ (default 8080)
#   ./build.sh lab          only build the code lab's wasm (Boa + the core, `runProgram`) into
#                           www/lab-pkg (part of `build`; its first build takes 5-10 min on 2 cores)
#   ./build.sh site         only assemble dist/ from what is built (page-only changes, no cargo)
# Node is `node` from PATH (or $STREAMLAB_NODE) and must be major version 20.
# Versions and the reasons behind each step: docs/TOOLCHAIN.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export DEBIAN_FRONTEND=noninteractive

WASM_TARGET=wasm32-unknown-unknown
CRATE=streamlab
CARGO_FUZZ_VERSION=0.13.2

say() { printf '==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# shellcheck source=tools/find-node.sh
. "$ROOT/tools/find-node.sh"
find_node

# The wasm-bindgen version the crate resolved to (Cargo.lock); the CLI must match it exactly.
# Without a lock (and while the crate cannot be resolved) the "=x.y.z" pin in crate/Cargo.toml.
wasm_bindgen_version() {
  if [ -f Cargo.lock ]; then
    grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p' | head -1
  else
    sed -n 's/^wasm-bindgen *= *"=\([0-9.]*\)".*/\1/p' crate/Cargo.toml | head -1
  fi
}

install_wasm_bindgen_cli() {
  local v="$1" d src
  # `cargo install --locked` fails: its lock wants webpki-roots 1.0.11, which the registry
  # reachable here does not serve. Fetch the source, pin that one crate to 1.0.10, then
  # install --locked from the path, so every other dependency stays as upstream locked it.
  d="$(mktemp -d)"
  # One && chain: set -e does not apply inside an if condition.
  if (cd "$d" && cargo new -q --lib fetch &&
    (cd fetch && cargo add -q "wasm-bindgen-cli@=$v" && cargo fetch -q) &&
    src="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"wasm-bindgen-cli-$v" | head -1)" &&
    [ -n "$src" ] && cp -r "$src" wbcli && cd wbcli &&
    cargo update -q -p webpki-roots --precise 1.0.10 &&
    cargo install --path . --locked); then
    :
  else
    # Fallback: let cargo resolve the dependencies itself (slower, not pinned, but works).
    say "pinned install failed; trying plain cargo install wasm-bindgen-cli =$v"
    cargo install wasm-bindgen-cli --version "=$v"
  fi
  rm -rf "$d"
}

do_install() {
  # Not in the image; rustup's own dist server has it.
  if rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "rust target $WASM_TARGET: present"
  else
    say "rustup target add $WASM_TARGET"
    rustup target add "$WASM_TARGET"
  fi

  local want have
  if [ ! -f Cargo.lock ]; then
    say "no Cargo.lock: cargo generate-lockfile"
    cargo generate-lockfile || say "could not generate Cargo.lock; using the pin in crate/Cargo.toml"
  fi
  want="$(wasm_bindgen_version)"
  [ -n "$want" ] || { echo "build.sh: no wasm-bindgen version in Cargo.lock or crate/Cargo.toml" >&2; exit 1; }
  have="$(wasm-bindgen --version 2>/dev/null || true)"
  if [ "$have" = "wasm-bindgen $want" ]; then
    say "wasm-bindgen-cli $want: present"
  else
    say "installing wasm-bindgen-cli $want (have: ${have:-none}; takes 2-7 min)"
    install_wasm_bindgen_cli "$want"
  fi

  # Serving needs only the build's npm packages ("dependencies"); the test tools are
  # devDependencies. npm ci writes node_modules/.package-lock.json; older than
  # package-lock.json = stale. An install that has the test tools serves as well.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci --omit=dev (the build's packages)"
    npm ci --omit=dev --no-audit --no-fund
  else
    say "node_modules: up to date"
  fi
}

# What only the tests need: Chromium for the browser tests, the npm devDependencies
# (playwright-core, Biome), a Node 22 binary for "node": 22 scenarios, kept in tests/node22/
# so that it is never first on anyone's PATH, and cargo-fuzz with a nightly toolchain.
do_install_test() {
  local chromium="${CHROMIUM:-$(command -v chromium || true)}"
  if [ -z "$chromium" ]; then
    say "installing chromium (apt; needs root or sudo)"
    as_root apt-get update -qq
    as_root apt-get install -y -qq chromium
  else
    say "chromium: $("$chromium" --version 2>/dev/null | head -1)"
  fi

  if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci (with the test tools)"
    npm ci --no-audit --no-fund
  else
    say "node_modules (with the test tools): up to date"
  fi

  if [ ! -f tests/node22/node_modules/.package-lock.json ] ||
    [ tests/node22/package-lock.json -nt tests/node22/node_modules/.package-lock.json ]; then
    say "npm ci in tests/node22 (Node 22 for \"node\": 22 scenarios)"
    npm ci --prefix tests/node22 --no-audit --no-fund
  else
    say "tests/node22: up to date"
  fi

  # The fuzz smoke stage (tools/fuzz-smoke.sh): cargo-fuzz, whose targets build on nightly only.
  if rustup toolchain list | grep -q '^nightly-'; then
    say "rust nightly: present ($(rustc +nightly --version))"
  else
    say "rustup toolchain install nightly (for cargo-fuzz)"
    rustup toolchain install nightly --profile minimal
  fi
  if cargo fuzz --version >/dev/null 2>&1; then
    say "cargo-fuzz: $(cargo fuzz --version)"
  else
    say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 4 min on 2 busy cores)"
    cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION"
  fi
}

# Vendored browser libraries: node_modules path -> www/vendor name. Classic (non-module) builds,
# loaded with <script src>; each sets a global (uPlot, markdownit, DOMPurify, jsyaml).
VENDOR=(
  "uplot/dist/uPlot.iife.min.js:uPlot.iife.min.js"
  "uplot/dist/uPlot.min.css:uPlot.min.css"
  "markdown-it/dist/browser/markdown-it.umd.min.js:markdown-it.min.js"
  "dompurify/dist/purify.min.js:purify.min.js"
  "js-yaml/dist/js-yaml.min.js:js-yaml.min.js"
)

# What goes into the web root, relative paths kept so dist/ is servable as-is.
# Add new top-level page files or folders here.
SITE=(index.html embed.html www)

do_build() {
  local t0=$SECONDS
  say "cargo build --release --target $WASM_TARGET -p $CRATE"
  cargo build --release --target "$WASM_TARGET" -p "$CRATE" --lib  # --lib: the bin would collide with the lib on wasm32

  say "wasm-bindgen --target web -> www/pkg"
  rm -rf www/pkg
  wasm-bindgen --target web --out-dir www/pkg "target/$WASM_TARGET/release/$CRATE.wasm"

  # npm binaryen, never Debian's (108 rewrites externref tables and breaks the glue).
  say "wasm-opt -Oz"
  "$NODE" node_modules/binaryen/bin/wasm-opt -Oz "www/pkg/${CRATE}_bg.wasm" -o "www/pkg/${CRATE}_bg.opt.wasm"
  mv "www/pkg/${CRATE}_bg.opt.wasm" "www/pkg/${CRATE}_bg.wasm"

  say "cargo build --release (native runner target/release/$CRATE)"
  cargo build --release -p "$CRATE"

  say "vendoring browser libraries -> www/vendor"
  rm -rf www/vendor
  mkdir -p www/vendor
  local entry from to
  for entry in "${VENDOR[@]}"; do
    from="node_modules/${entry%%:*}"
    to="www/vendor/${entry##*:}"
    cp "$from" "$to"
  done
  # Licences travel with the vendored code.
  for lib in uplot markdown-it dompurify js-yaml; do
    cp "node_modules/$lib/LICENSE" "www/vendor/LICENSE.$lib"
  done
  # The Code view's editor (CodeMirror 6): one ES module the page imports when a Code view opens.
  say "bundling the code editor -> www/vendor/code-editor/"
  "$NODE" tools/build-editor.mjs

  # The code lab's engine, which the Code view loads when a learner runs code.
  do_build_lab

  do_site
  say "built in $((SECONDS - t0)) s: dist/ ($(du -sh dist | cut -f1)), wasm $(stat -c %s "www/pkg/${CRATE}_bg.wasm") bytes"
}

# dist/ from what is built: the page's files, the contract and the offline file (no cargo),
# for page-only changes once `./build.sh build` has run.
do_site() {
  say "assembling dist/"
  rm -rf dist
  mkdir -p dist
  local item
  for item in "${SITE[@]}"; do
    if [ -e "$item" ]; then cp -r "$item" dist/; fi
  done
  [ -f dist/index.html ] || { echo "build.sh: no index.html in dist/" >&2; exit 1; }
  # The contract, served for course authors (www/embedding.html links it).
  mkdir -p dist/docs
  cp docs/SCENARIO.md dist/docs/SCENARIO.md

  say "single file for offline use -> dist/streamlab-offline.html"
  "$NODE" tools/build-single.mjs
}

# The code lab's engine (crate/js): a second wasm, so the scenario wasm never links Boa.
do_build_lab() {
  local t0=$SECONDS
  say "cargo build --profile lab --target $WASM_TARGET -p streamlab-js --lib"
  cargo build --profile lab --target "$WASM_TARGET" -p streamlab-js --lib
  # wasm-opt takes minutes on this wasm: skip it when the engine has not changed since.
  local built="target/$WASM_TARGET/lab/streamlab_js.wasm"
  if [ -f www/lab-pkg/streamlab_js_bg.wasm ] && [ www/lab-pkg/streamlab_js_bg.wasm -nt "$built" ]; then
    say "lab: www/lab-pkg is newer than the engine's build; kept"
    return
  fi
  rm -rf www/lab-pkg
  wasm-bindgen --target web --out-dir www/lab-pkg "target/$WASM_TARGET/lab/streamlab_js.wasm"
  say "wasm-opt -Oz (lab)"
  "$NODE" node_modules/binaryen/bin/wasm-opt -Oz www/lab-pkg/streamlab_js_bg.wasm -o www/lab-pkg/streamlab_js_bg.opt.wasm
  mv www/lab-pkg/streamlab_js_bg.opt.wasm www/lab-pkg/streamlab_js_bg.wasm
  say "lab built in $((SECONDS - t0)) s: $(stat -c %s www/lab-pkg/streamlab_js_bg.wasm) bytes, $(gzip -9 -c www/lab-pkg/streamlab_js_bg.wasm | wc -c) gzipped"
}

cmd="${1:-all}"
case "$cmd" in
  install) do_install ;;
  install-test) do_install; do_install_test ;;
  build) do_build ;;
  lab) do_build_lab ;;
  site) do_site ;;
  all) do_install; do_build ;;
  serve)
    port="${2:-8080}"
    do_install
    do_build
    exec "$NODE" tools/serve.mjs dist "$port"
    ;;
  *)
    echo "usage: $0 [install|install-test|build|lab|serve [PORT]]" >&2
    exit 2
    ;;
esac
