#!/usr/bin/python3
"""The LeNet-5 Fashion-MNIST recipe of `./visionplugin train --arch lenet5` run in PyTorch (CPU),
as a peer for accuracy and images/s on the same machine. A benchmark tool, not a runtime dependency.

Needs Debian's python3-torch and dataset-fashion-mnist. Usage:
  /usr/bin/python3 scripts/peers/lenet5_pytorch.py [--epochs 10] [--batch 64] [--lr 1e-3] [--threads 2] [--json]
      [--images N] [--no-test]
(--images N trains on the first N training images only; --no-test skips the test evaluation: the timing-only
mode `./visionplugin bench` uses.)
(Debian's interpreter: python3-torch is installed for it, not for other Pythons on PATH.)
Recipe: conv 5x5 1->6 pad 2, ReLU, max-pool 2, conv 5x5 6->16, ReLU, max-pool 2, FC 400->120, ReLU,
FC 120->84, ReLU, FC 84->10; softmax cross-entropy; Adam; pixels scaled to [0,1]; seeded shuffles.
"""
import argparse, gzip, json, os, struct, time
import numpy as np
import torch
import torch.nn as nn

FOLDER = "/usr/share/datasets/fashion-mnist"


def read_idx(name):
    path = os.path.join(FOLDER, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
        magic = f.read(4)
        dims = [struct.unpack(">i", f.read(4))[0] for _ in range(magic[3])]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.add_argument("--images", type=int, default=0, help="train on the first N images only (0: all)")
    p.add_argument("--no-test", action="store_true", help="skip the test evaluation (timing only)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    x_train = torch.tensor(read_idx("train-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    y_train = torch.tensor(read_idx("train-labels-idx1-ubyte"), dtype=torch.long)
    if a.images > 0:
        x_train, y_train = x_train[:a.images], y_train[:a.images]
    x_test = torch.tensor(read_idx("t10k-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    y_test = torch.tensor(read_idx("t10k-labels-idx1-ubyte"), dtype=torch.long)
    model = lenet5()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    loss_fn = nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(a.seed)
    history, train_seconds = [], 0.0
    for epoch in range(1, a.epochs + 1):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        start, total_loss = time.perf_counter(), 0.0
        for i in range(0, len(order), a.batch):
            idx = order[i:i + a.batch]
            opt.zero_grad()
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()
            total_loss += loss.item() * len(idx)
        seconds = time.perf_counter() - start
        train_seconds += seconds
        model.eval()
        with torch.no_grad():
            accuracy = None if a.no_test else (model(x_test).argmax(1) == y_test).float().mean().item()
        history.append({"epoch": epoch, "loss": total_loss / len(order), "test_accuracy": accuracy,
                        "images_per_second": len(order) / seconds})
        shown = "skipped" if accuracy is None else f"{accuracy:.4f}"
        print(f"epoch {epoch}: loss {total_loss / len(order):.4f}  test accuracy {shown}  {len(order) / seconds:.0f} images/s")
    result = {"framework": f"pytorch {torch.__version__} cpu", "threads": a.threads, "epochs": a.epochs, "images": len(x_train),
              "test_accuracy": history[-1]["test_accuracy"], "images_per_second": len(x_train) * a.epochs / train_seconds,
              "history": history}
    if a.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
