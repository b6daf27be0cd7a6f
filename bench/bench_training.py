#!/usr/bin/python3
"""The training loop of bench/bench_training.cpp in PyTorch, for the C++/Python ratio.

usage: /usr/bin/python3 bench_training.py [--archs cnn4,resnet50] [--batch 16] [--size 150]
                                          [--iterations 10] [--warmup 2] [--threads N] [--no-inplace]
Synthetic tensors (no data loading), Adam (lr 1e-3), cross-entropy, model in training mode;
the same architectures as the zoo's (cnn4 rebuilt in torch.nn as core/models/Cnn4.cpp, resnet50
from torchvision with the zoo's head: dropout 0.5 -> linear(2)). Prints one JSON line per model:
{"arch", "batch", "size", "threads", "iterations", "seconds", "images_per_second"}.
"""
import argparse
import json
import os
import time

import torch
import torchvision
from torch import nn


class Cnn4(nn.Module):
    def __init__(self, num_classes=2, channels=(16, 32, 64, 128), dropout=0.3):
        super().__init__()
        blocks = []
        c_in = 3
        for c in channels:
            blocks.append(nn.Sequential(nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c),
                                        nn.ReLU(), nn.MaxPool2d(2, 2)))
            c_in = c
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(c_in, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def make(arch, inplace=True):
    if arch == "cnn4":
        return Cnn4()
    if arch == "resnet50":
        m = torchvision.models.resnet50()
        m.fc = nn.Sequential(nn.Dropout(0.5), nn.Linear(2048, 2))
        if not inplace:  # as the zoo's GuidedActivation: out-of-place ReLU
            for module in m.modules():
                if isinstance(module, nn.ReLU):
                    module.inplace = False
        return m
    raise SystemExit(f"unknown architecture {arch}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--archs", default="cnn4,resnet50")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--size", type=int, default=150)
    p.add_argument("--iterations", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--no-inplace", action="store_true", help="diagnostic: torchvision's ReLUs out of place")
    a = p.parse_args()
    torch.set_num_threads(a.threads if a.threads > 0 else len(os.sched_getaffinity(0)))
    torch.manual_seed(1)
    for arch in a.archs.split(","):
        model = make(arch, inplace=not a.no_inplace)
        model.train()
        optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
        images = torch.randn(a.batch, 3, a.size, a.size)
        labels = torch.randint(0, 2, (a.batch,))

        def step():
            optimiser.zero_grad()
            loss = nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimiser.step()
            return loss.item()

        for _ in range(a.warmup):
            step()
        start = time.perf_counter()
        for _ in range(a.iterations):
            step()
        seconds = time.perf_counter() - start
        print(json.dumps({"arch": arch, "batch": a.batch, "size": a.size, "threads": torch.get_num_threads(),
                          "iterations": a.iterations, "seconds": seconds,
                          "images_per_second": a.iterations * a.batch / seconds,
                          "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available()}),
              flush=True)


if __name__ == "__main__":
    main()
