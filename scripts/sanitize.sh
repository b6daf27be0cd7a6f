#!/usr/bin/env bash
# AddressSanitizer + UBSan (GCC) over the hostile-input side of the project (docs/formats.md,
# "Fuzzing"): builds build-sanitize/, runs the suites of the readers, checkpoints, CSV/JSON and
# metrics, then a seeded mutation campaign (fuzz/MutationDriver.cpp) over every fuzz target,
# LibTorch's checkpoint loading included, which clang's libFuzzer build cannot compile.
# Needs the main build (scripts/build.sh) for the seeds. Usage: scripts/sanitize.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mutants=${SALIENCY_MUTANTS:-80}
tests=(test_common test_io test_data test_metrics test_checkpoint)
mutators=(image dicom nifti json zip checkpoint model_card)

if [ ! -f build-sanitize/CMakeCache.txt ]; then
  cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Release -DSALIENCY_BUILD_GUI=OFF \
    -DSALIENCY_SANITIZE=ON >/dev/null
fi
cmake --build build-sanitize -j"$(nproc)" --target "${tests[@]}" "${mutators[@]/#/mutate_}"

# Leaks are errors too (none is suppressed).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build-sanitize --output-on-failure -R "^($(IFS='|'; echo "${tests[*]}"))\$"

[ -d build-fuzz/seeds ] || fuzz/make-seeds.sh build-fuzz/seeds
if [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
total=0
for target in "${mutators[@]}"; do
  seeds=(build-fuzz/seeds/"$target")
  [ -d "fuzz/regressions/$target" ] && seeds+=("fuzz/regressions/$target")
  # The checkpoint has one seed (the demo cnn4): more mutants of it.
  count=$mutants && [ "$target" = checkpoint ] && count=$((mutants * 4))
  line=$("build-sanitize/fuzz/mutate_$target" --mutants "$count" --seed 1 --max-rss-mb 2560 \
           --out "build-sanitize/mutation/$target" "${seeds[@]}" 2>"build-sanitize/mutation-$target.log" | tail -n 1) || {
    echo "sanitize: mutate_$target failed:"; grep -v '^\*\* ERROR' "build-sanitize/mutation-$target.log" | tail -n 40
    exit 1
  }
  echo "mutate_$target: ${line#mutation driver: }"
  total=$((total + $(echo "$line" | sed -n 's/^mutation driver: \([0-9]*\) inputs.*/\1/p')))
done
echo "sanitize: ${#tests[@]} suites clean; $total mutated inputs over ${#mutators[@]} targets, no finding"
