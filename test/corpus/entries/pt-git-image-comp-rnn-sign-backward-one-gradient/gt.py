import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt  # noqa: E402
import torch  # noqa: E402


@gt.case("pt-git-image-comp-rnn-sign-backward-one-gradient")
def _():
    ns = gt.exec_snippet(__file__)
    Sign = ns["Sign"]
    enc = torch.nn.Linear(8, 4)
    x = torch.rand(16, 8)

    def step():
        codes = Sign.apply(torch.tanh(enc(x)), True)  # as modules/sign.py: SignFunction.apply(x, self.training)
        codes.sum().backward()

    err = gt.raises(step)
    if err is not None:
        return True, f"backward raised {err}"
    g = enc.weight.grad
    return bool(g is None or not torch.isfinite(g).all()), f"encoder weight grad norm {gt.fmt(float(g.norm()))} (straight-through)"


gt.main()
