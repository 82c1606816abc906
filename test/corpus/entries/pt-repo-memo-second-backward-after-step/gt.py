import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-repo-memo-second-backward-after-step"


@gt.case(CASE)
def _():
    # Two heads f and g on a shared trunk, each with an optimizer over the trunk and its head (the memo's
    # opt_1/opt_2 are not defined in the file; this is the multi-loss setting of the linked thread).
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8))
    head_f, head_g = torch.nn.Linear(8, 1), torch.nn.Linear(8, 1)
    f = lambda y: head_f(y).pow(2).mean()  # noqa: E731
    g = lambda y: head_g(y).abs().mean()  # noqa: E731
    opt_1 = torch.optim.SGD(list(model.parameters()) + list(head_f.parameters()), lr=0.1)
    opt_2 = torch.optim.SGD(list(model.parameters()) + list(head_g.parameters()), lr=0.1)
    names = {"model": model, "x": torch.randn(16, 3), "f": f, "g": g, "opt_1": opt_1, "opt_2": opt_2}
    err = gt.raises(lambda: gt.exec_snippet(__file__, names))
    return err is not None, f"second backward after opt_1.step(): {err or 'no error'}"


gt.main()
