#!/usr/bin/env bash
# Redraws docs/images/demo-montage.png: tumour scans beside copies with the mask outlined in red,
# then healthy scans. Needs ImageMagick (installed by scripts/setup.sh) and a build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build/app/saliency-cli demo-data --out "$tmp/set" --count 28 --seed 2 >/dev/null
tiles=()
for i in $(seq 1 28); do
  img="$tmp/set/Brain Tumor/Cancer ($i).jpg"
  [ -f "$img" ] || continue
  mask="$tmp/set/masks/Brain Tumor/Cancer ($i).png"
  convert "$img" -resize 180x180 -gravity center -background black -extent 180x180 "$tmp/t$i.png"
  convert "$mask" -resize 180x180 -gravity center -background black -extent 180x180 -threshold 50% -morphology EdgeOut Diamond \
    -fill red -opaque white -transparent black "$tmp/e$i.png"
  convert "$tmp/t$i.png" "$tmp/e$i.png" -composite "$tmp/o$i.png"
  tiles+=("$tmp/t$i.png" "$tmp/o$i.png")
  [ ${#tiles[@]} -ge 16 ] && break
done
n=0
for img in "$tmp/set/Healthy/"*.jpg; do
  convert "$img" -resize 180x180 -gravity center -background black -extent 180x180 "$tmp/h$n.png"
  tiles+=("$tmp/h$n.png")
  n=$((n + 1))
  [ $n -ge 8 ] && break
done
montage "${tiles[@]}" -tile 8x -geometry +2+2 -background black docs/images/demo-montage.png
echo "wrote docs/images/demo-montage.png"
