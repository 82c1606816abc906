import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
from torch import nn, optim  # noqa: E402
from torch.nn import functional as F  # noqa: E402

CASE = "pt-gh-maml-pytorch-inner-grad-first-order"


class Learner(nn.Module):
    """A small functional learner like the repository's: net(x, vars, bn_training), parameters() = vars."""

    def __init__(self, config, imgc, imgsz):
        super().__init__()
        d = imgc * imgsz * imgsz
        self.vars = nn.ParameterList([nn.Parameter(torch.randn(8, d, dtype=torch.float64) * 0.5),
                                      nn.Parameter(torch.zeros(8, dtype=torch.float64)),
                                      nn.Parameter(torch.randn(3, 8, dtype=torch.float64) * 0.5),
                                      nn.Parameter(torch.zeros(3, dtype=torch.float64))])

    def forward(self, x, vars=None, bn_training=True):
        w1, b1, w2, b2 = self.vars if vars is None else vars
        return F.linear(torch.tanh(F.linear(x.flatten(1), w1, b1)), w2, b2)

    def parameters(self):
        return self.vars


def meta_grads(source):
    ns = {"nn": nn, "torch": torch, "optim": optim, "F": F, "Learner": Learner}
    exec(compile(source, "snippet.py", "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    torch.manual_seed(0)
    args = SimpleNamespace(update_lr=0.5, meta_lr=1e-3, n_way=3, k_spt=4, k_qry=4, task_num=2, update_step=3,
                           update_step_test=3, imgc=1, imgsz=2)
    meta = ns["Meta"](args, None)
    x_spt, x_qry = torch.randn(2, 12, 1, 2, 2, dtype=torch.float64), torch.randn(2, 12, 1, 2, 2, dtype=torch.float64)
    y_spt, y_qry = torch.randint(0, 3, (2, 12)), torch.randint(0, 3, (2, 12))
    meta(x_spt, y_spt, x_qry, y_qry)
    return torch.cat([p.grad.reshape(-1) for p in meta.net.parameters()])


@gt.case(CASE)
def _():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        source = fh.read()
    quoted = meta_grads(source)
    # The same code with the inner gradients kept in the graph: the second-order MAML meta-gradient.
    fixed = source.replace("torch.autograd.grad(loss, self.net.parameters())",
                           "torch.autograd.grad(loss, self.net.parameters(), create_graph=True)")
    fixed = fixed.replace("torch.autograd.grad(loss, fast_weights)", "torch.autograd.grad(loss, fast_weights, create_graph=True)")
    assert fixed != source
    second_order = meta_grads(fixed)
    err = gt.rel_err(quoted, second_order)
    return err > 1e-3, f"meta-gradient of the quoted code vs second-order MAML: rel err {gt.fmt(err)}"


gt.main()
