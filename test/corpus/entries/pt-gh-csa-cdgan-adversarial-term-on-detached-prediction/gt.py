import os
import sys
import textwrap
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-gh-csa-cdgan-adversarial-term-on-detached-prediction"


@gt.case(CASE)
def _():
    # The snippet's forward lines (from '#forward' to the generator's total loss), run on a small change-detection
    # pair: a conv generator from the 6-channel image pair to a 1-channel map and a conv discriminator with a
    # sigmoid score per sample (the repository's NetG/NetD are larger networks of the same kinds).
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip() == "#forward")
    end = next(i for i, l in enumerate(lines) if "err_g_total =" in l)
    block = textwrap.dedent("\n".join(lines[start:end + 1]))
    torch.manual_seed(0)
    netg = nn.Sequential(nn.Conv2d(6, 1, 3, padding=1), nn.Sigmoid()).double()
    netd = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.Flatten(), nn.Linear(2 * 8 * 8, 1), nn.Sigmoid(),
                         nn.Flatten(0)).double()
    x = torch.rand(4, 6, 8, 8, dtype=torch.float64)
    gtmap = (torch.rand(4, 1, 8, 8) > 0.5).double()
    ns = {"netg": netg, "netd": netd, "x": x, "gt": gtmap, "l_con": nn.L1Loss(), "l_bce": nn.BCELoss(),
          "real_label": torch.ones(4, dtype=torch.float64), "fake_label": torch.zeros(4, dtype=torch.float64),
          "ct": types.SimpleNamespace(G_WEIGHT=1.0, D_WEIGHT=1.0)}
    exec(compile(block, "snippet.py", "exec"), ns)
    params = list(netg.parameters())
    total = torch.autograd.grad(ns["err_g_total"], params, retain_graph=True)
    recon = torch.autograd.grad(ns["ct"].G_WEIGHT * ns["err_g"], params, retain_graph=True)
    diff = max(float((a - b).abs().max()) for a, b in zip(total, recon))
    adv = float(ns["err_d_fake"])
    return diff < 1e-12, (f"adversarial term {gt.fmt(adv)} in the generator loss; its share of the generator's "
                          f"gradient {gt.fmt(diff)}")


gt.main()
