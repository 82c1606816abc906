"""Ground truth for pt-gh-anml-inner-update-first-order-grad (the training script marks every parameter `learn`, as gt does): the snippet's meta-learner, run with the repository's
functional Learner (workspace/model/learner.py, two linear layers with a ReLU), gives a meta-gradient that differs from
the second-order one: the same text with create_graph=True in inner_update (the fix the issue names).
The meta learning rate is 0 so that optimizer.step() leaves the weights as they were for the comparison."""
import os
import sys
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
sys.path.insert(0, os.path.join(HERE, "workspace"))
import gt  # noqa: E402
import torch  # noqa: E402


def meta_gradient(text):
    ns = {"__name__": "snippet"}
    exec(compile(text, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    torch.manual_seed(0)
    config = [("linear", [8, 4]), ("relu", [False]), ("linear", [3, 8])]
    args = SimpleNamespace(update_lr=0.5, meta_lr=0.0, update_step=3)
    learner = ns["MetaLearingClassification"](args, config, "none")
    for p in learner.net.parameters():
        p.learn = True
    torch.manual_seed(1)
    x_traj = torch.randn(3, 6, 4)
    y_traj = torch.randint(0, 3, (3, 6))
    x_rand = torch.randn(1, 10, 4)
    y_rand = torch.randint(0, 3, (1, 10))
    learner(x_traj, y_traj, x_rand, y_rand)
    return torch.cat([p.grad.reshape(-1) for p in learner.net.parameters()])


@gt.case("pt-gh-anml-inner-update-first-order-grad")
def _():
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    old = "grad = torch.autograd.grad(loss, fast_weights, allow_unused=False)"
    assert text.count(old) == 1
    first = meta_gradient(text)
    second = meta_gradient(text.replace(old, "grad = torch.autograd.grad(loss, fast_weights, allow_unused=False, create_graph=True)"))
    err = gt.rel_err(first, second)
    return err > 1e-3, f"meta-gradient without create_graph vs with it: rel err {gt.fmt(err)}"


gt.main()
