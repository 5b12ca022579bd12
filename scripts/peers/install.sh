#!/usr/bin/env bash
# Installs the ONNX Runtime reference peer (npm onnxruntime-node, the version pinned in package-lock.json) into
# scripts/peers/node_modules, for scripts/peers/ort_run.mjs and the ONNX export tests. Idempotent and silent when
# already installed; a test and benchmark tool, never a runtime dependency of the plugin.
# The package ships its native library inside; its install script (a download) is skipped: --ignore-scripts.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$HERE"

installed() {
  node -e '
    const lock = require("./package-lock.json").packages["node_modules/onnxruntime-node"].version;
    const have = require("./node_modules/onnxruntime-node/package.json").version;
    process.exit(lock === have ? 0 : 1);' 2>/dev/null &&
    compgen -G "node_modules/onnxruntime-node/bin/napi-v*/linux/x64/libonnxruntime.so*" >/dev/null
}

command -v node >/dev/null || { echo "peers: node is required for the ONNX Runtime peer (Debian: apt-get install nodejs npm)" >&2; exit 1; }
installed && exit 0
command -v npm >/dev/null || { echo "peers: npm is required to install onnxruntime-node (Debian: apt-get install npm)" >&2; exit 1; }

# One installer at a time (parallel test runs): the second waits, then finds the package present.
exec 9>"${TMPDIR:-/tmp}/visionplugin-peers-install.lock"
command -v flock >/dev/null && flock 9
installed && exit 0
echo "peers: installing onnxruntime-node into $HERE/node_modules" >&2
if ! log=$(npm ci --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1); then
  echo "$log" >&2
  echo "peers: npm ci failed; onnxruntime-node is not installed" >&2
  exit 1
fi
installed || { echo "peers: onnxruntime-node installed but its native library is missing under node_modules/onnxruntime-node/bin" >&2; exit 1; }
