import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402

CASE = "pt-gh-heavyball-optimizer-closure-under-no-grad"


@gt.case(CASE)
def _():
    # The snippet's step() (the head of the optimizer's step method) attached to an optimizer, then used the way
    # closure-based training (L-BFGS style, Lightning) calls it: the closure runs the model and loss.backward().
    ns = gt.exec_snippet(__file__, {"torch": torch})
    Opt = type("Opt", (torch.optim.SGD,), {"step": ns["step"]})
    model = gt.mlp(2, 1)
    opt = Opt(model.parameters(), lr=0.1)
    x, y = torch.rand(8, 2, dtype=torch.float64), torch.rand(8, 1, dtype=torch.float64)

    def closure():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss

    err = gt.raises(lambda: opt.step(closure))
    return err is not None, f"opt.step(closure): {err}"


gt.main()
