import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

CASE = "pt-git-perceptual-advex-lpips-step-probe-opposite-direction"


def normalize_flatten_features(features, eps=1e-10):
    """The package's distances.normalize_flatten_features (unit-normalise each layer over channels, scale by the
    spatial size, flatten and concatenate)."""
    out = []
    for f in features:
        norm_factor = torch.sqrt(torch.sum(f ** 2, dim=1, keepdim=True)) + eps
        out.append((f / (norm_factor * np.sqrt(f.size()[2] * f.size()[3]))).view(f.size()[0], -1))
    return torch.cat(out, dim=1)


class MarginLoss(nn.Module):
    """Stand-in for utilities.MarginLoss: correct-class logit minus the best other logit, capped at kappa."""

    def __init__(self, kappa=float("inf")):
        super().__init__()
        self.kappa = kappa

    def forward(self, logits, labels):
        correct = logits.gather(1, labels[:, None])[:, 0]
        other = logits.clone()
        other[torch.arange(len(labels)), labels] = -float("inf")
        return (correct - other.max(1)[0]).clamp(max=self.kappa)


class FeatureNet(nn.Module):
    """Small feature model with the package's FeatureModel interface (features, features_logits); it records
    the images its features are taken of."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.head = nn.Linear(4 * 6 * 6, 3)
        self.seen = []

    def features(self, x):
        self.seen.append(("features", x.detach().clone()))
        a = torch.tanh(self.conv1(x))
        b = torch.tanh(self.conv2(a))
        return (a, b)

    def features_logits(self, x):
        self.seen.append(("features_logits", x.detach().clone()))
        a = torch.tanh(self.conv1(x))
        b = torch.tanh(self.conv2(a))
        return (a, b), self.head(b.flatten(1))

    def forward(self, x):
        return self.features_logits(x)[1]


@gt.case(CASE)
def _():
    # The snippet's relative imports are dropped and the names supplied: the LPIPS model is the attacked model
    # (lpips_model='self'), with no projection. One iteration: the finite-difference probe of the LPIPS distance
    # should lie in the direction of the step the attack then takes.
    with open(os.path.join(HERE, "snippet.py"), encoding="utf-8") as fh:
        src = fh.read()
    src = src.replace("from .distances import normalize_flatten_features, LPIPSDistance\n", "")
    src = src.replace("from .utilities import MarginLoss\n", "")
    ns = {
        "normalize_flatten_features": normalize_flatten_features,
        "MarginLoss": MarginLoss,
        "get_lpips_model": lambda spec, model: model,
        "PROJECTIONS": {"none": lambda bound, m: (lambda inputs, adv, feats=None: adv)},
    }
    exec(compile(src, "snippet.py", "exec"), ns)
    torch.manual_seed(0)
    net = FeatureNet()
    attack = ns["FastLagrangePerceptualAttack"](net, bound=0.5, num_iterations=1)
    attack.step = 0.05
    inputs = 0.4 + 0.2 * torch.rand(2, 3, 6, 6)
    labels = torch.tensor([0, 1])
    net.seen.clear()
    adv = attack(inputs, labels)
    adv_inputs = [x for kind, x in net.seen if kind == "features_logits"][0]
    probe = [x for kind, x in net.seen if kind == "features"][1]
    step = (adv - adv_inputs).flatten(1)
    offset = (probe - adv_inputs).flatten(1)
    cos = torch.nn.functional.cosine_similarity(step, offset, dim=1)
    worst = float(cos.min())
    return worst < 0, f"cosine between the finite-difference probe offset and the step taken: {gt.fmt(worst)}"


gt.main()
