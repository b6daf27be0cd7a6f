#!/usr/bin/env bash
# README command (a): install what is missing, build, make the demo data set, describe it, evaluate the
# demo models on it, and open the app.
# Options: --count N (demo scans, default 600), --no-gui (stop after describing the data set).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
count=600
gui=1
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --no-gui) gui=0; shift ;;
    *) echo "demo.sh: unknown option $1 (options: --count N, --no-gui)" >&2; exit 2 ;;
  esac
done

scripts/setup.sh
scripts/build.sh

data=.cache/demo-data
if [ ! -f "$data/.complete-$count" ]; then
  # Generate beside the target and rename, so an interrupted run never leaves a half data set.
  rm -rf "$data.partial" "$data"
  build/app/saliency-cli demo-data --out "$data.partial" --count "$count" --seed 1
  touch "$data.partial/.complete-$count"
  mv "$data.partial" "$data"
fi
build/app/saliency-cli dataset-info --data "$data"

# The demo models (trained on another demo set by scripts/make-demo-models.sh) on these scans.
model_args=()
for model in models/*-demo.pt; do
  [ -f "$model" ] || continue
  echo "== $model on $data"
  build/app/saliency-cli evaluate --model "$model" --data "$data" --csv "$data/predictions-$(basename "$model" .pt).csv"
  model_args+=(--model "$model")
done

if [ "$gui" = 1 ]; then
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    exec build/app/saliency-studio --data "$data" "${model_args[@]}"
  else
    echo "No display: to look at the app headless, run"
    echo "  xvfb-run -s '-screen 0 1600x1000x24' build/app/saliency-studio --data $data ${model_args[*]} --screenshot studio.png --size 1600x1000"
  fi
fi
