#!/usr/bin/env bash
# Fetches the pretrained models VisionPlugin imports into the local model cache, checksum-verified and
# idempotent: quiet and instant when the cache already holds valid copies.
#
#   mobilenet_v2  nsfwjs 4.3.0 (npm, MIT) dist/models/mobilenet_v2/: a Keras MobileNetV2 saved as a
#                 TensorFlow.js layers model (model.min.js + one base64 weight shard, uint8-quantized).
#                 The plugin imports only its 1280-d feature trunk (see Engine/TfJs/PretrainedZoo.cs).
#
# Cache: $VISIONPLUGIN_MODEL_CACHE, else $XDG_CACHE_HOME/visionplugin/models, else ~/.cache/visionplugin/models.
# Layout: <cache>/nsfwjs-4.3.0/mobilenet_v2/{model.min.js,group1-shard1of1.min.js}
# Usage: scripts/fetch-models.sh        (called by scripts/setup.sh)
set -euo pipefail

PACKAGE="nsfwjs@4.3.0"
TARBALL="nsfwjs-4.3.0.tgz"
# SHA-256 of the package tarball as published, and of the two files the plugin reads from it.
TARBALL_SHA256="4496790efc9bdc6f3e85a826a8e482c1fa1e9db4b3d18c095e98cc0c73cfb12f"
MODEL_SUBDIR="nsfwjs-4.3.0/mobilenet_v2"
FILES=(model.min.js group1-shard1of1.min.js)
FILE_SHA256=(
  c32f104fd562b08cdff5ed69dfe1209643afa47e792fb12751d2949aa61a397a
  ef2e0a63f7d2c4960b37b024b669313f65d3c45cd59e9042636c55b39de53517
)

CACHE="${VISIONPLUGIN_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/visionplugin/models}"
TARGET="$CACHE/$MODEL_SUBDIR"

# True when every file is present with its recorded checksum.
valid() {
  local dir="$1" i
  for i in "${!FILES[@]}"; do
    [[ -f "$dir/${FILES[$i]}" ]] || return 1
    [[ "$(sha256sum "$dir/${FILES[$i]}" | cut -d' ' -f1)" == "${FILE_SHA256[$i]}" ]] || return 1
  done
}

if valid "$TARGET"; then exit 0; fi

command -v npm >/dev/null || { echo "fetch-models: npm is required to fetch $PACKAGE (Debian package npm)" >&2; exit 1; }
echo "fetch-models: fetching $PACKAGE into $CACHE" >&2
mkdir -p "$CACHE"
work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack "$PACKAGE" --loglevel=error >/dev/null 2>"$work/npm.log") || {
  cat "$work/npm.log" >&2
  echo "fetch-models: npm pack $PACKAGE failed" >&2
  exit 1
}
actual=$(sha256sum "$work/$TARBALL" | cut -d' ' -f1)
if [[ "$actual" != "$TARBALL_SHA256" ]]; then
  echo "fetch-models: $TARBALL has SHA-256 $actual; expected $TARBALL_SHA256 (refusing it)" >&2
  exit 1
fi

mkdir -p "$work/out"
tar -xzf "$work/$TARBALL" -C "$work/out" --strip-components=4 \
  "${FILES[@]/#/package/dist/models/mobilenet_v2/}"
valid "$work/out" || { echo "fetch-models: files extracted from $TARBALL do not match their checksums" >&2; exit 1; }

# Atomic publish: rename the verified folder into place (replacing a stale or damaged copy).
mkdir -p "$(dirname "$TARGET")"
rm -rf "$TARGET.old"
[[ -e "$TARGET" ]] && mv "$TARGET" "$TARGET.old"
mv "$work/out" "$TARGET"
rm -rf "$TARGET.old"
echo "fetch-models: mobilenet_v2 ready in $TARGET" >&2
