"""Ground truth for pt-gh-gans1d-penalty-not-added: the snippet's main() runs one epoch with
p_coeff = 10 and again with p_coeff = 0 (same seeds and data). The critic ends up bit-identical:
grad_penalty is computed but never added to loss_D, so it has no effect on training."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

L = 32
critics = []


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(nn.Flatten(), nn.Linear(L, 16), nn.Tanh(), nn.Linear(16, 1))
        critics.append(self)

    def forward(self, x):
        return self.main(x)


class Generator(nn.Module):
    def __init__(self, nz):
        super().__init__()
        self.main = nn.Sequential(nn.Flatten(), nn.Linear(nz, L), nn.Tanh(), nn.Unflatten(1, (1, L)))

    def forward(self, x):
        return self.main(x)


def run(p_coeff):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    loader = [(torch.sin(torch.linspace(0, 6, L) + torch.rand(8, 1, 1, generator=g) * 6), None) for _ in range(6)]
    names = {"Discriminator": Discriminator, "Generator": Generator, "weights_init": lambda m: None,
             "device": torch.device("cpu"), "nz": 4, "lr": 1e-2, "epoch_num": 1, "trainloader": loader}
    ns = gt.exec_snippet(__file__, names)
    ns["p_coeff"] = p_coeff  # the module-level constant main() reads
    ns["main"]()
    return [p.detach().clone() for p in critics[-1].parameters()]


@gt.case("pt-gh-gans1d-penalty-not-added")
def _():
    with_gp = run(10)
    without_gp = run(0)
    diff = max(float((a - b).abs().max()) for a, b in zip(with_gp, without_gp))
    return diff == 0.0, f"max |critic param (p_coeff=10) - critic param (p_coeff=0)| after one epoch = {gt.fmt(diff)}"


gt.main()
