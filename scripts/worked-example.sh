#!/usr/bin/env bash
# The seed's study redone on the demo data and the demo models (docs/worked-example.md):
# a study of both networks x four methods over the 600 demo scans, the Grad-CAM marks of the
# first 40 tumour scans by a person (docs/worked-example/marks-engineer.csv) and by the pointing-game
# rule, and the report with the seed's tables and charts.
#   scripts/worked-example.sh [OUT]   (default .cache/worked-example)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-.cache/worked-example}
scripts/setup.sh
scripts/build.sh
cli=build/app/saliency-cli

data=.cache/demo-data
if [ ! -f "$data/.complete-600" ]; then
  rm -rf "$data.partial" "$data"
  "$cli" demo-data --out "$data.partial" --count 600 --seed 1
  touch "$data.partial/.complete-600"
  mv "$data.partial" "$data"
fi
mkdir -p "$out"
project=$out/study.sqlite
"$cli" study --data "$data" --models models/cnn4-demo.pt,models/efficientnet-b0-demo.pt --out "$project"

# A person's verdicts (made by looking at the Grad-CAM overlays with the tumour outlines).
"$cli" annotate --project "$project" --import docs/worked-example/marks-engineer.csv --annotator engineer
# A second, automatic annotator on the same maps: "correct" when the map's peak lies inside the
# tumour mask (the pointing game), so that kappa says how far that rule stands in for a person.
sqlite3 -csv -header "$project" "
  SELECT s.path AS scan, md.name AS network, m.method,
         CASE m.pointing_hit WHEN 1 THEN 'correct' ELSE 'incorrect' END AS verdict,
         printf('peak %s the mask; mask IoU %.2f',
                CASE m.pointing_hit WHEN 1 THEN 'inside' ELSE 'outside' END, m.mask_iou) AS note
  FROM maps m JOIN scans s ON s.id = m.scan_id JOIN models md ON md.id = m.model_id
  WHERE m.method = 'gradcam' AND s.path LIKE 'Brain Tumor/Cancer (%'
    AND CAST(substr(s.path, 21, length(s.path) - 25) AS INTEGER) BETWEEN 1 AND 40
  ORDER BY s.id, md.id" > "$out/marks-pointing-rule.csv"
"$cli" annotate --project "$project" --import "$out/marks-pointing-rule.csv" --annotator "pointing-game rule"

"$cli" report --project "$project" --out "$out/report" --annotator engineer
"$cli" report --project "$project" --out "$out/report-pointing-rule" --annotator "pointing-game rule"
echo "worked example: $out/report/report.md"
