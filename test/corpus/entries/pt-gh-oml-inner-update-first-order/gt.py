"""Ground truth for pt-gh-oml-inner-update-first-order: the snippet's OML meta-learner (linear/relu
layers) on a small task in float64. The meta-gradient its forward() leaves in the network's .grad is
compared with the same code run with create_graph=True in inner_update (second-order), and that one
with central finite differences of the meta-loss on one weight. The optimizer's lr is 0 so the
weights stay put while .grad is read."""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CONFIG = [("linear", [16, 4]), ("relu", [False]), ("linear", [3, 16])]


def data():
    g = torch.Generator().manual_seed(5)
    x_traj = torch.randn(3, 8, 4, generator=g, dtype=torch.float64)
    y_traj = torch.randint(0, 3, (3, 8), generator=g)
    x_rand = torch.randn(1, 8, 4, generator=g, dtype=torch.float64)
    y_rand = torch.randint(0, 3, (1, 8), generator=g)
    return x_traj, y_traj, x_rand, y_rand


def learner(ns):
    torch.manual_seed(0)
    m = ns["MetaLearingClassification"](argparse.Namespace(update_lr=0.3, meta_lr=0.0, update_step=3), CONFIG).double()
    for p in m.net.parameters():
        p.learn = True
    return m


def meta_grad(ns):
    m = learner(ns)
    m(*data())
    return [p.grad.detach().clone() for p in m.net.parameters()]


def meta_loss_at(ns, i, j, delta):
    m = learner(ns)
    with torch.no_grad():
        m.net.vars[0][i, j] += delta
    x_traj, y_traj, x_rand, y_rand = data()
    fw = m.inner_update(x_traj[0], None, y_traj[0], True)
    for k in range(1, 3):
        fw = m.inner_update(x_traj[k], fw, y_traj[k], True)
    return float(m.meta_loss(x_rand[0], fw, y_rand[0], False)[0])


@gt.case("pt-gh-oml-inner-update-first-order")
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    src = open(path, encoding="utf-8").read()
    ns = gt.exec_snippet(__file__)
    fixed = src.replace("grad = torch.autograd.grad(loss, fast_weights)", "grad = torch.autograd.grad(loss, fast_weights, create_graph=True)")
    assert fixed != src
    ns2: dict = {}
    exec(compile(fixed, path, "exec"), ns2)
    g1 = meta_grad(ns)
    g2 = meta_grad(ns2)
    h = 1e-6
    fd = (meta_loss_at(ns2, 2, 1, h) - meta_loss_at(ns2, 2, 1, -h)) / (2 * h)
    rel_fixed = abs(g2[0][2, 1].item() - fd) / max(abs(fd), 1e-12)
    rel_snip = abs(g1[0][2, 1].item() - fd) / max(abs(fd), 1e-12)
    diff = max(float((a - b).abs().max()) for a, b in zip(g1, g2))
    return rel_fixed < 1e-5 and rel_snip > 1e-3, (
        f"d meta-loss / d W1[2,1]: finite differences {gt.fmt(fd)}, snippet (no create_graph) {gt.fmt(g1[0][2, 1].item())} "
        f"(rel err {gt.fmt(rel_snip)}), with create_graph=True {gt.fmt(g2[0][2, 1].item())} (rel err {gt.fmt(rel_fixed)}); "
        f"max |difference| over all meta-gradients {gt.fmt(diff)}")


gt.main()
