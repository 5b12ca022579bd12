#!/usr/bin/env bash
# Installs what VisionPlugin needs on Debian 12, idempotently and quietly when already present:
#   Mesa's EGL + OpenGL (llvmpipe when there is no GPU) for headless compute, and the
#   Fashion-MNIST data set (Debian dataset-fashion-mnist, /usr/share/datasets/fashion-mnist).
# Usage: scripts/setup.sh            (called by ./visionplugin and the test command)
set -euo pipefail

# Mesa EGL/GL for compute; Fashion-MNIST IDX files for the training command and its test;
# GLFW + Xvfb for the window (tests and headless machines run it under Xvfb);
# OpenCV 4.6 headers/libs + CMake/g++ for the capture shim; GStreamer's base plugins (videotestsrc, the camera stand-in).
APT_PACKAGES=(libegl1 libegl-mesa0 libgl1-mesa-dri libgles2 libglx-mesa0 dataset-fashion-mnist
  libglfw3 xvfb xauth xdotool
  cmake g++ libopencv-core-dev libopencv-imgproc-dev libopencv-videoio-dev libopencv-imgcodecs-dev
  gstreamer1.0-plugins-base lomiri-wallpapers-16.04)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET SDK (dotnet) is required" >&2; exit 1; }

"$(dirname "${BASH_SOURCE[0]}")/build-native.sh"  # the OpenCV capture shim (CMake; quiet when up to date)
# Pretrained backbone (nsfwjs MobileNetV2, checksum-verified) into the model cache; quiet when present.
"$(dirname "${BASH_SOURCE[0]}")/fetch-models.sh"
# ONNX Runtime reference peer for the ONNX export tests (optional for the plugin itself; the tests fail clearly without it).
"$(dirname "${BASH_SOURCE[0]}")/peers/install.sh" || echo "setup: onnxruntime-node peer not installed; the ONNX export tests will fail" >&2
