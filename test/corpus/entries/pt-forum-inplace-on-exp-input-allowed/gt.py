import os, sys
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "ground-truth"))
import gt, torch


@gt.case("pt-forum-inplace-on-exp-input-allowed")
def _():
    box = {}

    def run():
        box["ns"] = gt.exec_snippet(__file__, {"torch": torch})

    err = gt.raises(run)
    if err is not None:
        return True, f"backward raised: {err}"
    t = box["ns"]["t"]
    expected = 2 * torch.exp(2 * torch.arange(3.0))
    e = gt.rel_err(t.grad, expected)
    return e > 1e-6, f"no error; t.grad {t.grad.tolist()} vs 2*exp(2t) {expected.tolist()}, rel. err {e:.2g}"


gt.main()
