"""Ground truth for pt-gh-torch-maml-shadowed-grads (correct look-alike): the snippet's maml_train
(before the maintainer's 'fix update bug' commit) looks as if it subtracted the whole gradient tuple
from every parameter. In a generator expression the iterable zip(..., grads) is evaluated in the
enclosing scope, and the loop target `grads` then names one gradient per parameter. Measured: the
meta-gradient of the snippet's maml_train (second-order MAML, one inner step) on a small functional
model equals the one with the loop variable renamed (the fix), and matches central finite
differences of the meta-loss on one weight (float64)."""
import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc1 = nn.Linear(4, 16)
        self.logits = nn.Linear(16, 3)

    def functional_forward(self, x, params):
        x = torch.tanh(F.linear(x, params["fc1.weight"], params["fc1.bias"]))
        return F.linear(x, params["logits.weight"], params["logits.bias"])


def tasks():
    g = torch.Generator().manual_seed(3)
    xs = [torch.randn(6, 4, generator=g, dtype=torch.float64) for _ in range(2)]
    ys = [torch.randint(0, 3, (6,), generator=g) for _ in range(2)]
    xq = [torch.randn(6, 4, generator=g, dtype=torch.float64) for _ in range(2)]
    yq = [torch.randint(0, 3, (6,), generator=g) for _ in range(2)]
    return xs, ys, xq, yq


def meta_grad(fn, model):
    opt = torch.optim.SGD(model.parameters(), lr=0.0)  # lr 0: keep the weights, read the gradient
    loss, _ = fn(model, *tasks(), 1, argparse.Namespace(inner_lr=0.4), opt)
    return float(loss), [p.grad.detach().clone() for p in model.parameters()]


@gt.case("pt-gh-torch-maml-shadowed-grads")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = gt.exec_snippet(__file__)
    fixed_src = open(path, encoding="utf-8").read().replace("args.inner_lr * grads)", "args.inner_lr * grad)").replace(
        "((name, param), grads) in", "((name, param), grad) in")
    assert fixed_src.count("grad)") >= 1 and "* grads)" not in fixed_src, "rename did not apply"
    ns_fixed = {}
    exec(compile(fixed_src, path, "exec"), ns_fixed)
    model = Net().double()
    loss, g_snip = meta_grad(ns["maml_train"], model)
    model2 = Net().double()
    _, g_fix = meta_grad(ns_fixed["maml_train"], model2)
    same = max(float((a - b).abs().max()) for a, b in zip(g_snip, g_fix))

    w = model.fc1.weight
    h = 1e-6

    def meta_loss():
        model.zero_grad()
        return meta_grad(ns["maml_train"], model)[0]

    with torch.no_grad():
        w[2, 1] += h
    up = meta_loss()
    with torch.no_grad():
        w[2, 1] -= 2 * h
    down = meta_loss()
    with torch.no_grad():
        w[2, 1] += h
    fd = (up - down) / (2 * h)
    rel = abs(g_snip[0][2, 1].item() - fd) / max(abs(fd), 1e-12)
    ok = same == 0.0 and rel < 1e-5
    return not ok, (
        f"meta-loss {gt.fmt(loss)}; max |meta-grad(snippet) - meta-grad(renamed loop variable)| = {gt.fmt(same)}; "
        f"d meta-loss / d fc1.weight[2,1]: autograd {gt.fmt(g_snip[0][2, 1].item())}, FD {gt.fmt(fd)}, rel err {gt.fmt(rel)}"
    )


gt.main()
