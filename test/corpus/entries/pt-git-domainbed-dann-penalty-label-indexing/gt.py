import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch
import torch.nn.functional as F


@gt.case("pt-git-domainbed-dann-penalty-label-indexing")
def _():
    # AbstractDANN.update as it was before the fix, run on three domains with equal minibatch sizes (as
    # DomainBed samples them). `autograd` is torch.autograd with grad() wrapped to record the input gradient.
    seen = {}

    def grad(*args, **kwargs):
        out = torch.autograd.grad(*args, **kwargs)
        seen["input_grad"] = out[0].detach().clone()
        return out

    ns = gt.exec_snippet(__file__, {"Algorithm": torch.nn.Module, "torch": torch, "F": F,
                                    "autograd": types.SimpleNamespace(grad=grad)})
    torch.manual_seed(0)
    m = ns["AbstractDANN"]()
    m.featurizer = gt.mlp(4, 6)
    m.discriminator = gt.mlp(6, 3)
    m.classifier = torch.nn.Linear(6, 2).double()
    m.conditional, m.class_balance = False, False
    m.hparams = {"grad_penalty": 1.0, "d_steps_per_g_step": 1, "lambda": 1.0}
    m.update_count = torch.tensor(0)
    m.disc_opt = torch.optim.SGD(m.discriminator.parameters(), lr=0.0)
    m.gen_opt = torch.optim.SGD(list(m.featurizer.parameters()) + list(m.classifier.parameters()), lr=0.0)
    minibatches = [(torch.randn(5, 4, dtype=torch.float64), torch.randint(0, 2, (5,))) for _ in range(3)]
    m.update(minibatches)
    quoted = seen["input_grad"]

    # what a per-sample penalty uses: d p_i(domain_i) / d input_i
    z = m.featurizer(torch.cat([x for x, y in minibatches])).detach().requires_grad_(True)
    labels = torch.arange(3).repeat_interleave(5)
    p = F.softmax(m.discriminator(z), dim=1)
    per_sample = torch.autograd.grad(p[torch.arange(15), labels].sum(), z)[0]
    q, r = quoted.abs().max().item(), per_sample.abs().max().item()
    return q < 1e-12 * max(r, 1.0) and r > 1e-6, f"max |input_grad| as quoted {q:.3g} (penalty {float((quoted**2).sum(1).mean()):.3g}); per-sample d p_i(label_i)/dz {r:.3g}"


gt.main()
