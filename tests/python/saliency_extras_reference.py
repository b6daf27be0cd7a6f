#!/usr/bin/python3
"""Reference maps of the methods beyond the seed for tests/core/test_saliency.cpp, written at test
time (nothing is committed). Usage: /usr/bin/python3 saliency_extras_reference.py OUTDIR
Run after saliency_reference.py, whose resnet50 (random weights, randomised BatchNorm statistics,
fc = Linear(2048, 2)) and 1x3x64x64 input it rebuilds with the same seeds.

pytorch-grad-cam and Captum are not installed here, so their conventions are written out by hand,
each next to the library code it stands for (A the target layer's output from a forward hook,
g = d y_c / d A, y_c the raw logit, as pytorch_grad_cam's ClassifierOutputTarget):
  Grad-CAM++  pytorch_grad_cam.GradCAMPlusPlus.get_cam_weights: alpha = g^2 / (2 g^2 +
              sum_hw(A) g^3 + 1e-6), alpha = 0 where g == 0, w = sum_hw(ReLU(g) alpha);
              cam = ReLU(sum_k w_k A_k)
  LayerCAM    pytorch_grad_cam.LayerCAM.get_cam_image: cam = ReLU(sum_k ReLU(g_k) A_k)
  Score-CAM   pytorch_grad_cam.ScoreCAM.get_cam_weights: nn.UpsamplingBilinear2d (align_corners=
              True) of A to the input size, per-channel min-max with eps 1e-8, masked inputs x * U_k
              run 16 at a time (BATCH_SIZE), scores = raw logit of the target, w = softmax over k;
              cam = ReLU(sum_k w_k A_k)
  then the DESIGN post-processing of saliency_reference.py (ReLU, upsample, min-max eps 1e-7).
  Integrated Gradients  Sundararajan et al. with baseline 0 (Captum's default baseline) and m = 16
              steps: trapezoid a_i = i/m, i = 0..m, weights 1/m halved at the ends; right sum a_i =
              i/m, i = 1..m, weights 1/m (captum's riemann_right). attributions = (x - x') * sum.

Score-CAM runs one forward per channel, so it is checked at layer1 (256 channels) on a 32x32 input.

Writes OUTDIR/resnet50.extras.pt, a dict of tensors: input (1,3,64,64); for L in layer4, layer3:
target_L (1,), gradcampp_L, layercam_L (1,64,64) and their raw maps gradcampp_raw_L, layercam_raw_L
(1,h,w); scorecam_input (1,3,32,32), scorecam_target (1,), scorecam (1,32,32), scorecam_raw (1,8,8);
ig_target (1,), ig_trapezoid, ig_right (1,3,64,64), ig_logit_input, ig_logit_baseline (1,).
"""
import os
import sys

import torch
import torch.nn.functional as F

from saliency_reference import SEED, SIZE, build, randomise, post_process

IG_STEPS = 16
SCORECAM_BATCH = 16


def layer_pass(model, layer, x, target):
    """A and g = d y_c / d A from one forward (hook) and torch.autograd.grad."""
    store = {}
    handle = layer.register_forward_hook(lambda m, i, o: store.__setitem__("A", o))
    logits = model(x.clone().requires_grad_(True))
    handle.remove()
    A = store["A"]
    (g,) = torch.autograd.grad(logits.gather(1, target[:, None]).sum(), A)
    return A.detach(), g.detach()


def gradcampp_raw(A, g):
    g2 = g ** 2
    g3 = g2 * g
    sum_a = A.sum((2, 3))[:, :, None, None]
    aij = g2 / (2 * g2 + sum_a * g3 + 1e-6)
    aij = torch.where(g != 0, aij, torch.zeros_like(aij))
    weights = (F.relu(g) * aij).sum((2, 3))
    return (weights[:, :, None, None] * A).sum(1)


def layercam_raw(A, g):
    return (F.relu(g) * A).sum(1)


def scorecam_raw(model, x, A):
    """Raw Score-CAM maps of every class (N,C,h,w): the masked forwards do not depend on the class,
    so one set of them serves both (the library runs them once per call, for its target)."""
    with torch.no_grad():
        upsampled = torch.nn.UpsamplingBilinear2d(size=x.shape[-2:])(A)
        maxs = upsampled.view(upsampled.size(0), upsampled.size(1), -1).max(dim=-1)[0][:, :, None, None]
        mins = upsampled.view(upsampled.size(0), upsampled.size(1), -1).min(dim=-1)[0][:, :, None, None]
        upsampled = (upsampled - mins) / (maxs - mins + 1e-8)
        inputs = x[:, None] * upsampled[:, :, None]
        logits = torch.stack([torch.cat([model(tensor[i:i + SCORECAM_BATCH])
                                         for i in range(0, tensor.size(0), SCORECAM_BATCH)])
                              for tensor in inputs])  # (N,K,C)
        weights = torch.softmax(logits, dim=1)  # softmax over the channels k, per class
        return torch.einsum("nkc,nkhw->nchw", weights, A)


def spread(raw, size=SIZE):
    up = F.interpolate(F.relu(raw)[:, None], size=(size, size), mode="bilinear", align_corners=False)
    return float((up.flatten(1).max(1).values - up.flatten(1).min(1).values).min())


def integrated_gradients(model, x, target, rule):
    m = IG_STEPS
    if rule == "trapezoid":
        alphas = [i / m for i in range(m + 1)]
        weights = [(0.5 if i in (0, m) else 1.0) / m for i in range(m + 1)]
    else:
        alphas = [i / m for i in range(1, m + 1)]
        weights = [1.0 / m] * m
    baseline = torch.zeros_like(x)
    points = torch.cat([baseline + a * (x - baseline) for a in alphas]).requires_grad_(True)
    logits = model(points)
    (grads,) = torch.autograd.grad(logits[:, int(target)].sum(), points)
    total = sum(w * grads[i:i + 1] for i, w in enumerate(weights))
    return (x - baseline) * total


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: saliency_extras_reference.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))

    torch.manual_seed(SEED)
    model, _, _ = build("resnet50")
    randomise(model, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(SEED + 2))
    out = {"input": x}
    report = []

    for name in ("layer4", "layer3"):
        layer = getattr(model, name)
        best = None
        for c in range(2):  # the class whose Grad-CAM++ and LayerCAM maps both vary most
            target = torch.tensor([c])
            A, g = layer_pass(model, layer, x, target)
            raws = (gradcampp_raw(A, g), layercam_raw(A, g))
            score = min(spread(r) for r in raws)
            if best is None or score > best[0]:
                best = (score, target, A, raws)
        score, target, A, (pp, lc) = best
        if score < 1e-4:
            raise SystemExit(f"resnet50 {name}: every class has an empty Grad-CAM++ or LayerCAM map")
        out["target_" + name] = target
        out["gradcampp_raw_" + name], out["gradcampp_" + name] = pp, post_process(pp, "design")
        out["layercam_raw_" + name], out["layercam_" + name] = lc, post_process(lc, "design")
        report.append(f"resnet50 {name}: target {int(target)}, Grad-CAM++/LayerCAM spread {score:.3g}")

    # Score-CAM costs one forward per channel: layer1 (256 channels, 8x8 at 32x32) keeps it short.
    x32 = torch.randn(1, 3, 32, 32, generator=torch.Generator().manual_seed(SEED + 3))
    store = {}
    handle = model.layer1.register_forward_hook(lambda m, i, o: store.__setitem__("A", o))
    with torch.no_grad():
        model(x32)
    handle.remove()
    raws = scorecam_raw(model, x32, store["A"])
    spreads = [spread(raws[:, c], 32) for c in range(raws.shape[1])]
    c = max(range(len(spreads)), key=lambda k: spreads[k])
    if spreads[c] < 1e-4:
        raise SystemExit("resnet50 layer1: every class has an empty Score-CAM map")
    out["scorecam_input"] = x32
    out["scorecam_target"] = torch.tensor([c])
    out["scorecam_raw"] = raws[:, c]
    out["scorecam"] = post_process(raws[:, c], "design", 32)
    report.append(f"resnet50 layer1 at 32x32: Score-CAM target {c}, spread {spreads[c]:.3g} "
                  f"({store['A'].shape[1]} masked inputs per class)")

    with torch.no_grad():
        logits = model(torch.cat([x, torch.zeros_like(x)]))
    target = logits[:1].argmax(1)
    out["ig_target"] = target
    out["ig_logit_input"] = logits[0:1, int(target)]
    out["ig_logit_baseline"] = logits[1:2, int(target)]
    gap = float(out["ig_logit_input"] - out["ig_logit_baseline"])
    for rule in ("trapezoid", "right"):
        attributions = integrated_gradients(model, x, target, rule)
        out["ig_" + rule] = attributions
        report.append(f"IG {rule} ({IG_STEPS} steps): sum {float(attributions.sum()):.4g}, "
                      f"y(x) - y(0) = {gap:.4g}")

    torch.save({k: v.detach().contiguous() for k, v in out.items()}, os.path.join(outdir, "resnet50.extras.pt"))
    print("\n".join(report))


if __name__ == "__main__":
    main()
