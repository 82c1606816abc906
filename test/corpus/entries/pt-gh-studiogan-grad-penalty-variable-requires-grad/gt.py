import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-studiogan-grad-penalty-variable-requires-grad"


class Disc(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(2 * 4 * 4, 8), nn.Tanh(), nn.Linear(8, 1))

    def forward(self, x, y, eval=False):
        return {"adv_output": self.net(x)}


@gt.case(CASE)
def _():
    # The snippet's own functions on float32 images: the penalty is the per-sample WGAN-GP penalty (interpolates
    # marked through Variable(..., requires_grad=True), each sample's gradient flattened before its norm) and it
    # trains the critic. The snippet's text runs with its one `nelement() / batch_size` written `//` (the code predates
    # PyTorch's refusal of a float size in `expand`); nothing else is changed.
    torch.manual_seed(0)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        source = fh.read().replace("nelement() / batch_size", "nelement() // batch_size")
    ns = {"__name__": "snippet"}
    exec(compile(source, path, "exec"), ns)  # noqa: S102 - the corpus snippet is the subject
    d = Disc()
    real = torch.rand(5, 2, 4, 4)
    fake = torch.rand(5, 2, 4, 4)
    torch.manual_seed(1)
    gp = ns["cal_grad_penalty"](real, torch.zeros(5), fake, d, "cpu")
    torch.manual_seed(1)
    alpha = torch.rand(5, 1).view(5, 1, 1, 1)
    x = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    g = torch.autograd.grad(d(x, None)["adv_output"].sum(), x, create_graph=True)[0]
    ref = ((g.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    trains = torch.autograd.grad(gp, list(d.parameters()), allow_unused=True)
    moved = sum(float(t.abs().sum()) for t in trains if t is not None)
    err = abs(gp.item() - ref.item())
    return err > 1e-5 or moved == 0.0, f"penalty {gt.fmt(gp.item())} vs per-sample reference {gt.fmt(ref.item())}; |d gp / d critic| {gt.fmt(moved)}"


gt.main()
