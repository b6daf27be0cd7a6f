#!/usr/bin/env bash
# Configures (Release, Ninja) and builds everything into build/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build_type=${CMAKE_BUILD_TYPE:-Release}
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type"
fi
cmake --build build -j"$(nproc)"
