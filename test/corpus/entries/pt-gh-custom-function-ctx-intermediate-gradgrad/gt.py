import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-custom-function-ctx-intermediate-gradgrad"


@gt.case(CASE)
def _():
    # Run the snippet's text; its last line (gradgradcheck) is expected to raise when double backward is wrong.
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "snippet.py")
    ns = {"__name__": "snippet"}
    try:
        exec(compile(open(path, encoding="utf-8").read(), path, "exec"), ns)
        err = None
    except Exception as e:  # noqa: BLE001
        err = type(e).__name__
    fn = ns["BadCustomFunction"]
    x = torch.tensor([0.3, 0.7], dtype=torch.double, requires_grad=True)
    (g,) = torch.autograd.grad(fn.apply(x).sum(), x, create_graph=True)
    first_ok = torch.allclose(g, 8 * x)
    if g.requires_grad:
        (gg,) = torch.autograd.grad(g.sum(), x, allow_unused=True)
        gg = torch.zeros_like(x) if gg is None else gg
    else:  # the first derivative carries no graph back to x: the second derivative is lost (zero)
        gg = torch.zeros_like(x)
    second = gg.tolist()
    wrong = not torch.allclose(gg, torch.full_like(x, 8.0))
    return wrong, f"first derivative 8x correct: {first_ok}; second derivative {second} (analytic 8); gradgradcheck: {err or 'passed'}"


gt.main()
