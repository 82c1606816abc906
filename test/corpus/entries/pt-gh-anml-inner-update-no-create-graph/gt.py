import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn, optim  # noqa: E402
from torch.nn import functional as F  # noqa: E402

CASE = "pt-gh-anml-inner-update-no-create-graph"


class _Learner(nn.Module):
    """A small functional learner like the repository's: net(x, vars, bn_training), parameters() = vars with .learn."""

    def __init__(self, config, neuromodulation):
        super().__init__()
        self.vars = nn.ParameterList([nn.Parameter(torch.randn(8, 4, dtype=torch.float64) * 0.5),
                                      nn.Parameter(torch.zeros(8, dtype=torch.float64)),
                                      nn.Parameter(torch.randn(3, 8, dtype=torch.float64) * 0.5),
                                      nn.Parameter(torch.zeros(3, dtype=torch.float64))])
        for p in self.vars:
            p.learn = True

    def forward(self, x, vars=None, bn_training=False):
        w1, b1, w2, b2 = self.vars if vars is None else vars
        return F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)

    def parameters(self):
        return self.vars


def meta_grads(source):
    ns = {"nn": nn, "torch": torch, "optim": optim, "F": F, "Learner": SimpleNamespace(Learner=_Learner)}
    exec(compile(source, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    torch.manual_seed(0)
    args = SimpleNamespace(update_lr=0.5, meta_lr=1e-3, update_step=3)
    learner = ns["MetaLearingClassification"](args, None, "none")
    x_traj, y_traj = torch.randn(3, 6, 4, dtype=torch.float64), torch.randint(0, 3, (3, 6))
    x_rand, y_rand = torch.randn(1, 10, 4, dtype=torch.float64), torch.randint(0, 3, (1, 10))
    learner(x_traj, y_traj, x_rand, y_rand)
    return torch.cat([p.grad.reshape(-1) for p in learner.net.parameters()])


@gt.case(CASE)
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    quoted = meta_grads(source)
    fixed = source.replace("allow_unused=False)", "allow_unused=False, create_graph=True)")
    assert fixed != source
    second_order = meta_grads(fixed)
    err = gt.rel_err(quoted, second_order)
    return err > 1e-3, f"meta-gradient of the quoted code vs the same code with create_graph=True: rel err {gt.fmt(err)}"


gt.main()
