"""Ground truth for pt-forum-relu-output-net-second-derivative-zero: the post's NeuralNet(1, 64) on CPU;
x in [-50, 50] as in the post; d2u/dx2 by nested autograd.grad with create_graph=True."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-forum-relu-output-net-second-derivative-zero"


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    ns = gt.exec_snippet(__file__, {"device": torch.device("cpu")})
    model = ns["model"]
    with torch.no_grad():
        model.last.bias.fill_(1.0)  # keep the output ReLU active so the first derivative is not 0 either
    x = torch.linspace(-50, 50, 101).view(-1, 1).requires_grad_(True)
    u = model.u(x)
    du = torch.autograd.grad(u.sum(), x, create_graph=True)[0]
    d2u = torch.autograd.grad(du.sum(), x, allow_unused=True)[0]
    d2 = 0.0 if d2u is None else d2u.abs().max().item()
    return d2 == 0.0, f"max |du/dx| = {gt.fmt(du.abs().max().item())}; max |d2u/dx2| = {gt.fmt(d2)}"


gt.main()
