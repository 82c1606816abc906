import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# The repository's utils.get_data_loader: a DataLoader over the dataset.
utils = types.ModuleType("utils")
utils.get_data_loader = lambda dataset, batch_size, cuda=False, collate_fn=None: torch.utils.data.DataLoader(
    dataset, batch_size=batch_size, shuffle=False)
sys.modules["utils"] = utils


@gt.case("pt-git-pytorch-ewc-fisher-squared-mean-gradient")
def _():
    ns = gt.exec_snippet(__file__)

    class Net(ns["MLP"]):
        def __init__(self):
            torch.nn.Module.__init__(self)
            torch.manual_seed(0)
            self.layers = torch.nn.ModuleList([torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3)])

    net = Net()
    torch.manual_seed(1)
    xs, ys = torch.randn(64, 6), torch.randint(0, 3, (64,))
    dataset = torch.utils.data.TensorDataset(xs, ys)
    fisher = net.estimate_fisher(dataset, sample_size=64, batch_size=16)
    # Independent empirical Fisher diagonal: mean over samples of the squared per-sample gradient.
    ref = [torch.zeros_like(p) for p in net.parameters()]
    for i in range(64):
        ll = F.log_softmax(net(xs[i:i + 1]), dim=1)[0, ys[i]]
        for r, g in zip(ref, torch.autograd.grad(ll, list(net.parameters()))):
            r += g ** 2 / 64
    errs = [gt.rel_err(f.expand_as(r), r) for f, r in zip(fisher.values(), ref)]
    worst = max(errs)
    return worst > 1e-3, f"largest relative error of the Fisher diagonal against per-sample squares: {gt.fmt(worst)}"


gt.main()
