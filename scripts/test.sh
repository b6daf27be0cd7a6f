#!/usr/bin/env bash
# README command (b): install what is missing, build, run every test suite with CTest, then the
# hostile-input checks: the suites of the readers under ASan + UBSan with a mutation campaign
# (scripts/sanitize.sh) and a bounded libFuzzer run of every reader (scripts/fuzz.sh), seeded so each run is the same.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
scripts/sanitize.sh
SALIENCY_FUZZ_SEED=${SALIENCY_FUZZ_SEED:-1} SALIENCY_FUZZ_SECONDS=${SALIENCY_FUZZ_SECONDS:-60} scripts/fuzz.sh
