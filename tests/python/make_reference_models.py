#!/usr/bin/python3
"""Reference data for tests/core/test_models.cpp, written at test time (nothing is committed).

Usage: /usr/bin/python3 make_reference_models.py OUTDIR

For resnet50, vgg16, efficientnet_b0 and efficientnet_b7 (torchvision, random weights, fixed
seed) with the head replaced by the zoo's layout (global average pooling -> dropout ->
linear(2); vgg16's features end at index 29, the last conv's ReLU), it writes
  OUTDIR/<name>.weights.pt  torch.save(dict(model.state_dict()))
  OUTDIR/<name>.io.pt       {"input": 1x3x64x64, "logits": eval-mode logits,
                             "features": the default target layer's output}
BatchNorm statistics, affine parameters and biases are randomised too, so that eps and buffer
loading matter. It also writes
  OUTDIR/structure.tsv      arch<TAB>name<TAB>shape for the unmodified torchvision models
                            (resnet50, vgg16, efficientnet_b0..b7): the names C++ must match
  OUTDIR/bad/*.pt           files the importer must refuse with a clear error
"""
import collections
import os
import sys

import torch
import torchvision
from torch import nn

SEED = 20240611
NUM_CLASSES = 2


def randomise(model: nn.Module, generator: torch.Generator) -> None:
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                c = module.num_features
                module.weight.copy_(torch.rand(c, generator=generator) + 0.5)
                module.bias.copy_(torch.randn(c, generator=generator) * 0.1)
                module.running_mean.copy_(torch.randn(c, generator=generator) * 0.1)
                # small variances for some channels make eps (1e-5 vs 1e-3) visible
                module.running_var.copy_(torch.rand(c, generator=generator) * 1.2 + 0.05)
                module.num_batches_tracked.fill_(7)
            elif isinstance(module, (nn.Conv2d, nn.Linear)) and module.bias is not None:
                module.bias.copy_(torch.randn(module.bias.shape, generator=generator) * 0.05)
        # keep ResNet's residual sums from growing without bound (cf. zero_init_residual)
        for name, module in model.named_modules():
            if name.endswith(".bn3"):
                module.weight.mul_(0.2)


def build(name: str):
    """Our head layout on a torchvision backbone; returns (model, module whose output is the
    default target layer)."""
    if name == "resnet50":
        m = torchvision.models.resnet50()
        m.fc = nn.Linear(m.fc.in_features, NUM_CLASSES)  # dropout is identity in eval
        return m, m.layer4
    if name == "vgg16":
        m = torchvision.models.vgg16()
        m.features = m.features[:30]  # keeps the names features.0 .. features.29
        m.avgpool = nn.AdaptiveAvgPool2d(1)
        m.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(512, NUM_CLASSES))
        return m, m.features[29]
    if name.startswith("efficientnet_b"):
        m = getattr(torchvision.models, name)()
        m.classifier[1] = nn.Linear(m.classifier[1].in_features, NUM_CLASSES)
        return m, m.features[8]
    raise ValueError(name)


def write_reference(name: str, outdir: str) -> None:
    torch.manual_seed(SEED)
    model, target = build(name)
    generator = torch.Generator().manual_seed(SEED + 1)
    randomise(model, generator)
    model.eval()
    x = torch.randn(1, 3, 64, 64, generator=generator)
    captured = {}
    handle = target.register_forward_hook(lambda mod, inp, out: captured.__setitem__("features", out.clone()))
    with torch.no_grad():
        logits = model(x)
    handle.remove()
    torch.save(dict(model.state_dict()), os.path.join(outdir, name + ".weights.pt"))
    torch.save({"input": x, "logits": logits, "features": captured["features"]},
               os.path.join(outdir, name + ".io.pt"))


def write_structure(outdir: str) -> None:
    # Only names and shapes are needed: skip the (slow) random initialisation.
    saved = {}
    for fn in ("kaiming_normal_", "kaiming_uniform_", "normal_", "uniform_", "constant_", "ones_", "zeros_"):
        saved[fn] = getattr(nn.init, fn)
        setattr(nn.init, fn, lambda tensor, *args, **kwargs: tensor)
    try:
        with open(os.path.join(outdir, "structure.tsv"), "w") as out:
            archs = ["resnet50", "vgg16"] + [f"efficientnet_b{i}" for i in range(8)]
            for arch in archs:
                model = getattr(torchvision.models, arch)()
                for key, tensor in model.state_dict().items():
                    shape = ",".join(str(s) for s in tensor.shape)
                    out.write(f"{arch.replace('_', '-')}\t{key}\t{shape}\n")
                del model
    finally:
        for fn, f in saved.items():
            setattr(nn.init, fn, f)


def write_bad_files(outdir: str) -> None:
    bad = os.path.join(outdir, "bad")
    os.makedirs(bad, exist_ok=True)
    t = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    with open(os.path.join(bad, "text.pt"), "w") as f:
        f.write("conv1.weight = [1, 2, 3]\nthis is not a weights file\n")
    torch.save([t, t], os.path.join(bad, "list.pt"))
    # what most people save: model.state_dict() itself, an OrderedDict
    torch.save(collections.OrderedDict([("conv1.weight", t)]), os.path.join(bad, "ordered.pt"))
    torch.save({"conv1.weight": t, "note": "a string"}, os.path.join(bad, "non_tensor.pt"))
    torch.save({"conv1.weight": t}, os.path.join(bad, "legacy.pt"), _use_new_zipfile_serialization=False)
    # the first 60% of a real weights file
    with open(os.path.join(outdir, "resnet50.weights.pt"), "rb") as f:
        data = f.read()
    with open(os.path.join(bad, "truncated.pt"), "wb") as f:
        f.write(data[: len(data) * 6 // 10])
    # a zip archive that is not a torch.save file
    import zipfile
    with zipfile.ZipFile(os.path.join(bad, "other.zip.pt"), "w") as z:
        z.writestr("readme.txt", "hello")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    torch.set_num_threads(1)  # run beside other tests: OpenMP spinning on a busy machine is slow
    for name in ("resnet50", "vgg16", "efficientnet_b0", "efficientnet_b7"):
        write_reference(name, outdir)
    write_structure(outdir)
    write_bad_files(outdir)
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}: references in {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
