import os
import sys
import textwrap

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-git-gpytorch-fantasy-qr-jitter-out-of-place"


def run_quoted_body(names):
    """Execute the quoted lines of get_fantasy_strategy (after its elided beginning) with ``names`` defined: the
    inputs of these lines (the old root L, the cross term lower_left, the Schur root) come from the elided part."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py"), encoding="utf-8") as fh:
        text = fh.read()
    body = textwrap.dedent(text.split("        ...\n", 1)[1])
    ns = {"torch": torch, **names}
    exec(compile(body, "snippet.py(get_fantasy_strategy body)", "exec"), ns)  # noqa: S102
    return ns


def inputs():
    torch.manual_seed(0)
    base = torch.randn(6, 3, dtype=torch.float64)
    base[:, 2] = base[:, 0] + 1e-9 * torch.randn(6, dtype=torch.float64)  # a nearly dependent column: tiny R diagonal
    L = base.clone().requires_grad_(True)
    lower_left = torch.randn(2, 3, dtype=torch.float64)
    schur_root = torch.tensor([[1.0, 0.0], [0.3, 0.8]], dtype=torch.float64)
    return L, {"L": L, "lower_left": lower_left, "schur_root": schur_root, "batch_shape": torch.Size([])}


@gt.case(CASE)
def _():
    L, names = inputs()
    ns = run_quoted_body(names)
    jittered = bool(torch.any(ns["zeroish"]))
    err = gt.raises(lambda: ns["new_covar_cache"].sum().backward())
    finite = err is None and L.grad is not None and bool(torch.isfinite(L.grad).all())
    return not finite, f"jitter added: {jittered}; backward of the new covariance cache: {err or 'no error'}; finite gradient: {finite}"


gt.main()
