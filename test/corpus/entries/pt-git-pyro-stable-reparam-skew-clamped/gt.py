import math
import os
import sys
import textwrap
import types

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-pyro-stable-reparam-skew-clamped"


def quoted_transform():
    """The quoted 'Differentiably transform' lines of StableReparam.__call__, as a function of the names the elided
    part defines (the noise draws), and the module's _safe_shift/_unsafe_shift as quoted. Pyro is not installed:
    _standard_stable/_unsafe_standard_stable are smooth stand-ins (their values do not enter the skew derivative at
    issue), dist is torch.distributions, self._wrap returns the distribution."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    method, module_rest = text.split("        ...\n", 1)[1].split("\n\ndef _unsafe_shift", 1)
    body = "def transform(self, fn, obs, zu, ze, tu, te, one, event_dim):\n" + textwrap.indent(
        textwrap.dedent(method), "    ")
    ns = {
        "math": math, "torch": torch, "dist": torch.distributions,
        "_standard_stable": lambda a, b, u, e, coords: torch.tan(u) * e.pow(1 - 1 / a),
        "_unsafe_standard_stable": lambda a, b, u, e, coords: torch.exp(u) * e + 1.0,
    }
    exec(compile(body + "\n\ndef _unsafe_shift" + module_rest, path, "exec"), ns)  # noqa: S102
    return ns["transform"]


@gt.case(CASE)
def _():
    transform = quoted_transform()
    n = 5
    stability = torch.full((n,), 1.5, dtype=torch.float64, requires_grad=True)
    skew = torch.zeros(n, dtype=torch.float64, requires_grad=True)  # a symmetric stable site: skew 0
    fn = types.SimpleNamespace(stability=stability, skew=skew, loc=torch.zeros(n, dtype=torch.float64),
                               scale=torch.ones(n, dtype=torch.float64))
    g = torch.Generator().manual_seed(0)
    zu, tu = (torch.rand(n, generator=g, dtype=torch.float64) - 0.5) * 3, (torch.rand(n, generator=g, dtype=torch.float64) - 0.5) * 3
    ze, te = torch.rand(n, generator=g, dtype=torch.float64) + 0.5, torch.rand(n, generator=g, dtype=torch.float64) + 0.5
    wrapper = types.SimpleNamespace(_wrap=lambda d, event_dim: d)
    new_fn, _ = transform(wrapper, fn, None, zu, ze, tu, te, torch.ones(n, dtype=torch.float64), 0)
    new_fn.log_prob(torch.linspace(-1, 1, n, dtype=torch.float64)).sum().backward()
    nan_skew = bool(torch.isnan(skew.grad).any())
    nan_stab = bool(torch.isnan(stability.grad).any())
    return nan_skew or nan_stab, f"NaN in d/dskew: {nan_skew}, in d/dstability: {nan_stab} (skew = 0, stability = 1.5)"


gt.main()
