import os, sys, types, warnings
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F

warnings.filterwarnings("ignore")


class Dis(torch.nn.Module):
    """A small two-headed discriminator (real/fake and class logits), as RobGAN's."""
    def __init__(self):
        super().__init__()
        self.body = torch.nn.Sequential(torch.nn.Linear(6, 16), torch.nn.BatchNorm1d(16), torch.nn.Tanh())
        self.bin = torch.nn.Linear(16, 1)
        self.multi = torch.nn.Linear(16, 3)

    def forward(self, x):
        h = self.body(x)
        return self.bin(h).squeeze(1), self.multi(h)


def Ld(d_bin, ones, d_multi, label_v, lam=0.5):
    return F.binary_cross_entropy_with_logits(d_bin, ones) + lam * F.cross_entropy(d_multi, label_v)


@gt.case("pt-gh-robgan-pgd-sign-inside-optimizer-ok")
def _():
    pkg = types.ModuleType("miscs"); pkg.__path__ = []
    sub = types.ModuleType("miscs.linf_sgd")
    sub.__dict__.update(gt.exec_snippet(__file__, {}, snippet=os.path.join("workspace", "miscs", "linf_sgd.py")))
    sys.modules["miscs"], sys.modules["miscs.linf_sgd"] = pkg, sub
    ns = gt.exec_snippet(__file__, {"__package__": "miscs"})
    torch.manual_seed(0)
    dis = Dis().double()
    dis.train(); dis(torch.rand(8, 6, dtype=torch.float64))  # running stats
    x = torch.rand(8, 6, dtype=torch.float64) * 2 - 1
    ones = torch.ones(8, dtype=torch.float64)
    labels = torch.randint(0, 3, (8,))
    eps, steps = 0.03, 5
    adv = ns["attack_Linf_PGD"](x, ones, labels, dis, Ld, steps, eps).detach()
    # Reference: Madry's L-inf PGD, x <- proj(x + lr * sign(d Ld / d x)), model in eval mode.
    dis.eval()
    ref = x.clone()
    for _ in range(steps):
        z = ref.clone().requires_grad_()
        g = torch.autograd.grad(Ld(*dis(z)[:1], ones, dis(z)[1], labels, lam=0.5), z)[0]
        ref = (x + (ref + 0.0078 * g.sign() - x).clamp(-eps, eps)).clamp(-1, 1)
    err = (adv - ref).abs().max().item()
    moved = (adv - x).abs().max().item()
    return err > 1e-12, f"Linf_SGD attack vs sign-gradient PGD: max |diff| {err:.2g}; perturbation max {moved:.4g} (eps {eps})"


gt.main()
