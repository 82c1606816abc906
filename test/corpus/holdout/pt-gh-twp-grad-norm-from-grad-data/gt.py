import os, sys, copy, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-twp-grad-norm-from-grad-data"


class GATish(torch.nn.Module):
    """A small stand-in for the repository's GAT: returns logits and a list of attention tensors."""

    def __init__(self, d_in=6, n_cls=4):
        super().__init__()
        self.att = torch.nn.Linear(d_in, d_in)
        self.out = torch.nn.Linear(d_in, n_cls)

    def forward(self, x):
        a = torch.softmax(self.att(x), dim=-1)
        return self.out(torch.tanh(a * x)), [a]


@gt.case(CASE)
def _():
    ns = gt.exec_snippet(__file__)
    torch.manual_seed(0)
    base = GATish()
    feats, labels = torch.randn(20, 6), torch.randint(0, 4, (20,))
    mask = torch.ones(20, dtype=torch.bool)
    tm = types.SimpleNamespace(get_label_offset=lambda t: (0, 4))
    nets = {}
    for beta in (0.0, 100.0):
        args = types.SimpleNamespace(lr=0.01, weight_decay=0.0, lambda_l=1.0, lambda_t=1.0, beta=beta)
        nets[beta] = ns["NET"](copy.deepcopy(base), tm, args)
        for _ in range(3):
            nets[beta].observe(feats, labels, 0, mask)
    diff = max(float((p - q).abs().max()) for p, q in zip(nets[0.0].net.parameters(), nets[100.0].net.parameters()))
    return diff == 0.0, (f"after 3 observe() steps, max |w(beta=100) - w(beta=0)| = {diff:.3g}: the beta * grad_norm "
                         f"term built from p.grad.data carries no gradient")


gt.main()
