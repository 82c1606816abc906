import os, sys, types
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch

CASE = "pt-gh-torchsort-argsort-index-then-grad-of-value"


@gt.case(CASE)
def _():
    # torchsort is not installable here and this part of the answer does not use it.
    sys.modules.setdefault("torchsort", types.ModuleType("torchsort"))
    ns = gt.exec_snippet(__file__)  # runs the answer's lines, including its own autograd.grad call
    a, idx = ns["a"], ns["largest_idx"]
    # The snippet's grad call consumed b's graph and its result was only displayed: redo that last line on a fresh b.
    b = a * 2
    (g,) = torch.autograd.grad(b[idx], a)
    expected = torch.zeros(10)
    expected[int(a.detach().argmax())] = 2.0
    err = gt.rel_err(g, expected)
    return err > 1e-12, f"d b[argsort(b)[-1]] / da = {g.tolist()} (expected 2 at argmax, 0 elsewhere; rel. error {err:.3g})"


gt.main()
