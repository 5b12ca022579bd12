#!/usr/bin/env bash
# Builds the host's native OpenCV shim (Host/Native/opencv_shim -> Host/Native/build/libvp_opencv_shim.so) with CMake.
# Idempotent and quiet: prints nothing when the library is up to date, the build log only when the build fails.
# Called by scripts/setup.sh and by the Host project's build (Host/VisionPlugin.Host.csproj, target BuildOpenCvShim).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source_dir="$root/Host/Native/opencv_shim"
build_dir="$root/Host/Native/build"
library="$build_dir/libvp_opencv_shim.so"

for tool in cmake g++; do
  command -v "$tool" >/dev/null || { echo "build-native: '$tool' is missing; run scripts/setup.sh (installs cmake, g++ and OpenCV)" >&2; exit 1; }
done

# Up to date: the library is newer than every source file and this script.
if [[ -f "$library" && -z "$(find "$source_dir" "${BASH_SOURCE[0]}" -newer "$library" -type f -print -quit)" ]]; then
  exit 0
fi

mkdir -p "$build_dir"
log="$build_dir/build.log"
if ! { cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release && cmake --build "$build_dir" --parallel; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "build-native: building $library failed (log above, also in $log); run scripts/setup.sh to install OpenCV and CMake" >&2
  exit 1
fi
touch "$library"
