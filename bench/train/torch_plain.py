"""The plain PyTorch script the torch engine is measured against (bench/train/torch-engine-bench.ts).

The same training as the engine runs for the benchmark's spec, written the way a user would write it
in a few lines: read the columns, min-max scale them to [-1, 1], an nn.Sequential MLP starting from the
same initial weights, Adam (eps 1e-7 as tfjs), the cosine schedule, shuffled mini-batches, the
derivative term by torch.autograd.grad(create_graph=True), then save the weights. No spec checks, no
seeded split, no progress, no cancel, no model folder: what the engine adds is what is measured.

Usage: python3 torch_plain.py REQUEST.json   (prints one JSON line: timings and the last epoch's loss)
"""
import json
import math
import sys
import time

import numpy as np
import torch


def main():
    req = json.load(open(sys.argv[1]))
    torch.set_num_threads(req["threads"])
    n, d = req["n"], req["d"]
    x = np.stack([np.fromfile(f, dtype="<f8") for f in req["x"]], axis=1)
    y = np.fromfile(req["y"], dtype="<f8")[:, None]
    g = np.stack([np.fromfile(f, dtype="<f8") for f in req["dy"]], axis=1) if req["derivatives"] else None
    c0, w0 = time.process_time(), time.perf_counter()
    lo, hi = x.min(0), x.max(0)
    ox, sx = (lo + hi) / 2, (hi - lo) / 2
    oy, sy = (y.min() + y.max()) / 2, (y.max() - y.min()) / 2
    X = torch.from_numpy(((x - ox) / sx).astype(np.float32))
    Y = torch.from_numpy(((y - oy) / sy).astype(np.float32))
    G = torch.from_numpy((g * sx / sy).astype(np.float32)) if g is not None else None
    sizes = req["sizes"]
    layers = []
    for l in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[l], sizes[l + 1]))
        if l < len(sizes) - 2:
            layers.append(torch.nn.Tanh())
    model = torch.nn.Sequential(*layers)
    flat = torch.from_numpy(np.fromfile(req["init"], dtype="<f4"))
    off = 0
    with torch.no_grad():
        for lin in model[::2]:
            w = flat[off:off + lin.in_features * lin.out_features].reshape(lin.in_features, lin.out_features)
            off += w.numel()
            lin.weight.copy_(w.t())
            lin.bias.copy_(flat[off:off + lin.out_features])
            off += lin.out_features
    opt = torch.optim.Adam(model.parameters(), lr=req["lr"], eps=1e-7)
    epochs, batch = req["epochs"], req["batch"]
    gen = torch.Generator().manual_seed(0)
    for e in range(epochs):
        t = 0 if epochs <= 1 else e / (epochs - 1)
        for group in opt.param_groups:
            group["lr"] = req["lr"] * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * t)))
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros(())
        steps = 0
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            xb = X[idx]
            if G is None:
                loss = torch.mean((model(xb) - Y[idx]) ** 2)
            else:
                xb.requires_grad_(True)
                out = model(xb)
                (dx,) = torch.autograd.grad(out.sum(), xb, create_graph=True)
                loss = torch.mean((out - Y[idx]) ** 2) + torch.mean((dx - G[idx]) ** 2)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach()
            steps += 1
        last = float(total) / steps
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    torch.save(model.state_dict(), req["out"])
    print(json.dumps({"trainCpu": cpu, "trainWall": wall, "processCpu": time.process_time(), "lastEpochLoss": last}))


if __name__ == "__main__":
    main()
