#!/usr/bin/env bash
# Reproduces the demo checkpoints in models/ from the demo data (CPU; about 15 minutes on 2 idle cores).
# A checkpoint already there is kept: delete it to train it again.
# Each checkpoint's model card records the exact `saliency-cli train` command that made it.
# The training set (seed 11) is not the set README command (a) shows (seed 1), so the app
# shows the models on scans they never saw.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli=build/app/saliency-cli
[ -x "$cli" ] || scripts/build.sh

data=.cache/demo-train
if [ ! -f "$data/.complete" ]; then
  rm -rf "$data"
  "$cli" demo-data --out "$data" --count 800 --seed 11 --size 128
  touch "$data/.complete"
fi

mkdir -p models
[ -f models/cnn4-demo.pt ] || "$cli" train --data "$data" --arch cnn4 --image-size 128 --epochs 25 --batch 16 --lr 0.002 \
  --schedule cosine --patience 6 --seed 1 --out models/cnn4-demo.pt
# EfficientNet-B0 at 96 px: the one torchvision-family network under the 40 MB budget (16 MB).
# From scratch on 560 training scans it learns slowly: many epochs at a higher learning rate, on
# the cnn4 model's split so that the two are tested on the same scans (about 10 min on 2 idle cores).
[ -f models/efficientnet-b0-demo.pt ] || "$cli" train --data "$data" --arch efficientnet-b0 --image-size 96 \
  --epochs 60 --batch 32 --lr 0.001 --schedule cosine --patience 15 --seed 1 \
  --split models/cnn4-demo.pt.split.json --out models/efficientnet-b0-demo.pt
# The resume state is only needed while training.
rm -f models/*.pt.state
ls -la models
