#!/usr/bin/python3
"""PyTorch (CPU) peer figures for `./visionplugin bench`: the same work as our sections, timed on this machine.
A benchmark tool, never a runtime dependency. Needs Debian's python3-torch (run with /usr/bin/python3);
torchvision is not needed: MobileNetV2 is written out below with torchvision's layer shapes.

Usage (the last stdout line is one JSON object; errors go to stderr with exit code 1):
  torch_bench.py mobilenet --batches 1,8 [--warmup 3] [--repeats 20] [--threads N]
      inference (eval, no_grad) of MobileNetV2-224, 1000 classes, random weights: p10/median/p90 ms per batch size
  torch_bench.py finetune --batch 16 [--classes 10] [--blocks 2] [--warmup 2] [--repeats 10] [--threads N]
      one last-blocks fine-tuning step: frozen front under no_grad, then forward+backward through the last
      `blocks` blocks (counted as our FineTuneSession counts them: the final 1x1 conv is a block) + pooling +
      linear head, softmax cross-entropy, Adam (weight decay 1e-4); BatchNorm stays in inference mode
  torch_bench.py conv --shapes FILE [--warmup 1] [--repeats 5] [--threads N]
      conv2d forward, input gradient and weight gradient (autograd) per layer of FILE: a JSON list of
      {"input": [N,C,H,W], "weight": [K,C/g,kh,kw], "stride": [sh,sw], "padding": [top,left,bottom,right],
       "dilation": [dh,dw], "groups": g}
"""
import argparse, json, os, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, kernel, stride, groups=1, relu=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = [conv_bn(cin, hidden, 1, 1)] if expand != 1 else []
        layers += [conv_bn(hidden, hidden, 3, stride, groups=hidden), conv_bn(hidden, cout, 1, 1, relu=False)]
        self.block = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        return x + self.block(x) if self.residual else self.block(x)


def mobilenet_v2(classes=1000):
    """torchvision's MobileNetV2 (width 1.0): features = stem, 17 inverted residuals, 1x1 conv to 1280."""
    settings = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
    features, cin = [conv_bn(3, 32, 3, 2)], 32
    for expand, cout, repeats, stride in settings:
        for i in range(repeats):
            features.append(InvertedResidual(cin, cout, stride if i == 0 else 1, expand))
            cin = cout
    features.append(conv_bn(cin, 1280, 1, 1))
    return nn.Sequential(nn.Sequential(*features), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(1280, classes))


def time_ms(run, warmup, repeats):
    for _ in range(warmup):
        run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    return {"p10_ms": pick(0.1), "median_ms": times[len(times) // 2], "p90_ms": pick(0.9), "repeats": repeats}


def bench_mobilenet(a):
    model = mobilenet_v2().eval()
    result = {}
    for batch in [int(b) for b in a.batches.split(",")]:
        x = torch.rand(batch, 3, 224, 224)
        with torch.no_grad():
            result[str(batch)] = time_ms(lambda: model(x), a.warmup, a.repeats)
    return {"batches": result, "weights": "random (timing only)"}


def bench_finetune(a):
    net = mobilenet_v2(a.classes)
    features = net[0]
    cut = len(features) - a.blocks
    front = features[:cut].eval()
    tail = nn.Sequential(features[cut:], net[1], net[2], net[3])
    for p in net.parameters():
        p.requires_grad_(False)
    trainable = []
    for m in tail.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            for p in m.parameters():
                p.requires_grad_(True)
                trainable.append(p)
    tail.eval()  # BatchNorm in inference mode, as our session keeps it
    opt = torch.optim.Adam(trainable, lr=1e-3, weight_decay=1e-4)
    x = torch.rand(a.batch, 3, 224, 224)
    y = torch.randint(0, a.classes, (a.batch,))
    parts = {"front": [], "tail": []}

    def step():
        start = time.perf_counter()
        with torch.no_grad():
            h = front(x)
        middle = time.perf_counter()
        opt.zero_grad()
        loss = F.cross_entropy(tail(h), y)
        loss.backward()
        opt.step()
        end = time.perf_counter()
        parts["front"].append((middle - start) * 1e3)
        parts["tail"].append((end - middle) * 1e3)

    timing = time_ms(step, a.warmup, a.repeats)
    median = lambda v: sorted(v[a.warmup:])[len(v[a.warmup:]) // 2]
    return {"step": timing, "front_median_ms": median(parts["front"]), "tail_median_ms": median(parts["tail"]),
            "images_per_second": a.batch / (timing["median_ms"] / 1e3), "trainable_parameters": sum(p.numel() for p in trainable)}


def bench_conv(a):
    with open(a.shapes) as f:
        shapes = json.load(f)
    layers = []
    for s in shapes:
        top, left, bottom, right = s["padding"]
        x = torch.randn(*s["input"], requires_grad=True)
        w = torch.randn(*s["weight"], requires_grad=True)
        conv = lambda: F.conv2d(F.pad(x, (left, right, top, bottom)), w, None, tuple(s["stride"]), 0, tuple(s["dilation"]), s["groups"])
        with torch.no_grad():
            forward = time_ms(conv, a.warmup, a.repeats)
        y = conv()
        dy = torch.randn_like(y)
        backward_input = time_ms(lambda: torch.autograd.grad(y, x, dy, retain_graph=True), a.warmup, a.repeats)
        backward_weight = time_ms(lambda: torch.autograd.grad(y, w, dy, retain_graph=True), a.warmup, a.repeats)
        layers.append({"forward_ms": forward["median_ms"], "backward_input_ms": backward_input["median_ms"],
                       "backward_weight_ms": backward_weight["median_ms"]})
    return {"layers": layers}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("section", choices=["mobilenet", "finetune", "conv"])
    p.add_argument("--batches", default="1,8")
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--shapes")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    a = p.parse_args()
    if a.repeats < 1 or a.warmup < 0:
        sys.exit("torch_bench: --repeats must be >= 1 and --warmup >= 0")
    if a.section == "conv" and not a.shapes:
        sys.exit("torch_bench: conv needs --shapes FILE")
    torch.manual_seed(0)
    torch.set_num_threads(a.threads)
    bench = {"mobilenet": bench_mobilenet, "finetune": bench_finetune, "conv": bench_conv}[a.section]
    result = bench(a)
    result.update({"framework": f"pytorch {torch.__version__} cpu", "threads": torch.get_num_threads()})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
