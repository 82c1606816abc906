import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-torchquant-vega-price-before-requires-grad"


def bs_call(spot, strike, vol, maturity, rate):
    """Black-Scholes call price (the kind of pricer the module's greeks take)."""
    n = lambda v: 0.5 * (1 + torch.erf(v / math.sqrt(2)))  # noqa: E731
    d1 = (torch.log(spot / strike) + (rate + 0.5 * vol ** 2) * maturity) / (vol * torch.sqrt(maturity))
    d2 = d1 - vol * torch.sqrt(maturity)
    return spot * n(d1) - strike * torch.exp(-rate * maturity) * n(d2)


def fresh():
    t = lambda v: torch.tensor([v], dtype=torch.float64)  # noqa: E731
    return dict(spot=t(100.0), strike=t(95.0), vol=t(0.2), maturity=t(1.0), rate=t(0.03))


@gt.case(CASE)
def _():
    # The module uses the bare decorator @torch.enable_grad, which newer PyTorch accepts; PyTorch 1.13 does not,
    # so the run lets the bare form decorate the function with enable_grad() as newer versions do.
    real = torch.enable_grad

    def enable_grad(func=None):
        return real()(func) if callable(func) else real()

    torch.enable_grad = enable_grad
    try:
        ns = gt.exec_snippet(__file__)
    finally:
        torch.enable_grad = real
    err_vega = gt.raises(lambda: ns["vega"](bs_call, **fresh()))
    err_gamma = gt.raises(lambda: ns["gamma"](bs_call, **fresh()))
    d = ns["delta"](bs_call, **fresh())
    # analytic references at the same point
    k = fresh()
    s, K, v, T, r = (float(k[n]) for n in ("spot", "strike", "vol", "maturity", "rate"))
    d1 = (math.log(s / K) + (r + 0.5 * v * v) * T) / (v * math.sqrt(T))
    delta_ref = 0.5 * (1 + math.erf(d1 / math.sqrt(2)))
    delta_ok = abs(float(d) - delta_ref) < 1e-10
    return (err_vega is not None) or (err_gamma is not None), (
        f"delta {float(d):.6f} vs analytic {delta_ref:.6f} ({'ok' if delta_ok else 'off'}); "
        f"vega: {err_vega or 'ran'}; gamma: {err_gamma or 'ran'}"
    )


gt.main()
