import os
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-guided-backprop-relu-hook-clamp-grad-in"


class GuidedReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x > 0).to(g.dtype) * (g > 0).to(g.dtype)


class Net(torch.nn.Module):
    def __init__(self, guided=False):
        super().__init__()
        self.c1, self.c2 = torch.nn.Conv2d(3, 6, 3), torch.nn.Conv2d(6, 8, 3)
        self.r1, self.r2 = torch.nn.ReLU(), torch.nn.ReLU()
        self.fc = torch.nn.Linear(8 * 4 * 4, 5)
        self.guided = guided

    def act(self, relu, x):
        return GuidedReLU.apply(x) if self.guided else relu(x)

    def forward(self, x):
        x = self.act(self.r1, self.c1(x))
        x = self.act(self.r2, self.c2(x))
        return self.fc(x.flatten(1))


@gt.case(CASE)
def _():
    warnings.simplefilter("ignore")
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"torch": torch})
    hook = ns["relu_backward_hook_function_bis"]
    net = Net().double()
    for m in (net.r1, net.r2):
        m.register_backward_hook(hook)
    ref = Net(guided=True).double()
    ref.load_state_dict(net.state_dict())
    x = torch.randn(1, 3, 8, 8, dtype=torch.float64)
    grads = []
    for model in (net, ref):
        xi = x.clone().requires_grad_(True)
        model(xi)[0, 2].backward()
        grads.append(xi.grad)
    err = gt.rel_err(grads[0], grads[1])
    vanilla = Net().double()
    vanilla.load_state_dict(net.state_dict())
    xv = x.clone().requires_grad_(True)
    vanilla(xv)[0, 2].backward()
    differs = gt.rel_err(xv.grad, grads[1]) > 1e-3  # the hook really changes the map (not plain backprop)
    return not (err < 1e-10 and differs), f"hooked input gradient vs explicit guided backprop: rel err {err:.2e}; differs from vanilla backprop: {differs}"


gt.main()
