#!/usr/bin/python3
"""Reference optimisation steps for tests/core/test_trainer.cpp, run at test time.

Usage: /usr/bin/python3 sgd_reference.py DIR

DIR holds what the C++ test wrote:
  settings.json        {"sgd": {"lr", "momentum", "weight_decay", "steps"},
                        "adam": {"lr", "weight_decay", "steps"}, "resnet50_sgd": {as "sgd"}, "seed": s,
                        "threads": n}
  cnn4.weights.pt      the C++ cnn4's initial state dict (models/TensorFile.h)
  cnn4.batch.pt        {"images": (N,3,S,S) float32, "labels": (N) int64}
  resnet50.batch.pt    the same for resnet50
The script rebuilds cnn4 in torch.nn with the same module names (core/models/Cnn4.cpp:
four blocks conv3x3 without bias -> BatchNorm2d -> ReLU -> MaxPool2d(2), global average pooling,
Dropout(0) -> Linear), loads the weights strictly, and runs torch.optim.SGD and torch.optim.Adam
steps in training mode (BatchNorm uses batch statistics, dropout is 0). For resnet50 it builds
torchvision's model with a seeded random init and fc = Linear(2048, 2), saves its weights as
  resnet50.weights.pt  torch.save(dict(state_dict)), imported by the C++ side
and runs SGD steps. Everything runs twice: with contiguous (NCHW) tensors and with channels-last
weights and inputs, the layout the C++ trainer uses on the CPU (the layout changes the rounding,
so each C++ layout is compared with its twin here). It writes
  reference.json       {"contiguous" | "channels_last":
                          {"cnn4": {"sgd": [loss per step], "adam": [...]}, "resnet50": {"sgd": [...]}}}
  cnn4.sgd.after.pt    cnn4's state dict after the contiguous SGD steps
The loss of a step is the one computed before its update, as the C++ trainStep reports it.
"""
import json
import os
import sys

import torch
import torchvision
from torch import nn


class Cnn4(nn.Module):
    def __init__(self, num_classes=2, channels=(16, 32, 64, 128)):
        super().__init__()
        blocks = []
        c_in = 3
        for c in channels:
            blocks.append(nn.Sequential(nn.Conv2d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm2d(c),
                                        nn.ReLU(), nn.MaxPool2d(2, 2)))
            c_in = c
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Dropout(0.0), nn.Linear(c_in, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def run_steps(model, optimiser, images, labels, steps):
    model.train()
    losses = []
    for _ in range(steps):
        optimiser.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    return losses


def in_layout(model, images, layout):
    if layout == "channels_last":
        return model.to(memory_format=torch.channels_last), images.contiguous(memory_format=torch.channels_last)
    return model, images


def main():
    out = sys.argv[1]
    with open(os.path.join(out, "settings.json")) as f:
        settings = json.load(f)
    torch.set_num_threads(settings["threads"])  # as the C++ side: the thread count changes the rounding

    weights = torch.load(os.path.join(out, "cnn4.weights.pt"))
    cnn4_batch = torch.load(os.path.join(out, "cnn4.batch.pt"))
    resnet_batch = torch.load(os.path.join(out, "resnet50.batch.pt"))
    sgd, adam, rsgd = settings["sgd"], settings["adam"], settings["resnet50_sgd"]

    torch.manual_seed(settings["seed"])
    resnet_init = torchvision.models.resnet50()
    resnet_init.fc = nn.Linear(2048, 2)
    resnet_weights = dict(resnet_init.state_dict())
    torch.save(resnet_weights, os.path.join(out, "resnet50.weights.pt"))

    result = {}
    for layout in ("contiguous", "channels_last"):
        r = result[layout] = {"cnn4": {}, "resnet50": {}}
        model = Cnn4()
        model.load_state_dict(weights, strict=True)
        model, images = in_layout(model, cnn4_batch["images"], layout)
        optimiser = torch.optim.SGD(model.parameters(), lr=sgd["lr"], momentum=sgd["momentum"],
                                    weight_decay=sgd["weight_decay"])
        r["cnn4"]["sgd"] = run_steps(model, optimiser, images, cnn4_batch["labels"], sgd["steps"])
        if layout == "contiguous":
            torch.save({k: v.contiguous() for k, v in model.state_dict().items()},
                       os.path.join(out, "cnn4.sgd.after.pt"))

        model = Cnn4()
        model.load_state_dict(weights, strict=True)
        model, images = in_layout(model, cnn4_batch["images"], layout)
        optimiser = torch.optim.Adam(model.parameters(), lr=adam["lr"], weight_decay=adam["weight_decay"])
        r["cnn4"]["adam"] = run_steps(model, optimiser, images, cnn4_batch["labels"], adam["steps"])

        resnet = torchvision.models.resnet50()
        resnet.fc = nn.Linear(2048, 2)
        resnet.load_state_dict(resnet_weights, strict=True)
        resnet, images = in_layout(resnet, resnet_batch["images"], layout)
        optimiser = torch.optim.SGD(resnet.parameters(), lr=rsgd["lr"], momentum=rsgd["momentum"],
                                    weight_decay=rsgd["weight_decay"])
        r["resnet50"]["sgd"] = run_steps(resnet, optimiser, images, resnet_batch["labels"], rsgd["steps"])

    with open(os.path.join(out, "reference.json"), "w") as f:
        json.dump(result, f)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
