# Sourced by build.sh and test.sh: sets NODE to the project's Node 20 and exports it as
# STREAMLAB_NODE (and STREAMLAB_NODE20, which the Node oracle reads).
# Node is `node` from PATH, or $STREAMLAB_NODE; it must be major version 20, the lesson's and the
# contract's version. node_modules/.bin is never put on PATH by the project's scripts.
find_node() {
  local node="${STREAMLAB_NODE:-$(command -v node || true)}" major
  if [ -z "$node" ]; then
    echo "streamlab: no node on PATH; install Node.js 20 or set STREAMLAB_NODE to a Node 20 binary" >&2
    exit 1
  fi
  major="$("$node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true)"
  if [ "$major" != 20 ]; then
    echo "streamlab: $node is Node ${major:-?}, and the project needs Node 20: put a Node 20 first on PATH or set STREAMLAB_NODE" >&2
    exit 1
  fi
  NODE="$node"
  # Tools that run `node` themselves (wasm-bindgen-test-runner) must find this one too.
  if [ "$(command -v node || true)" != "$node" ]; then PATH="$(dirname "$node"):$PATH"; fi
  export STREAMLAB_NODE="$node" STREAMLAB_NODE20="$node"
}
