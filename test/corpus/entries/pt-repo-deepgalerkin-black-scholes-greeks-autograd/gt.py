import io
import math
import os
import sys
from contextlib import redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-deepgalerkin-black-scholes-greeks-autograd"


@gt.case(CASE)
def _():
    buf = io.StringIO()
    with redirect_stdout(buf):
        ns = gt.exec_snippet(__file__)
    S, K, sig, r, tau = 80.0, 70.0, 0.3, 0.05, 1.0
    d1 = (math.log(S / K) + (r + 0.5 * sig * sig) * tau) / (sig * math.sqrt(tau))
    d2 = d1 - sig * math.sqrt(tau)
    N = lambda v: 0.5 * (1 + math.erf(v / math.sqrt(2)))  # noqa: E731
    phi = math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi)
    ref = {"delta": N(d1), "gamma": phi / (S * sig * math.sqrt(tau)), "vega": S * phi * math.sqrt(tau),
           "rho": K * tau * math.exp(-r * tau) * N(d2)}
    errs = {k: abs(float(ns[k]) - v) / abs(v) for k, v in ref.items()}
    residual = float((-ns["theta"] + 0.5 * ns["sigma"] ** 2 * ns["S"] ** 2 * ns["gamma"] + ns["r"] * ns["S"] * ns["delta"] - ns["r"] * ns["C"]))
    worst = max(errs.values())
    return worst > 1e-4 or abs(residual) > 1e-3, f"max rel err of the Greeks vs closed forms {gt.fmt(worst)}; PDE residual {gt.fmt(residual)}"


gt.main()
