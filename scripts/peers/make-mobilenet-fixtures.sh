#!/usr/bin/env bash
# Regenerates tests/VisionPlugin.Tests/Fixtures/mobilenet_v2/ with the TensorFlow.js reference peer.
# Needs: the model cache (scripts/fetch-models.sh), apt (downloads python3-skimage's .deb without installing it,
# for six public-domain / CC0 sample photos), npm and node. Developer tool; tests and CI only read the fixtures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PEERS="$ROOT/scripts/peers/tfjs"
OUT="$ROOT/tests/VisionPlugin.Tests/Fixtures/mobilenet_v2"
SKIMAGE_VERSION="0.19.3-8"

"$ROOT/scripts/fetch-models.sh"
CACHE="${VISIONPLUGIN_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/visionplugin/models}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -qq "python3-skimage=$SKIMAGE_VERSION" 2>/dev/null) || {
  echo "make-mobilenet-fixtures: apt-get download python3-skimage=$SKIMAGE_VERSION failed (run apt-get update?)" >&2
  exit 1
}
dpkg-deb -x "$work"/python3-skimage_*.deb "$work/skimage"
DATA="$work/skimage/usr/lib/python3/dist-packages/skimage/data"

(cd "$PEERS" && npm install --ignore-scripts --no-package-lock --no-audit --no-fund --silent)
node "$PEERS/mobilenet_features.mjs" --model-dir "$CACHE/nsfwjs-4.3.0/mobilenet_v2" --out "$OUT" \
  astronaut="$DATA/astronaut.png" \
  chelsea="$DATA/chelsea.png" \
  coffee="$DATA/coffee.png" \
  rocket="$DATA/rocket.jpg" \
  hubble_deep_field="$DATA/hubble_deep_field.jpg" \
  retina="$DATA/retina.jpg"
