import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Net(torch.nn.Module):
    """A small network that returns three activations and the logits, as the repository's models do."""

    def __init__(self, seed):
        super().__init__()
        torch.manual_seed(seed)
        self.l1, self.l2, self.l3, self.out = torch.nn.Linear(6, 8), torch.nn.Linear(8, 8), torch.nn.Linear(8, 8), torch.nn.Linear(8, 3)

    def forward(self, x):
        a1 = torch.tanh(self.l1(x)).view(-1, 2, 4)
        a2 = torch.tanh(self.l2(a1.flatten(1))).view(-1, 2, 4)
        a3 = torch.tanh(self.l3(a2.flatten(1))).view(-1, 2, 4)
        return a1, a2, a3, self.out(a3.flatten(1))


def attention_loss(fm_s, fm_t, p=2.0):
    # An attention-transfer distance (normalised channel-mean of |activation|^p), standing in for the
    # repository's AT module, which is not in the snippet.
    def am(fm):
        a = fm.abs().pow(p).mean(1)
        return a / (a.norm(dim=1, keepdim=True) + 1e-6)
    return F.mse_loss(am(fm_s), am(fm_t))


class Meter:
    def update(self, value, n):
        self.last = value


@gt.case("pt-repo-nad-attention-loss-teacher-detached")
def _():
    snet, tnet = Net(0), Net(1)
    for p in tnet.parameters():
        p.requires_grad = False
    torch.manual_seed(2)
    x = torch.randn(32, 6)
    y = torch.randint(0, 3, (32,))
    loader = [(x[i:i + 8], y[i:i + 8]) for i in range(0, 32, 8)]
    opt = SimpleNamespace(cuda=False, beta1=500.0, beta2=500.0, beta3=500.0)
    optimizer = torch.optim.SGD(snet.parameters(), lr=0.05)
    criterions = {"criterionCls": torch.nn.CrossEntropyLoss(), "criterionAT": attention_loss}
    ns = gt.exec_snippet(__file__, {"AverageMeter": Meter})
    at_before = sum(attention_loss(s, t).item() for s, t in zip(snet(x)[:3], tnet(x)[:3]))
    for epoch in range(30):
        ns["train_step"](opt, loader, {"snet": snet, "tnet": tnet}, optimizer, criterions, epoch)
    at_after = sum(attention_loss(s, t).item() for s, t in zip(snet(x)[:3], tnet(x)[:3]))
    grads = all(p.grad is not None and p.grad.abs().sum() > 0 for p in snet.parameters())
    return not (grads and at_after < at_before), f"every student parameter got a gradient: {grads}; attention distance {at_before:.4g} -> {at_after:.4g}"


gt.main()
