import os
import sys
from types import SimpleNamespace

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-gh-relativistic-advgan-generator-steps-backward-twice"


class D(torch.nn.Module):
    """Returns (logits, probabilities) like the repository's discriminator."""

    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 8), torch.nn.LeakyReLU(0.2), torch.nn.Linear(8, 1))

    def forward(self, x):
        logits = self.net(x)
        return logits, torch.sigmoid(logits)


def attacker(n_steps_G):
    torch.manual_seed(0)
    G = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.Conv2d(4, 1, 3, padding=1), torch.nn.Tanh())
    Dm = D()
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(16, 10))
    return SimpleNamespace(G=G, D=Dm, model=model, n_steps_D=1, n_steps_G=n_steps_G, l_inf_bound=0.3, device="cpu",
                           is_relativistic=True, n_labels=10, kappa=0.0, c=0.1, gamma=1.0, alpha=1.0, beta=1.0,
                           optimizer_D=torch.optim.Adam(Dm.parameters(), lr=1e-3),
                           optimizer_G=torch.optim.Adam(G.parameters(), lr=1e-3))


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__, {"torch": torch, "F": F})
    x, labels = torch.rand(4, 1, 4, 4), torch.tensor([1, 2, 3, 4])
    one = gt.raises(lambda: ns["train_batch"](attacker(1), x, labels))
    two = gt.raises(lambda: ns["train_batch"](attacker(2), x, labels))
    return one is None and two is not None and "second time" in two, (
        f"n_steps_G = 1 raised {one}; n_steps_G = 2 raised {two}")


gt.main()
