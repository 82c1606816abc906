import os
import sys
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-gh-pytorch-input-gradient-penalty-create-graph-ok")
def _():
    # The snippet runs as quoted, on the CPU: `models.PreActResNet18` is a small smooth CNN and `.cuda()`
    # the identity. After its 100 steps, the penalty of a fresh batch is differentiated w.r.t. the weights.
    torch.manual_seed(0)

    def small_net():
        return torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Tanh(), torch.nn.Flatten(), torch.nn.Linear(4 * 30 * 30, 10))

    models = types.ModuleType("models")
    models.PreActResNet18 = small_net
    sys.modules["models"] = models
    torch.Tensor.cuda = lambda self, *a, **k: self
    torch.nn.Module.cuda = lambda self, *a, **k: self
    ns = gt.exec_snippet(__file__, {"print": lambda *a, **k: None})
    net = ns["net"]
    x = torch.rand(16, 3, 32, 32, requires_grad=True)
    y = torch.randint(0, 10, (16,))
    loss_c = torch.nn.CrossEntropyLoss()(net(x), y)
    g = torch.autograd.grad(loss_c, x, create_graph=True)[0]
    pen = (g ** 2).mean() * 128
    pg = torch.autograd.grad(pen, list(net.parameters()), allow_unused=True)
    live = any(p is not None and p.abs().sum() > 0 for p in pg)
    return not live, f"the penalty's gradient with respect to the weights is non-zero: {live}; penalty after training {pen.item():.4g}"


gt.main()
