#!/usr/bin/python3
"""Reference saliency maps for tests/core/test_saliency.cpp, written at test time (nothing is
committed). Usage: /usr/bin/python3 saliency_reference.py OUTDIR

pytorch-grad-cam and Captum are not installed here (and cannot be), so their conventions are
written out by hand below, each next to the library function it stands for:
  Grad-CAM   pytorch_grad_cam.GradCAM: a forward hook keeps A, its gradient is what the library's
             tensor hook receives (torch.autograd.grad(loss, A) here, so that one forward serves
             both classes), loss = sum over the batch of y_c, alpha_k = mean_hw(dy_c/dA_k),
             cam = ReLU(sum_k alpha_k A_k), then scale_cam_image.
  CAM        Zhou et al.: sum_k W[c,k] A_k (no bias), same post-processing.
  Guided BP  captum.attr.GuidedBackprop: backward hooks on every nn.ReLU that replace the
             gradient by ReLU(grad_input), i.e. grad_out * [x > 0] * [grad_out > 0]; the result
             is d y_c / d x. Cross-checked against pytorch_grad_cam.GuidedBackpropReLUModel's
             way (ReLU replaced by an autograd Function); the two must agree exactly.
  Display    pytorch_grad_cam.utils.image.deprocess_image (standardise over the whole array,
             *0.1 + 0.5, clip to [0,1]) and the absolute maximum over channels.

Post-processing of CAM / Grad-CAM, three orders (cv2 is not installed: cv2.resize INTER_LINEAR is
F.interpolate(bilinear, align_corners=False); the C++ test checks that the two agree):
  design   DESIGN.md section 4: ReLU, upsample, min-max with eps 1e-7       (what C++ does)
  pgc      pytorch-grad-cam with one target layer: ReLU, min-max, resize (compute_cam_per_layer),
           then min-max again (aggregate_multi_layers)
  single   one scale_cam_image step only: ReLU, min-max, resize (no final min-max)
Because bilinear resizing is linear with weights that sum to one and min-max is affine per image,
`pgc` equals `design` except for where the eps enters (|difference| <= ~1e-7 / range); `single`
differs wherever the maximum or minimum lies inside the map (interpolation lowers the peak).

Models (random weights, fixed seed, eval mode; BatchNorm statistics randomised so that they
matter), named as the C++ zoo names its parameters:
  resnet50  torchvision.models.resnet50 with fc = Linear(2048, 2) (the zoo's dropout is the
            identity in eval mode); target layer layer4
  cnn4      the zoo's small CNN written in Python: features.N = (conv3x3 no bias, BN, ReLU,
            maxpool2); classifier = (Dropout, Linear(128, 2)); target layer features.3
For each it writes OUTDIR/<name>.weights.pt (torch.save(dict(state_dict))) and
OUTDIR/<name>.saliency.pt, a dict of tensors:
  input (1,3,64,64), logits (1,2), target (1,) int64 (a class whose Grad-CAM is not empty),
  cam_raw, gradcam_raw (1,h,w) before ReLU; cam, gradcam (design order); gradcam_pgc,
  gradcam_single, cam_pgc; guided (1,3,64,64) raw gradient; guided_display (1,64,64,3) floats of
  deprocess_image before its uint8 step; guided_absmax (1,64,64); guided_gradcam (1,3,64,64).
"""
import os
import sys

import torch
import torchvision
from torch import nn
import torch.nn.functional as F

SEED = 20240612
EPS = 1e-7
SIZE = 64


class Cnn4(nn.Module):
    def __init__(self, channels=(16, 32, 64, 128), num_classes=2):
        super().__init__()
        blocks = []
        c_in = 3
        for c_out in channels:
            blocks.append(nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                                        nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2, 2)))
            c_in = c_out
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Dropout(0.3), nn.Linear(c_in, num_classes))

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


def randomise(model: nn.Module, generator: torch.Generator) -> None:
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.copy_(torch.rand(c, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(c, generator=generator) * 0.1)
                module.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                module.running_var.copy_(torch.rand(c, generator=generator) * 1.2 + 0.05)
                if name.endswith(".bn3"):  # keep ResNet's residual sums bounded
                    module.weight.mul_(0.2)
            elif isinstance(module, nn.Linear):
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.05)


def build(name: str):
    if name == "resnet50":
        m = torchvision.models.resnet50()
        m.fc = nn.Linear(m.fc.in_features, 2)
        return m, m.layer4, m.fc
    if name == "cnn4":
        m = Cnn4()
        return m, m.features[3], m.classifier[1]
    raise ValueError(name)


# ---- pytorch-grad-cam's Grad-CAM and CAM, by hand ----

def activations(model, layer, x):
    """pytorch_grad_cam.activations_and_gradients: a forward hook keeps the layer's output A.
    (Its tensor hook on A receives exactly torch.autograd.grad(loss, A), used below so that one
    forward serves both classes.)"""
    store = {}
    handle = layer.register_forward_hook(lambda module, inputs, output: store.__setitem__("A", output))
    logits = model(x.clone().requires_grad_(True))
    handle.remove()
    return logits, store["A"]


def gradients(logits, A, target):
    loss = sum(logits[n, int(c)] for n, c in enumerate(target))  # ClassifierOutputTarget, summed
    (dA,) = torch.autograd.grad(loss, A, retain_graph=True)
    return dA


def upsample(maps, size=SIZE):  # (N,h,w) -> (N,size,size); = cv2.resize(..., INTER_LINEAR)
    return F.interpolate(maps[:, None], size=(size, size), mode="bilinear", align_corners=False)[:, 0]


def minmax(maps):  # per image, as scale_cam_image
    flat = maps.flatten(1)
    lo = flat.min(1).values[:, None, None]
    shifted = maps - lo
    hi = shifted.flatten(1).max(1).values[:, None, None]
    return shifted / (EPS + hi)


def post_process(raw, order, size=SIZE):
    cam = F.relu(raw)
    if order == "design":
        return minmax(upsample(cam, size))
    if order == "pgc":
        return minmax(upsample(minmax(cam), size))
    if order == "single":
        return upsample(minmax(cam), size)
    raise ValueError(order)


# ---- Captum's GuidedBackprop, by hand; and pytorch-grad-cam's way as a cross-check ----

def guided_backprop_hooks(model, x, target):
    handles = []
    for module in model.modules():
        if isinstance(module, nn.ReLU):
            module.inplace = False  # full backward hooks refuse in-place outputs
            handles.append(module.register_full_backward_hook(
                lambda mod, grad_in, grad_out: tuple(F.relu(g) if g is not None else None for g in grad_in)))
    x = x.clone().requires_grad_(True)
    logits = model(x)
    loss = logits.gather(1, target[:, None]).sum()
    (grad,) = torch.autograd.grad(loss, x)
    for h in handles:
        h.remove()
    return grad


class GuidedReluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * (x > 0).type_as(grad_out) * (grad_out > 0).type_as(grad_out)


class GuidedRelu(nn.Module):
    def forward(self, x):
        return GuidedReluFunction.apply(x)


def replace_relu(module):
    for key, child in module._modules.items():
        if isinstance(child, nn.ReLU):
            module._modules[key] = GuidedRelu()
        else:
            replace_relu(child)


def guided_backprop_function(model, x, target):
    import copy
    guided = copy.deepcopy(model)
    replace_relu(guided)
    x = x.clone().requires_grad_(True)
    logits = guided(x)
    (grad,) = torch.autograd.grad(logits.gather(1, target[:, None]).sum(), x)
    return grad


def deprocess_float(img):  # deprocess_image on an HWC array, before np.uint8(img * 255)
    img = img - img.mean()
    img = img / (img.std(unbiased=False) + 1e-5)  # numpy's std is the population one
    return (img * 0.1 + 0.5).clamp(0, 1)


def reference(name: str, outdir: str) -> str:
    torch.manual_seed(SEED)
    model, layer, fc = build(name)
    randomise(model, torch.Generator().manual_seed(SEED + 1))
    model.eval()
    # Weight gradients are not needed (pytorch-grad-cam computes them, to no effect on the maps);
    # the input requires grad instead so that every layer's output is in the graph.
    for p in model.parameters():
        p.requires_grad_(False)
    x = torch.randn(1, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(SEED + 2))

    # target: the class whose Grad-CAM varies most over the map (not empty)
    logits, A = activations(model, layer, x)
    best = None
    for c in range(2):
        target = torch.tensor([c])
        dA = gradients(logits, A, target)
        raw = (dA.mean((2, 3))[:, :, None, None] * A).sum(1).detach()
        up = upsample(F.relu(raw)).flatten(1)
        spread = float((up.max(1).values - up.min(1).values).min())
        if best is None or spread > best[0]:
            best = (spread, target, raw)
    spread, target, gradcam_raw = best
    logits, A = logits.detach(), A.detach()
    if spread < 1e-4:
        raise SystemExit(f"{name}: every class has an empty Grad-CAM map (spread {spread:g})")

    cam_raw = torch.einsum("nk,nkhw->nhw", fc.weight.detach()[target], A)
    out = {"input": x, "logits": logits, "target": target, "cam_raw": cam_raw, "gradcam_raw": gradcam_raw}
    for order in ("design", "pgc", "single"):
        suffix = "" if order == "design" else "_" + order
        out["gradcam" + suffix] = post_process(gradcam_raw, order)
        out["cam" + suffix] = post_process(cam_raw, order)

    guided = guided_backprop_hooks(model, x, target)
    cross = guided_backprop_function(model, x, target)
    cross_error = float((guided - cross).abs().max() / guided.abs().max())
    if cross_error > 1e-6:
        raise SystemExit(f"{name}: Captum-style hooks and pytorch-grad-cam's GuidedBackpropReLU differ "
                         f"({cross_error:g} relative)")
    out["guided"] = guided
    out["guided_display"] = torch.stack([deprocess_float(g.permute(1, 2, 0)) for g in guided])
    absmax = guided.abs().amax(1)
    out["guided_absmax"] = absmax / absmax.flatten(1).max(1).values[:, None, None].clamp(min=1e-30)
    out["guided_gradcam"] = guided * out["gradcam"][:, None]

    torch.save(dict(model.state_dict()), os.path.join(outdir, name + ".weights.pt"))
    torch.save({k: v.detach().contiguous() for k, v in out.items()}, os.path.join(outdir, name + ".saliency.pt"))

    d_pgc = float((out["gradcam"] - out["gradcam_pgc"]).abs().max())
    d_single = float((out["gradcam"] - out["gradcam_single"]).abs().max())
    return (f"{name}: target class {int(target)}, layer map {tuple(A.shape[2:])}, Grad-CAM range {spread:.4g}; "
            f"|design - pgc| = {d_pgc:.2e}, |design - single| = {d_single:.2e}; "
            f"hooks vs Function guided: {cross_error:.1e}")


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: saliency_reference.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    for name in ("cnn4", "resnet50"):
        print(reference(name, outdir))


if __name__ == "__main__":
    main()
