#!/usr/bin/env python3
"""How fast does a cnn4-like network learn a demo set, and what limits it?

A PyTorch replica of cnn4 (4 x conv3x3-BN-ReLU-maxpool, 16/32/64/128, GAP, dropout 0.3, linear),
trained in memory on a demo set at 96 px (70/15/15 split, left-right flips, Adam), averaged over
three seeds. Used for the measurements in docs/demo-data.md ("Why networks learn it slowly"); the
authoritative check is `saliency-cli train`, this only makes many variants cheap to compare.

  python3 bench/demo_learnability.py DIR [--lesion as-is|bright|white|black] [CONFIG ...]

CONFIG is keyword arguments of run(), e.g. "lr=1e-2,sched='onecycle'" or "pool='max'"; none: the
defaults (saliency-cli train's lr 1e-3, no schedule, 6 epochs, batch 16). --lesion edits the
tumour pixels (from the masks) before training: an oracle of how much lesion contrast matters.
"""
import argparse
import json
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

SIZE = 96


def load(root):
    manifest = json.load(open(root + "/demo-manifest.json"))
    images, labels, masks = [], [], []
    for scan in manifest["images"]:
        rgb = Image.open(root + "/" + scan["file"]).convert("RGB").resize((SIZE, SIZE))
        images.append(np.asarray(rgb, dtype=np.float32) / 255.0)
        labels.append(0 if scan["label"] != "Healthy" else 1)
        if "mask" in scan:
            mask = Image.open(root + "/" + scan["mask"]).convert("L").resize((SIZE, SIZE))
            masks.append(np.asarray(mask, dtype=np.float32) / 255.0)
        else:
            masks.append(np.zeros((SIZE, SIZE), np.float32))
    x = torch.tensor(np.stack(images)).permute(0, 3, 1, 2)
    return x, torch.tensor(labels), torch.tensor(np.stack(masks))[:, None]


class Cnn4(nn.Module):
    def __init__(self, pool="avg", drop=0.3):
        super().__init__()
        layers, c = [], 3
        for o in [16, 32, 64, 128]:
            layers += [nn.Conv2d(c, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2)]
            c = o
        self.features = nn.Sequential(*layers)
        self.pool = pool
        self.drop = nn.Dropout(drop)
        self.fc = nn.Linear(128, 2)

    def forward(self, x):
        x = self.features(x)
        x = x.mean((2, 3)) if self.pool == "avg" else x.amax((2, 3))
        return self.fc(self.drop(x))


def run(x, y, epochs=6, lr=1e-3, bs=16, pool="avg", seed=1, sched="none", drop=0.3):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    n = len(y)
    perm = torch.randperm(n, generator=g)
    test, train = perm[: int(0.15 * n)], perm[int(0.3 * n):]
    net = Cnn4(pool, drop)
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    steps = epochs * ((len(train) + bs - 1) // bs)
    step = 0
    for _ in range(epochs):
        net.train()
        order = train[torch.randperm(len(train), generator=g)]
        correct = 0
        for b in range(0, len(order), bs):
            idx = order[b: b + bs]
            batch = x[idx].clone()
            flip = torch.rand(len(idx), generator=g) < 0.5
            batch[flip] = batch[flip].flip(3)
            if sched == "onecycle":  # linear warm-up over 20% of the steps, then cosine to 0
                warm = 0.2 * steps
                f = min(1.0, (step + 1) / warm) * 0.5 * (1 + np.cos(np.pi * max(0.0, step - warm) / (steps - warm)))
                for group in opt.param_groups:
                    group["lr"] = lr * f
            elif sched == "cosine":
                for group in opt.param_groups:
                    group["lr"] = lr * 0.5 * (1 + np.cos(np.pi * step / steps))
            out = net(batch)
            loss = F.cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            correct += (out.argmax(1) == y[idx]).sum().item()
    net.eval()
    with torch.no_grad():
        test_accuracy = (net(x[test]).argmax(1) == y[test]).float().mean().item()
    return correct / len(train), test_accuracy


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--lesion", default="as-is", choices=["as-is", "bright", "white", "black"])
    parser.add_argument("configs", nargs="*")
    args = parser.parse_args()
    torch.set_num_threads(2)
    x, y, m = load(args.root)
    if args.lesion == "bright":
        x = (x * (1 + 0.6 * m)).clamp(0, 1)
    elif args.lesion == "white":
        x = x * (1 - m) + m
    elif args.lesion == "black":
        x = x * (1 - m)
    x = (x - 0.45) / 0.225
    for config in args.configs or [""]:
        kwargs = eval("dict(" + config + ")")
        start = time.time()
        results = [run(x, y, seed=s, **kwargs) for s in (1, 2, 3)]
        print(f"lesion {args.lesion} {config or 'defaults'}: last-epoch train accuracy "
              f"{np.mean([r[0] for r in results]):.2f}, test accuracy {np.mean([r[1] for r in results]):.2f} "
              f"(3 seeds, {time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
