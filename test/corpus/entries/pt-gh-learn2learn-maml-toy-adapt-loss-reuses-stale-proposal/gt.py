import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import contextlib
import io
import gt, torch
from torch import distributions as dist, nn

DIM = 5


class Model(nn.Module):  # learn2learn's examples/maml_toy.py
    def __init__(self):
        super(Model, self).__init__()
        self.mu = nn.Parameter(torch.randn(DIM, dtype=torch.float64))
        self.sigma = nn.Parameter(torch.abs(torch.randn(DIM, dtype=torch.float64)))

    def forward(self, x=None):
        return dist.Normal(self.mu, self.sigma)


class MAML:
    """Stand-in for l2l.algorithms.MAML (second order): clone() keeps the graph to the meta-parameters,
    adapt(loss) takes an out-of-place SGD step with create_graph=True."""

    def __init__(self, module, lr):
        self.module, self.lr = module, lr

    def clone(self):
        return MAML(gt.clone_module(self.module), self.lr)

    def adapt(self, loss):
        params = list(self.module.parameters())
        grads = torch.autograd.grad(loss, params, create_graph=True)
        gt.update_module(self.module, self.lr, grads)

    def parameters(self):
        return self.module.parameters()

    def __call__(self, *args):
        return self.module(*args)


@gt.case("pt-gh-learn2learn-maml-toy-adapt-loss-reuses-stale-proposal")
def _():
    torch.manual_seed(0)
    model = Model()
    maml = MAML(model, lr=0.1)
    task_dist = dist.Normal(torch.zeros(2 * DIM, dtype=torch.float64), torch.ones(2 * DIM, dtype=torch.float64))
    names = {"TASKS_PER_STEP": 3, "DIM": DIM, "task_dist": task_dist, "maml": maml, "step_loss": 0.0}
    with contextlib.redirect_stdout(io.StringIO()):
        ns = gt.exec_snippet(__file__, names)
    loss, adapt_loss, learner = ns["loss"], ns["adapt_loss"], ns["learner"]
    mu_i, sigma_i = ns["mu_i"], ns["sigma_i"]
    # what the adaptation achieved: the same loss evaluated with the adapted learner
    fresh = learner()
    true_adapt = (mu_i - fresh.mean).pow(2).sum() + (sigma_i - fresh.variance).pow(2).sum()
    # meta-gradient of the snippet's step loss vs the gradient of the pre-adaptation losses (no MAML at all)
    g_step = torch.autograd.grad(ns["step_loss"], [model.mu, model.sigma], retain_graph=True)
    same = float(adapt_loss) == float(loss)
    return same, (f"last task: loss {gt.fmt(float(loss))}, snippet's adapt_loss {gt.fmt(float(adapt_loss))} (identical: {same}); "
                  f"loss of the adapted learner {gt.fmt(float(true_adapt))}; meta-grad norm {gt.fmt(gt.norm_of(g_step))}")


gt.main()
