#!/usr/bin/python3
"""All four saliency maps of bench/bench_explain.cpp done the usual way in Python, for the C++/Python
ratio: ResNet50 (torchvision, random weights, fc = Linear(2048, 2)), one 224x224 image or a batch,
CPU, the predicted class.

pytorch-grad-cam and Captum are not installed here, so their code paths are written out as they run:
  CAM            a forward hook on layer4 in a forward of its own (no gradients), then
                 sum_k W[c,k] A_k, ReLU, resize, min-max (Zhou et al.'s reference code does the same)
  Grad-CAM       pytorch_grad_cam.GradCAM.__call__: ActivationsAndGradients (a forward hook on
                 layer4 that keeps A and registers a tensor hook for its gradient), its own forward,
                 model.zero_grad(), loss = sum of the target logits, loss.backward(retain_graph=True)
                 (the weights require gradients, as in a loaded model, so the backward runs through
                 the whole network and fills every weight's .grad), weights = mean_hw(grads) in NumPy,
                 cam = ReLU(sum w A), scale_cam_image (min-max, resize; cv2.resize is not installed:
                 F.interpolate, the same bilinear), then min-max again
  Guided BP      captum.attr.GuidedBackprop.attribute: a full backward hook on every nn.ReLU returning
                 ReLU(grad_input) (the ReLUs set in-place=False, as Captum requires), its own forward
                 with the input requiring gradients, torch.autograd.grad(outputs, inputs)
  Guided Grad-CAM  the guided gradient times the Grad-CAM map, as pytorch-grad-cam's example does

usage: /usr/bin/python3 bench_explain.py [--batches 1,8] [--runs 5] [--warmup 1] [--threads 2]
                                         [--size 224] [--one BATCH]
Each batch size runs in a process of its own (so that the peak resident memory is that of one
configuration); --one BATCH is that process, printing one JSON line: batch, threads, runs,
per-image median seconds of the whole and of each part, peak RSS in MiB.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn


def make_model():
    torch.manual_seed(1)
    model = torchvision.models.resnet50()
    model.fc = nn.Linear(2048, 2)
    return model.eval()


def scale_cam_image(cam, size):  # pytorch_grad_cam.utils.image.scale_cam_image
    result = []
    for img in cam:
        img = img - np.min(img)
        img = img / (1e-7 + np.max(img))
        img = F.interpolate(torch.from_numpy(img)[None, None], size=size, mode="bilinear",
                            align_corners=False)[0, 0].numpy()
        result.append(img)
    return np.float32(result)


def cam(model, x):
    store = {}
    handle = model.layer4.register_forward_hook(lambda m, i, o: store.__setitem__("A", o))
    with torch.no_grad():
        logits = model(x)
    handle.remove()
    target = logits.argmax(1)
    weights = model.fc.weight.detach()[target]
    raw = np.maximum(torch.einsum("nk,nkhw->nhw", weights, store["A"]).numpy(), 0)
    return scale_cam_image(scale_cam_image(raw, x.shape[-2:]), x.shape[-2:])


def grad_cam(model, x):
    activations, gradients = [], []

    def forward_hook(module, inputs, output):  # pytorch_grad_cam.ActivationsAndGradients
        activations.append(output.cpu().detach())

        def store_grad(grad):
            gradients.insert(0, grad.cpu().detach())

        output.register_hook(store_grad)

    handle = model.layer4.register_forward_hook(forward_hook)
    outputs = model(x)
    target = np.argmax(outputs.cpu().data.numpy(), axis=-1)
    model.zero_grad()
    loss = sum(output[c] for c, output in zip(target, outputs))
    loss.backward(retain_graph=True)
    handle.remove()
    a = activations[0].numpy()
    g = gradients[0].numpy()
    weights = np.mean(g, axis=(2, 3))
    raw = np.maximum((weights[:, :, None, None] * a).sum(axis=1), 0)
    return scale_cam_image(scale_cam_image(raw, x.shape[-2:]), x.shape[-2:]), torch.from_numpy(target)


def guided_backprop(model, x, target):
    relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
    for m in relus:
        m.inplace = False
    handles = [m.register_full_backward_hook(
        lambda mod, grad_in, grad_out: tuple(F.relu(g) if g is not None else None for g in grad_in))
        for m in relus]
    inputs = x.clone().requires_grad_(True)
    outputs = model(inputs)
    (grads,) = torch.autograd.grad(torch.unbind(outputs.gather(1, target[:, None])[:, 0]), inputs)
    for h in handles:
        h.remove()
    for m in relus:
        m.inplace = True
    return grads.detach()


def all_four(model, x, times):
    t0 = time.perf_counter()
    cam_maps = cam(model, x)
    t1 = time.perf_counter()
    grad_cam_maps, target = grad_cam(model, x)
    t2 = time.perf_counter()
    guided = guided_backprop(model, x, target)
    t3 = time.perf_counter()
    guided_grad_cam = guided * torch.from_numpy(grad_cam_maps)[:, None]
    t4 = time.perf_counter()
    for key, seconds in (("cam", t1 - t0), ("gradcam", t2 - t1), ("guided", t3 - t2), ("product", t4 - t3),
                         ("total", t4 - t0)):
        times.setdefault(key, []).append(seconds)
    return cam_maps, grad_cam_maps, guided, guided_grad_cam


def one(batch, runs, warmup, threads, size):
    torch.set_num_threads(threads)
    model = make_model()
    x = torch.randn(batch, 3, size, size, generator=torch.Generator().manual_seed(2))
    for _ in range(warmup):
        all_four(model, x, {})
    times = {}
    for _ in range(runs):
        all_four(model, x, times)
    result = {"batch": batch, "threads": torch.get_num_threads(), "runs": runs, "size": size,
              "torch": torch.__version__, "mkldnn": torch.backends.mkldnn.is_available(),
              "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    for key, values in times.items():
        result[key + "_per_image"] = statistics.median(values) / batch
    print(json.dumps(result), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batches", default="1,8")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--one", type=int, default=0, help="internal: measure this batch size here")
    a = p.parse_args()
    if a.one:
        one(a.one, a.runs, a.warmup, a.threads, a.size)
        return
    print(f"Python {sys.version.split()[0]}, torch {torch.__version__}, {a.threads} threads, "
          f"resnet50 {a.size}x{a.size}, median of {a.runs} runs after {a.warmup} warm-up")
    print(f"{'batch':>5} {'total s/image':>14} {'CAM':>8} {'Grad-CAM':>9} {'guided':>8} {'product':>8} "
          f"{'peak RSS MiB':>13}")
    for batch in (int(b) for b in a.batches.split(",")):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--one", str(batch), "--runs", str(a.runs),
                              "--warmup", str(a.warmup), "--threads", str(a.threads), "--size", str(a.size)],
                             check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{batch:>5} {r['total_per_image']:>14.3f} {r['cam_per_image']:>8.3f} {r['gradcam_per_image']:>9.3f} "
              f"{r['guided_per_image']:>8.3f} {r['product_per_image']:>8.4f} {r['peak_rss_mib']:>13.0f}",
              flush=True)


if __name__ == "__main__":
    main()
