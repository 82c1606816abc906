"""Behaviour check for higher (facebookresearch/higher).

1. The repository's own tests in tests/test_patch.py (the file that draws warnings, so the file that
   safe fixes change), one case per test: its outcome.
2. Meta-learning through higher's API on a small seeded MLP: a few differentiable inner SGD / Adam steps
   (`innerloop_ctx`), then the meta-gradient of the outer loss with respect to the initial weights,
   with and without `track_higher_grads`. The result is the gradients themselves.
"""
import os

import torch
import torch.nn as nn

from common import run_cases, run_unittests, seed_all

import higher  # from PYTHONPATH: the original or the fixed copy


def mlp():
    seed_all(0)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))


def maml(opt_name, track):
    def run():
        model = mlp()
        xs, ys = torch.randn(3, 8, 4), torch.randn(3, 8, 1)
        xq, yq = torch.randn(8, 4), torch.randn(8, 1)
        inner = torch.optim.SGD(model.parameters(), lr=0.1) if opt_name == "sgd" else torch.optim.Adam(model.parameters(), lr=0.01)
        with higher.innerloop_ctx(model, inner, copy_initial_weights=False, track_higher_grads=track) as (fmodel, diffopt):
            for i in range(3):
                diffopt.step(((fmodel(xs[i]) - ys[i]) ** 2).mean())
            outer = ((fmodel(xq) - yq) ** 2).mean()
            outer.backward()
            fast = [p.detach().clone() for p in fmodel.parameters()]
        grads = [p.grad for p in model.parameters()]
        return {"outer": outer.detach(), "meta_grads": grads, "fast_weights": fast}

    return run


src = os.environ.get("AGL_BEHAVIOUR_SRC", ".")
cases = run_unittests(["tests.test_patch"], extra_path=src)
for opt_name in ("sgd", "adam"):
    for track in (True, False):
        cases.append((f"maml:{opt_name}:track={track}", maml(opt_name, track)))
run_cases(cases)
