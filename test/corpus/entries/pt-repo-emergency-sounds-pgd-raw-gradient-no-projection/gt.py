import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

CASE = "pt-repo-emergency-sounds-pgd-raw-gradient-no-projection"


class Attack:
    """Stand-in for the project's attacks.attack.Attack base class: holds the model."""

    def __init__(self, model):
        self.model = model


@gt.case(CASE)
def _():
    torch.manual_seed(0)
    # A small 1-D conv classifier over waveforms in [-1, 1] (log-probabilities, as F.nll_loss expects).
    model = torch.nn.Sequential(torch.nn.Conv1d(1, 4, 9), torch.nn.ReLU(), torch.nn.AdaptiveAvgPool1d(1),
                                torch.nn.Flatten(), torch.nn.Linear(4, 2), torch.nn.LogSoftmax(dim=1))
    ns = gt.exec_snippet(__file__, {"Attack": Attack})
    x = torch.rand(8, 1, 400) * 2 - 1
    y = torch.randint(0, 2, (8,))
    eps, steps = 0.01, 10
    adv = ns["PGD"](model).attackSample(x.clone(), y, epsilon=eps, num_iter=steps)
    linf = float((adv - x).abs().max())
    with torch.no_grad():
        l0, l1 = float(F.nll_loss(model(x), y)), float(F.nll_loss(model(adv), y))
    # A PGD attack with budget eps moves each sample by (up to) eps in L-infinity; this one takes raw-gradient steps.
    off = not (0.5 * eps <= linf <= eps + 1e-6)
    return off, f"L-inf perturbation {linf:.3g} for epsilon {eps} over {steps} steps; loss {l0:.5f} -> {l1:.5f}"


gt.main()
