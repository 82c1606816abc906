"""PyTorch side of bench/defaults: trains the engine's MLP the engine's way, at the same budget.

Reads one JSON object on stdin: {"jobs": [...]}; writes one JSON line per job on stdout as it finishes.
A job carries its data (raw inputs x [d][n], values y [n], test inputs xt [d][m] and the analytic
gradient gt [d][m] at them), the network (hidden widths, activation), the engine's initial weights
(flat float list, layer by layer: W [nIn, nOut] row-major then b) and the training settings (epochs,
batch size, learning rate, seed). What is the same as the engine:
  - min-max normalization of inputs and outputs to [-1, 1] from the training data,
  - the initial weights (passed in), Adam (beta 0.9/0.999, eps 1e-7 as tfjs), the cosine
    learning-rate schedule to 1 % over the epochs, mini-batches of a fresh permutation per epoch,
  - float32 arithmetic.
The reply: relative L2 error of the input gradient (raw units, Frobenius over all test points and
inputs) against the analytic gradient, relative L2 of the values on the test points, CPU seconds.
Usage: /usr/bin/python3 torch_train.py < jobs.json
"""
import json
import math
import sys
import time

import torch

torch.set_num_threads(1)
ACT = {"tanh": torch.tanh, "softplus": torch.nn.functional.softplus, "silu": torch.nn.functional.silu, "sin": torch.sin, "relu": torch.relu}


def run(job):
    torch.manual_seed(job["seed"])
    x = torch.tensor(job["x"], dtype=torch.float64).T  # [n, d]
    y = torch.tensor(job["y"], dtype=torch.float64).unsqueeze(1)
    xt = torch.tensor(job["xt"], dtype=torch.float64).T
    gt = torch.tensor(job["gt"], dtype=torch.float64).T  # [m, d]
    yt = torch.tensor(job["yt"], dtype=torch.float64).unsqueeze(1)
    lo, hi = x.min(0).values, x.max(0).values
    xo, xs = (lo + hi) / 2, torch.where(hi > lo, (hi - lo) / 2, torch.ones_like(hi))
    ylo, yhi = y.min(), y.max()
    yo, ys = (ylo + yhi) / 2, ((yhi - ylo) / 2 if yhi > ylo else torch.tensor(1.0, dtype=torch.float64))
    xn = ((x - xo) / xs).float()
    yn = ((y - yo) / ys).float()
    sizes = [x.shape[1], *job["hidden"], 1]
    flat = torch.tensor(job["init"], dtype=torch.float32)
    params = []
    off = 0
    for l in range(len(sizes) - 1):
        n_in, n_out = sizes[l], sizes[l + 1]
        w = flat[off:off + n_in * n_out].reshape(n_in, n_out).clone().requires_grad_(True)
        off += n_in * n_out
        b = flat[off:off + n_out].clone().requires_grad_(True)
        off += n_out
        params += [w, b]
    act = ACT[job["activation"]]

    def net(v):
        h = v
        for l in range(0, len(params) - 2, 2):
            h = act(h @ params[l] + params[l + 1])
        return h @ params[-2] + params[-1]

    lr0, epochs, batch = job["lr"], job["epochs"], job["batch"]
    opt = torch.optim.Adam(params, lr=lr0, betas=(0.9, 0.999), eps=1e-7)
    n = xn.shape[0]
    gen = torch.Generator().manual_seed(job["seed"])
    c0 = time.process_time()
    for e in range(epochs):
        t = 0.0 if epochs <= 1 else e / (epochs - 1)
        lr = lr0 * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * t)))
        for g in opt.param_groups:
            g["lr"] = lr
        perm = torch.randperm(n, generator=gen)
        for s in range(0, n, batch):
            idx = perm[s:s + batch]
            loss = torch.mean((net(xn[idx]) - yn[idx]) ** 2)
            opt.zero_grad()
            loss.backward()
            opt.step()
    cpu = time.process_time() - c0
    # Raw-unit gradient at the test points: d y/d x = d yn/d xn * ys / xs.
    xtn = ((xt - xo) / xs).float().requires_grad_(True)
    out = net(xtn)
    (g,) = torch.autograd.grad(out.sum(), xtn)
    g = g.double() * ys / xs
    pred = out.detach().double() * ys + yo
    rel = float(torch.linalg.norm(g - gt) / torch.linalg.norm(gt))
    relv = float(torch.linalg.norm(pred - yt) / torch.linalg.norm(yt))
    return {"id": job["id"], "gradRelL2": rel, "valueRelL2": relv, "cpuSeconds": cpu, "finite": bool(math.isfinite(rel))}


def main():
    jobs = json.load(sys.stdin)["jobs"]
    for job in jobs:
        print(json.dumps(run(job)), flush=True)


main()
