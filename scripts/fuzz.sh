#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers with clang's libFuzzer (docs/formats.md, "Fuzzing"):
# builds the fuzz targets into build-fuzz/ (AddressSanitizer + UBSan), makes their seed corpus from
# the demo data, runs every input kept in fuzz/regressions/ once, then fuzzes each target for
# SALIENCY_FUZZ_SECONDS (default 45) with a 2.5 GB memory limit and a 30 s limit per input.
# Any crash, leak, hang or memory blow-up fails the run; its input is left in build-fuzz/artifacts/
# (copy it to fuzz/regressions/TARGET/ once fixed). Needs the main build (scripts/build.sh) for the
# seeds. Usage: scripts/fuzz.sh [TARGET...]
#
# With SALIENCY_FUZZ_SEED set (scripts/test.sh, CI), each target starts from an empty corpus with
# that random seed and stops after a fixed number of inputs (about 35 s here, SALIENCY_FUZZ_SECONDS
# at most): the same campaign every run, so a test run passes or fails on the code, not on luck.
# Without it, a campaign explores further each time from the corpus kept in build-fuzz/corpus/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${SALIENCY_FUZZ_SECONDS:-45}
seed=${SALIENCY_FUZZ_SEED:-}
declare -A fixed_runs=([image]=200000 [dicom]=15000 [nifti]=250000 [json]=200000 [zip]=40000
                       [project]=35000 [marks_csv]=600000)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image dicom nifti json zip project marks_csv)

if [ ! -f build-fuzz/CMakeCache.txt ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DSALIENCY_BUILD_GUI=OFF -DSALIENCY_BUILD_TESTS=OFF -DSALIENCY_FUZZ=ON >/dev/null
fi
cmake --build build-fuzz --target fuzzers -j"$(nproc)"
fuzz/make-seeds.sh build-fuzz/seeds
# The readers take files: keep the scratch copies in RAM where there is a RAM disk.
if [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
mkdir -p build-fuzz/artifacts build-fuzz/logs

failed=()
printf '%-12s %10s %8s %8s %8s\n' target executions "exec/s" corpus "peak MB"
for target in "${targets[@]}"; do
  program=build-fuzz/fuzz/fuzz_$target
  log=build-fuzz/logs/$target.log
  # The memory limit is on resident memory (2.5 GB). One reservation may be larger: for a deflated
  # DICOM, DCMTK reserves an element's declared length (below 4 GiB) before it finds the stream
  # short, and never touches those pages (fuzz/regressions/dicom/deflated-element-3gb.dcm: 188 MB).
  limits=(-rss_limit_mb=2560 -malloc_limit_mb=4096 -timeout=30 -artifact_prefix="build-fuzz/artifacts/$target-")
  regressions=(fuzz/regressions/"$target"/*)
  if [ -e "${regressions[0]}" ] && ! "$program" "${limits[@]}" "${regressions[@]}" >"$log.regressions" 2>&1; then
    echo "fuzz: $target fails on a kept regression input:"; tail -n 30 "$log.regressions"; failed+=("$target")
    continue
  fi
  corpus=build-fuzz/corpus/$target
  campaign=(-max_total_time="$seconds")
  if [ -n "$seed" ]; then
    corpus=build-fuzz/corpus-seed-$seed/$target
    rm -rf "$corpus"
    campaign+=(-seed="$seed" -runs="${fixed_runs[$target]}")
  fi
  mkdir -p "$corpus"
  if ! "$program" "${limits[@]}" "${campaign[@]}" -print_final_stats=1 "$corpus" \
       "build-fuzz/seeds/$target" >"$log" 2>&1; then
    echo "fuzz: $target found a problem:"; grep -v '^\*\* ERROR' "$log" | tail -n 40; failed+=("$target")
    continue
  fi
  stat() { sed -n "s/^stat::$1: *//p" "$log"; }
  printf '%-12s %10s %8s %8s %8s\n' "$target" "$(stat number_of_executed_units)" \
    "$(stat average_exec_per_sec)" "$(find "$corpus" -type f | wc -l)" "$(stat peak_rss_mb)"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]} (inputs in build-fuzz/artifacts/, logs in build-fuzz/logs/)"
  exit 1
fi
what="${seconds} s each"
[ -z "$seed" ] || what="seed $seed, a fixed number of inputs each"
echo "fuzz: ${#targets[@]} targets, $what: no crash, leak, hang or run over 2.5 GB"
