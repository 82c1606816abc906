"""Ground truth for pt-repo-wgan-gp-norm-epsilon (correct look-alike): the snippet's
Trainer._gradient_penalty on a small float64 ReLU critic and a batch in which one interpolate lies
where the critic is locally constant (its input gradient is exactly zero). With the epsilon inside
the square root, the penalty's gradient on the critic's weights stays finite and matches central
finite differences. Control: the same code without the epsilon gives NaN there."""
import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def critic():
    torch.manual_seed(0)
    D = nn.Sequential(nn.Flatten(), nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1)).double()
    with torch.no_grad():
        D[1].weight.abs_()
        D[1].bias.zero_()
    return D


def penalty_and_grads(Trainer, D, real, fake):
    tr = Trainer.__new__(Trainer)
    tr.D, tr.use_cuda, tr.gp_weight = D, False, 10
    torch.manual_seed(1)
    p = tr._gradient_penalty(real, fake)
    params = list(D.parameters())
    grads = torch.autograd.grad(p, params, allow_unused=True)  # the output bias does not enter the input gradient
    return p, [torch.zeros_like(q) if gq is None else gq for q, gq in zip(params, grads)]


@gt.case("pt-repo-wgan-gp-norm-epsilon")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = gt.exec_snippet(__file__)
    g = torch.Generator().manual_seed(2)
    real = torch.rand(6, 1, 2, 2, generator=g, dtype=torch.float64)
    fake = torch.rand(6, 1, 2, 2, generator=g, dtype=torch.float64)
    real[0], fake[0] = -5.0, -5.0  # every hidden unit off: zero input gradient for sample 0
    D = critic()
    p, grads = penalty_and_grads(ns["Trainer"], D, real, fake)
    finite = all(bool(torch.isfinite(t).all()) for t in grads)

    w = D[3].weight
    h = 1e-6
    with torch.no_grad():
        w[0, 2] += h
    up = float(penalty_and_grads(ns["Trainer"], D, real, fake)[0])
    with torch.no_grad():
        w[0, 2] -= 2 * h
    down = float(penalty_and_grads(ns["Trainer"], D, real, fake)[0])
    with torch.no_grad():
        w[0, 2] += h
    fd = (up - down) / (2 * h)
    rel = abs(float(grads[2][0, 2]) - fd) / max(abs(fd), 1e-12)

    src = open(path, encoding="utf-8").read().replace(" + 1e-12)", ")")
    ns_no_eps = {}
    exec(compile(src, path, "exec"), ns_no_eps)
    _, grads_no_eps = penalty_and_grads(ns_no_eps["Trainer"], critic(), real, fake)
    nan_without = any(bool(torch.isnan(t).any()) for t in grads_no_eps)
    ok = finite and rel < 1e-5
    return not ok, (f"penalty {gt.fmt(float(p))}; weight gradients finite: {finite}; d/dW2[0,2] autograd "
                    f"{gt.fmt(float(grads[2][0, 2]))}, FD {gt.fmt(fd)}, rel err {gt.fmt(rel)}; without the epsilon: NaN {nan_without}")


gt.main()
