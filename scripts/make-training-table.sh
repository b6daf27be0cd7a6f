#!/usr/bin/env bash
# The seed's training table redone on the demo data (docs/models.md): each network of the study
# trained from scratch, on CPU, on the same demo training set and the same split as the demo models,
# then its test accuracy. The two shipped demo models come from scripts/make-demo-models.sh; ResNet50
# and VGG-16 are trained here into .cache/training-table (94 and 59 MB: over the repository's
# budget). About 25 minutes on 2 idle cores. A checkpoint already there is kept.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli=build/app/saliency-cli
[ -x "$cli" ] || scripts/build.sh
[ -f models/cnn4-demo.pt ] || scripts/make-demo-models.sh
data=.cache/demo-train          # made by scripts/make-demo-models.sh (800 scans, seed 11, 128 px)
split=models/cnn4-demo.pt.split.json
out=.cache/training-table
mkdir -p "$out"

train() {
  local name=$1
  shift
  [ -f "$out/$name.pt" ] || "$cli" train --data "$data" --split "$split" --seed 1 --out "$out/$name.pt" "$@"
}
# Reduced input sizes so that CPU time stays in minutes (the seed trained at 224 px on a GPU).
train resnet50 --arch resnet50 --image-size 96 --epochs 12 --batch 32 --lr 0.001 --schedule cosine --patience 5
train vgg16 --arch vgg16 --image-size 64 --epochs 10 --batch 32 --lr 0.0001 --schedule cosine --patience 5
rm -f "$out"/*.pt.state

echo "| network | input | test accuracy | macro F1 | ROC AUC (tumour) | checkpoint |"
echo "|---|---|---|---|---|---|"
for ckpt in models/cnn4-demo.pt models/efficientnet-b0-demo.pt "$out/resnet50.pt" "$out/vgg16.pt"; do
  [ -f "$ckpt" ] || continue
  json=$("$cli" evaluate --model "$ckpt" --data "$data" --split "$split" --part test --json)
  arch=$(grep -o '"architecture": *"[^"]*"' "$ckpt.json" | head -1 | sed 's/.*: *"//; s/"$//')
  size=$(grep -o '"input_size": *[0-9]*' "$ckpt.json" | head -1 | grep -o '[0-9]*$')
  acc=$(echo "$json" | grep -o '"accuracy": *[0-9.]*' | head -1 | grep -o '[0-9.]*$')
  f1=$(echo "$json" | grep -o '"macro_f1": *[0-9.]*' | head -1 | grep -o '[0-9.]*$')
  auc=$(echo "$json" | grep -o '"auc": *[0-9.]*' | head -1 | grep -o '[0-9.]*$')
  pct=$(awk -v a="$acc" 'BEGIN { printf "%.1f", a * 100 }')
  printf '| %s | %s px | %s%% | %.3f | %.3f | %s |\n' "$arch" "$size" "$pct" "$f1" "$auc" "$ckpt"
done
